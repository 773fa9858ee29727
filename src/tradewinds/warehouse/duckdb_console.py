"""A second opinion on a console query from DuckDB's own parser.

The console's checker reads the query as sqlglot parses it, but DuckDB runs the text as *it*
parses it. Should the two ever read a query differently, this check, on DuckDB's own parse
tree (``json_serialize_sql``), still finds every function call and every table: each
function must be on the console's list, each table one of the workspace's (or a CTE), none
with a schema or catalog prefix. It runs on a private in-memory database that has no file
access either.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import duckdb

from tradewinds.warehouse.console_functions import FUNCTIONS, TABLE_FUNCTIONS
from tradewinds.warehouse.errors import ReadOnlyViolation

_ALLOWED = FUNCTIONS | TABLE_FUNCTIONS
# Table references DuckDB builds for DESCRIBE, SHOW, SUMMARIZE and its own internals.
_NOT_TABLES = {"SHOW_REF", "COLUMN_DATA", "DELIM_GET"}
_parser: duckdb.DuckDBPyConnection | None = None
_parser_lock = threading.Lock()


def _connection() -> duckdb.DuckDBPyConnection:
    global _parser
    if _parser is None:
        con = duckdb.connect(":memory:", config={"enable_external_access": False})
        con.execute("SET lock_configuration = true")
        _parser = con
    return _parser


def _serialized(sql: str) -> dict[str, Any]:
    with _parser_lock:
        cursor = _connection().cursor()
        try:
            row = cursor.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()
        finally:
            cursor.close()
    return json.loads(row[0]) if row else {"error": True, "error_message": "no answer"}


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def _is_symbol(name: str) -> bool:
    return bool(name) and not any(ch.isalnum() or ch == "_" for ch in name)


def _cte_names(tree: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for node in _nodes(tree):
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            for entry in cte_map.get("map") or []:
                key = entry.get("key") if isinstance(entry, dict) else None
                if isinstance(key, str):
                    names.add(key.lower())
    return names


def check(sql: str, tables: set[str]) -> None:
    """Raise :class:`ReadOnlyViolation` unless DuckDB's own parse of ``sql`` calls only
    allowed functions and reads only ``tables`` (or the query's CTEs)."""
    tree = _serialized(sql)
    if tree.get("error"):
        message = tree.get("error_message") or "not a plain SELECT"
        raise ReadOnlyViolation(f"could not parse the query: {message}")
    known = {t.lower() for t in tables} | _cte_names(tree)
    for node in _nodes(tree):
        name = node.get("function_name")
        if isinstance(name, str):
            if node.get("schema") or node.get("catalog"):
                raise ReadOnlyViolation(
                    f"{node.get('schema') or node.get('catalog')}.{name}(): functions cannot "
                    "be called with a schema prefix in the SQL console"
                )
            if node.get("is_operator") and _is_symbol(name):
                continue
            if name.lower() not in _ALLOWED:
                raise ReadOnlyViolation(
                    f"function {name}() is not allowed in the SQL console: only calculations "
                    "on values are"
                )
        if node.get("type") in _NOT_TABLES:
            raise ReadOnlyViolation(
                "the SQL console is read-only: only SELECT over the workspace's tables"
            )
        if node.get("type") == "BASE_TABLE":
            table = str(node.get("table_name", ""))
            if node.get("schema_name") or node.get("catalog_name"):
                raise ReadOnlyViolation(
                    f"{table}: only this workspace's tables can be queried "
                    "(no schema or database prefix)"
                )
            if table.lower() not in known:
                raise ReadOnlyViolation(f"unknown table {table!r}")
