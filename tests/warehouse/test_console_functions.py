"""The console's function allowlist against DuckDB's own catalogue of functions.

Every function DuckDB has that the allowlist does not name must be refused, however sqlglot
parses it (this catches a dangerous DuckDB function that sqlglot would map onto an allowed
one); every function the allowlist names must pass, so the list says what it does.
"""

from __future__ import annotations

import duckdb
import pytest

from tradewinds.warehouse.console import check_readonly
from tradewinds.warehouse.console_functions import FUNCTIONS, TABLE_FUNCTIONS
from tradewinds.warehouse.errors import ReadOnlyViolation

_SYNTAX = {"case", "cast", "try_cast", "extract"}  # written with keywords, not as calls
_ARGUMENTS = ("1", "1, 2", "1, 2, 3", "", "[1], x -> x")


def _duckdb_functions() -> dict[str, set[str]]:
    con = duckdb.connect()
    try:
        rows = con.execute("SELECT function_name, function_type FROM duckdb_functions()").fetchall()
    finally:
        con.close()
    kinds: dict[str, set[str]] = {}
    for name, kind in rows:
        kinds.setdefault(name.lower(), set()).add(kind)
    return kinds


KINDS = _duckdb_functions()
OTHERS = sorted(n for n in KINDS if n not in FUNCTIONS and n not in TABLE_FUNCTIONS)


def _accepted(sql: str) -> bool:
    try:
        check_readonly(sql)
    except ReadOnlyViolation:
        return False
    return True


def test_duckdb_has_functions_the_allowlist_does_not_name() -> None:
    assert {"read_text", "read_blob", "glob", "query", "duckdb_settings"} <= set(OTHERS)


@pytest.mark.parametrize("name", OTHERS)
def test_every_other_duckdb_function_is_refused(name: str) -> None:
    for args in _ARGUMENTS:
        for sql in (f'SELECT "{name}"({args})', f'SELECT * FROM "{name}"({args})'):
            assert not _accepted(sql), sql
        if name.isidentifier():
            for sql in (f"SELECT {name}({args})", f"SELECT * FROM {name}({args})"):
                assert not _accepted(sql), sql


@pytest.mark.parametrize("name", sorted(FUNCTIONS - _SYNTAX))
def test_every_allowed_function_passes(name: str) -> None:
    assert any(_accepted(f"SELECT {name}({args})") for args in _ARGUMENTS), name


def test_allowed_names_are_duckdb_scalar_aggregate_or_window_functions() -> None:
    special = _SYNTAX | {
        "coalesce",
        "ifnull",
        "current_time",
        "current_timestamp",
        "percentile_cont",
        "percentile_disc",
    }
    for name in sorted(FUNCTIONS - special):
        assert name in KINDS, f"{name} is not a DuckDB function"
        kinds = {"scalar", "aggregate", "window", "macro"}
        if name in TABLE_FUNCTIONS:  # unnest: a table function DuckDB also takes in SELECT
            kinds.add("table")
        assert KINDS[name] & kinds, (name, KINDS[name])
