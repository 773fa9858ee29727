"""A count of the writes to each canonical table, kept by the warehouse itself.

Derived tables (rollups) are only as good as the rows they were built from. Hashing a
10M-row table to find out whether it changed costs more than the report the rollup saves,
so the warehouse counts, per table, every write that goes through it: each ``load()``
(imports, the event drain), each ``delete_where()`` (erasure) and each ``execute()`` of an
``INSERT``, ``UPDATE``, ``DELETE`` or ``TRUNCATE`` naming the table. A rollup stores the
count (with the table's row count) it was built at and is out of date when either differs.

Backends that keep the counts say so with ``write_counts = True`` (DuckDB, where the
rollups live); on the others :func:`writes` answers ``None`` and rollups are not used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

T = TypeVar("T")
TABLE = "_table_writes"

#: a statement that changes the rows of the table it names first
_WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)"
    r"\s+(?:\w+\.)?\"?([A-Za-z_][A-Za-z0-9_]*)\"?",
    re.IGNORECASE,
)

CREATE_SQL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (name VARCHAR PRIMARY KEY, writes BIGINT NOT NULL)"
)
BUMP_SQL = (
    f"INSERT INTO {TABLE} VALUES ($name, 1) "
    f"ON CONFLICT (name) DO UPDATE SET writes = {TABLE}.writes + 1"
)


def written_table(sql: str) -> str | None:
    """The table a data-changing statement writes to (None for anything else)."""
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


def writes(warehouse: Warehouse, table: str) -> int | None:
    """How many writes ``table`` has had (0 before the first); None when not counted."""
    if not getattr(warehouse, "write_counts", False):
        return None
    rows = warehouse.query(f"SELECT writes FROM {TABLE} WHERE name = $name", {"name": table}).rows
    return int(rows[0][0]) if rows else 0


_look: ContextVar[dict[tuple[int, str], Any] | None] = ContextVar(
    "tradewinds_one_look", default=None
)


@contextmanager
def one_look() -> Iterator[None]:
    """Within the block, each table's count of writes and rows is read once per warehouse.

    A page asks whether each of its rollups and kept answers is up to date many times (each
    report, each rollup, each of its tables); inside ``one_look`` they are all answered from
    the first look, so the page's figures come from one state of the data. Code that writes
    inside the block calls :func:`forget_looks` after.
    """
    if _look.get() is not None:  # already inside one: the outer look holds
        yield
        return
    token = _look.set({})
    try:
        yield
    finally:
        _look.reset(token)


def looked(warehouse: Warehouse, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``name`` and warehouse inside a :func:`one_look` block
    (every time outside one)."""
    memo = _look.get()
    if memo is None:
        return compute()
    key = (id(warehouse), name)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def table_state(warehouse: Warehouse, table: str) -> tuple[int, int] | None:
    """(writes, rows) of ``table``; None when the warehouse does not count writes."""

    def read() -> tuple[int, int] | None:
        if _look.get() is None:
            counted = writes(warehouse, table)
        elif not getattr(warehouse, "write_counts", False):
            counted = None
        else:  # every table's count in one query, once per look
            counted = looked(warehouse, "writes", lambda: _all_writes(warehouse)).get(table, 0)
        return None if counted is None else (counted, warehouse.count(table))

    return looked(warehouse, f"table:{table}", read)


def _all_writes(warehouse: Warehouse) -> dict[str, int]:
    rows = warehouse.query(f"SELECT name, writes FROM {TABLE}").rows
    return {str(name): int(count) for name, count in rows}


def forget_looks() -> None:
    """Forget what the current :func:`one_look` block has read (after writing in it)."""
    memo = _look.get()
    if memo is not None:
        memo.clear()
