"""What every derived table (rollup) shares: the record of what it was built from, and
bringing it up to date under one lock per warehouse and rollup.

Each rollup (``cohort_rollup``, ``order_rollup``, ``touch_rollup``, ``visit_rollup``) keeps a
row in
``_rollups`` (name, fingerprint, built_at): the fingerprint of the rows it was built from.
A report reads the rollup only while that fingerprint is the tables' current one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tradewinds.warehouse.errors import WarehouseError

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

log = logging.getLogger("tradewinds.analytics")

STATE = "_rollups"
_locks: dict[tuple[str, str], threading.Lock] = {}
_guard = threading.Lock()


def stored(warehouse: Warehouse, name: str) -> str | None:
    """The fingerprint rollup ``name`` was last built at (None: never built here)."""
    from tradewinds.warehouse.writes import looked

    def read() -> str | None:
        try:
            rows = warehouse.query(
                f"SELECT fingerprint FROM {STATE} WHERE name = $name", {"name": name}
            ).rows
        except WarehouseError:  # never built in this warehouse
            return None
        return rows[0][0] if rows else None

    return looked(warehouse, f"rollup:{name}", read)


def record(warehouse: Warehouse, name: str, fingerprint: str) -> None:
    """Record that rollup ``name`` was just built from the rows ``fingerprint`` names."""
    warehouse.execute(
        f"CREATE TABLE IF NOT EXISTS {STATE} (name VARCHAR PRIMARY KEY, "
        "fingerprint VARCHAR NOT NULL, built_at TIMESTAMP)"
    )
    warehouse.execute(
        f"INSERT OR REPLACE INTO {STATE} VALUES ($name, $fp, now())",
        {"name": name, "fp": fingerprint},
    )
    from tradewinds.warehouse.writes import forget_looks

    forget_looks()


def tables_version(warehouse: Warehouse, tables: tuple[str, ...]) -> str:
    """The fingerprint of ``tables``: the warehouse's count of writes to each and its rows
    (``warehouse/writes.py``)."""
    return "|".join(f"{t} {table_state_text(warehouse, t)}" for t in tables)


def table_state_text(warehouse: Warehouse, table: str) -> str:
    """``writes W rows R`` of ``table`` (``writes None rows R`` where writes are not
    counted), read once per ``warehouse.writes.one_look`` block."""
    from tradewinds.warehouse.writes import table_state

    state = table_state(warehouse, table)
    if state is None:
        return f"writes None rows {warehouse.count(table)}"
    return f"writes {state[0]} rows {state[1]}"


def lock(warehouse: Warehouse, name: str) -> threading.Lock:
    """One lock per warehouse file and rollup: one rebuild at a time."""
    key = (str(getattr(warehouse, "path", id(warehouse))), name)
    with _guard:
        return _locks.setdefault(key, threading.Lock())


def ensure(
    warehouse: Warehouse, *, name: str, version: Callable[[], str], rebuild: Callable[[str], Any]
) -> bool:
    """Rebuild rollup ``name`` (``rebuild(current)``) unless it matches ``version()``;
    False when the warehouse cannot answer or be written (the caller reads the tables)."""
    try:
        current = version()
        if stored(warehouse, name) == current:
            return True
        with lock(warehouse, name):
            current = version()
            if stored(warehouse, name) != current:
                rebuild(current)
        return True
    except WarehouseError:
        return False


@dataclass(frozen=True)
class Rollup:
    """One derived table kept up to date from the warehouse's count of writes: its name,
    the fingerprint of what it is built from, and the statements that build it. The order,
    touch and visit rollups are each one (their modules' ``fresh``, ``ensure``, ``refresh``
    and ``warm``); DuckDB only (``rollup_tables`` and ``write_counts``)."""

    name: str
    label: str  # for the logs: "order rollup"
    version: Callable[[Warehouse], str]
    build: Callable[[Warehouse], None]

    def supported(self, warehouse: Warehouse) -> bool:
        return bool(warehouse.rollup_tables and warehouse.write_counts)

    def refresh(self, warehouse: Warehouse, *, current: str | None = None) -> float:
        """Rebuild the rollup from its tables; returns the seconds it took."""
        started = time.perf_counter()
        current = current or self.version(warehouse)
        self.build(warehouse)
        record(warehouse, self.name, current)
        return time.perf_counter() - started

    def fresh(self, warehouse: Warehouse) -> bool:
        """True when the rollup exists and matches its tables (never rebuilds: a report
        that finds it out of date reads the tables, and the next load rebuilds it)."""
        if not self.supported(warehouse):
            return False
        try:
            return stored(warehouse, self.name) == self.version(warehouse)
        except WarehouseError:
            return False

    def ensure(self, warehouse: Warehouse) -> bool:
        """Bring the rollup up to date if it is not; False when it cannot be (PostgreSQL,
        a read-only warehouse)."""
        if not self.supported(warehouse):
            return False
        return ensure(
            warehouse,
            name=self.name,
            version=lambda: self.version(warehouse),
            rebuild=lambda current: self.refresh(warehouse, current=current),
        )

    def warm(self, workspace_key: str) -> None:
        """Rebuild the rollup after a write if its tables changed. Never fails the caller:
        a problem is logged and reports read the tables meanwhile."""
        from tradewinds.warehouse import open_warehouse

        try:
            with open_warehouse(workspace_key) as warehouse:
                self.ensure(warehouse)
        except Exception:
            log.exception("could not bring the %s of %s up to date", self.label, workspace_key)
