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
from typing import Any

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


def writes(warehouse: Any, table: str) -> int | None:
    """How many writes ``table`` has had (0 before the first); None when not counted."""
    if not getattr(warehouse, "write_counts", False):
        return None
    rows = warehouse.query(f"SELECT writes FROM {TABLE} WHERE name = $name", {"name": table}).rows
    return int(rows[0][0]) if rows else 0
