"""The one load pipeline: every source's rows are validated, merged and committed the same way.

Files (``ingest/files/``), live connectors (``ingest/connectors/``) and the event drain
(``ingest/eventlog.py``) all hand the pipeline *batches* — rows (``dict``) or canonical
``DataFrame`` batches for one warehouse table. For each batch the pipeline

1. **validates** dict rows against the canonical table (:func:`~tradewinds.ingest.spec.check_row`);
   a row that does not fit is reported as a :class:`RowError` and left out;
2. **merges** it with what the table holds, by the table's declared policy
   (:class:`~tradewinds.warehouse.schema.MergePolicy`: ``replace``, ``first_seen`` or
   ``update``), then upserts it by primary key;
3. once every batch of the unit is in, **recomputes** ``customers.first_order_at`` from the
   orders when orders or customers changed, and **commits** the unit as one transaction.

After commit — never before — the pipeline tells the subscribers of the
``tradewinds_rows_changed`` hook what changed: one :class:`~tradewinds.hooks.RowsChanged`
per table whose rows changed (none for a table a re-import left as it was), with the
workspace, the row count, the kind of source and the first and last business day of the
rows loaded. Follow-ups (rollups, saved segments' counts …) subscribe to that event in
their own package's ``plugin.py``; nothing calls them by hand.

:func:`run` loads one source in one transaction. A source that commits in several units
(the drain: one transaction per run of events, its cursor moved after each) uses
:func:`loading`, which announces everything committed, once, when it ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from tradewinds.hooks import RowsChanged, emit_rows_changed
from tradewinds.ingest.spec import RowError, Source, check_row, rows_from_frame
from tradewinds.warehouse.backend import Warehouse
from tradewinds.warehouse.schema import TABLES, Table

log = logging.getLogger("tradewinds.ingest.pipeline")

Rows = list[dict[str, Any]] | pd.DataFrame
Progress = Callable[[str, int, int], None]

#: above this many keys in a batch, stored keys are read in one scan instead of by chunks
_SCAN_ABOVE = 2_000
_CHUNK = 500

FIRST_ORDER_SQL = (
    "UPDATE customers SET first_order_at = m.first_at FROM (SELECT customer_id, "
    "min(ordered_at) AS first_at FROM orders WHERE customer_id IS NOT NULL "
    "GROUP BY customer_id) AS m WHERE customers.customer_id = m.customer_id "
    "AND customers.first_order_at IS DISTINCT FROM m.first_at"
)


@dataclass(frozen=True)
class Batch:
    """Rows for one canonical table, as a source produced them."""

    table: str
    rows: Rows
    stream: str = ""
    #: (this stream's position, how many streams the source has), for progress
    part: tuple[int, int] = (0, 1)


@dataclass
class TableLoad:
    """What a load did to one table.

    ``duplicates`` counts rows already stored as they are (or left out by the table's
    merge policy); ``recomputed`` counts rows changed after loading (customers whose first
    order date moved); ``first_day``/``last_day`` bound the business days of the rows
    loaded (a superset of those that changed).
    """

    inserted: int = 0
    updated: int = 0
    duplicates: int = 0
    recomputed: int = 0
    first_day: date | None = None
    last_day: date | None = None

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.recomputed

    def add(self, other: TableLoad) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.duplicates += other.duplicates
        self.recomputed += other.recomputed
        self.first_day = _lowest(self.first_day, other.first_day)
        self.last_day = _highest(self.last_day, other.last_day)


@dataclass
class LoadReport:
    """What one load did: per table counts, rows left out, and whether it was announced."""

    workspace: str
    origin: str
    tables: dict[str, TableLoad] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    offered: dict[str, int] = field(default_factory=dict)
    announced: bool = False

    def table(self, name: str) -> TableLoad:
        return self.tables.setdefault(name, TableLoad())

    def changes(self) -> list[RowsChanged]:
        """One event per table whose rows changed, in load order."""
        return [
            RowsChanged(
                workspace=self.workspace,
                table=name,
                rows=load.changed,
                origin=self.origin,
                first_day=load.first_day,
                last_day=load.last_day,
            )
            for name, load in self.tables.items()
            if load.changed > 0
        ]


def announce(report: LoadReport) -> None:
    """Emit ``report``'s changes to the ``tradewinds_rows_changed`` subscribers (once)."""
    if report.announced:
        return
    report.announced = True
    changes = report.changes()
    if changes:
        emit_rows_changed(changes)


class Loader:
    """Commits units of batches into one warehouse and keeps the sum in :attr:`report`."""

    def __init__(self, warehouse: Warehouse, report: LoadReport) -> None:
        self.warehouse = warehouse
        self.report = report

    def commit(self, batches: Iterable[Batch], *, progress: Progress | None = None) -> None:
        """Validate, merge and load ``batches`` in one transaction; nothing is counted in
        the report unless the transaction commits."""
        unit: dict[str, TableLoad] = {}
        errors: list[RowError] = []
        offered: dict[str, int] = {}
        with self.warehouse.transaction():
            for batch in batches:
                if progress is not None:
                    progress(f"storing {batch.table}", *batch.part)
                spec = TABLES[batch.table]
                rows = _valid(spec, batch, errors)
                offered[spec.name] = offered.get(spec.name, 0) + _size(rows)
                unit.setdefault(spec.name, TableLoad()).add(merge_load(self.warehouse, spec, rows))
            recompute_first_orders(self.warehouse, unit)
        for name, load in unit.items():
            self.report.table(name).add(load)
        for name, count in offered.items():
            self.report.offered[name] = self.report.offered.get(name, 0) + count
        self.report.errors.extend(errors)


@contextmanager
def loading(warehouse: Warehouse, *, origin: str) -> Iterator[Loader]:
    """A load in one or more committed units, announced once when the block ends (also
    when it ends by an error: what was committed has changed)."""
    loader = Loader(warehouse, LoadReport(workspace=warehouse.workspace_key, origin=origin))
    try:
        yield loader
    finally:
        announce(loader.report)


def batches_of(source: Source, errors: list[RowError]) -> Iterator[Batch]:
    """The source's streams as batches; the row errors it yields go to ``errors``."""
    streams = source.streams()
    for i, stream in enumerate(streams):
        part = (i, len(streams))
        rows: list[dict[str, Any]] = []
        for item in stream.read():
            if isinstance(item, RowError):
                errors.append(item)
            elif isinstance(item, pd.DataFrame):
                yield Batch(stream.table.name, item, stream.name, part)
            else:
                rows.append(item)
        if rows:
            yield Batch(stream.table.name, rows, stream.name, part)


def run(source: Source, warehouse: Warehouse, *, progress: Progress | None = None) -> LoadReport:
    """Load every stream of ``source`` into ``warehouse`` in one transaction, then announce.

    A source whose class sets ``read_before_load`` (a live connector: its reads are
    requests that may fail) is read completely before the transaction opens, so a failed
    request loads nothing and holds no write lock while waiting on the network.
    """
    with loading(warehouse, origin=source.origin) as loader:
        read_errors: list[RowError] = []
        batches: Iterable[Batch] = batches_of(source, read_errors)
        if source.read_before_load:
            batches = list(batches)
        loader.commit(batches, progress=progress)
        loader.report.errors[:0] = read_errors
        report = loader.report
    return report


# ---------------------------------------------------------------- validation


def _valid(spec: Table, batch: Batch, errors: list[RowError]) -> Rows:
    if isinstance(batch.rows, pd.DataFrame):
        return batch.rows
    good = []
    for row in batch.rows:
        problems = check_row(spec, row)
        if problems:
            errors.append(
                RowError(batch.stream or spec.name, None, None, None, "; ".join(problems))
            )
        else:
            good.append(row)
    return good


def _size(rows: Rows) -> int:
    return len(rows)


# ---------------------------------------------------------------- merging


def merge_load(warehouse: Warehouse, spec: Table, rows: Rows) -> TableLoad:
    """Merge ``rows`` by ``spec``'s policy and upsert them; what changed."""
    if not len(rows):
        return TableLoad()
    skipped = 0
    policy = spec.merge
    if policy.kind == "first_seen":
        rows, skipped = _first_seen(warehouse, spec, rows)
    elif policy.kind == "update":
        rows = _updated(warehouse, spec, rows)
    result = TableLoad(duplicates=skipped)
    if not len(rows):
        return result
    loaded = warehouse.load(spec.name, rows)
    result.inserted, result.updated = loaded.inserted, loaded.updated
    result.duplicates += loaded.duplicates
    result.first_day, result.last_day = business_days(spec, rows)
    return result


def _keys(spec: Table, rows: Rows) -> list[tuple[Any, ...]]:
    if isinstance(rows, pd.DataFrame):
        columns = [rows[k].tolist() for k in spec.primary_key]
        return list(zip(*columns, strict=True))
    return [tuple(row.get(k) for k in spec.primary_key) for row in rows]


def stored_rows(
    warehouse: Warehouse,
    spec: Table,
    keys: Iterable[tuple[Any, ...]],
    *,
    columns: tuple[str, ...] | None = None,
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Stored rows (``columns``, or all) whose primary key is one of ``keys``, by key."""
    wanted = set(keys)
    if not wanted:
        return {}
    names = columns or spec.column_names
    select = ", ".join(names)
    key = spec.primary_key
    found: dict[tuple[Any, ...], dict[str, Any]] = {}

    def keep(result_rows: list[dict[str, Any]]) -> None:
        for row in result_rows:
            k = tuple(row[c] for c in key)
            if k in wanted:
                found[k] = row

    if len(wanted) > _SCAN_ABOVE:
        keep(warehouse.query(f"SELECT {select} FROM {spec.name}").as_dicts())
        return found
    firsts = sorted({k[0] for k in wanted}, key=str)
    for start in range(0, len(firsts), _CHUNK):
        chunk = firsts[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        keep(
            warehouse.query(
                f"SELECT {select} FROM {spec.name} WHERE {key[0]} IN ({marks})", chunk
            ).as_dicts()
        )
    return found


def _first_seen(warehouse: Warehouse, spec: Table, rows: Rows) -> tuple[Rows, int]:
    """Rows whose key is new (one per key: the first, or the earliest); how many were not."""
    keys = _keys(spec, rows)
    chosen = _first_per_key(keys, _earliest_values(spec, rows))
    stored = stored_rows(warehouse, spec, set(keys), columns=spec.primary_key)
    keep = [i for i in chosen if keys[i] not in stored]
    skipped = len(keys) - len(keep)
    if isinstance(rows, pd.DataFrame):
        return rows.iloc[keep].reset_index(drop=True), skipped
    return [rows[i] for i in keep], skipped


def _earliest_values(spec: Table, rows: Rows) -> list[Any] | None:
    column = spec.merge.earliest
    if column is None:
        return None
    if isinstance(rows, pd.DataFrame):
        return [None if pd.isna(v) else v for v in rows[column].tolist()]
    return [row.get(column) for row in rows]


def _first_per_key(keys: list[tuple[Any, ...]], earliest: list[Any] | None) -> list[int]:
    """Positions kept: per key the first row, or the one with the lowest ``earliest``."""
    best: dict[tuple[Any, ...], int] = {}
    for i, key in enumerate(keys):
        if key not in best:
            best[key] = i
        elif earliest is not None:
            now, before = earliest[i], earliest[best[key]]
            if now is not None and (before is None or now < before):
                best[key] = i
    return sorted(best.values())


def _updated(warehouse: Warehouse, spec: Table, rows: Rows) -> Rows:
    """One row per key: the stored row, then each arriving row's non-NULL values over it."""
    keys = _keys(spec, rows)
    stored = stored_rows(warehouse, spec, set(keys))
    if isinstance(rows, pd.DataFrame):
        if not stored and len(set(keys)) == len(keys):
            return rows  # nothing to fold: the batch loads as it is (large first imports)
        rows = list(rows_from_frame(rows))
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key, row in zip(keys, rows, strict=True):
        current = merged.get(key)
        if current is None:
            current = dict(stored.get(key) or {})
            merged[key] = current
        current.update({k: v for k, v in row.items() if v is not None and not _missing(v)})
    return list(merged.values())


def _missing(value: Any) -> bool:
    return value is pd.NA or value is pd.NaT


# ---------------------------------------------------------------- after loading


def recompute_first_orders(warehouse: Warehouse, unit: dict[str, TableLoad]) -> None:
    """Each customer's first order date from the orders, when orders or customers changed."""
    touched = any(unit[t].changed for t in ("orders", "customers") if t in unit)
    if not touched:
        return
    moved = warehouse.execute(FIRST_ORDER_SQL)
    if moved:
        unit.setdefault("customers", TableLoad()).recomputed += moved


def business_days(spec: Table, rows: Rows) -> tuple[date | None, date | None]:
    """The lowest and highest business day of ``rows`` (from the table's ``days`` columns)."""
    low: date | None = None
    high: date | None = None
    for column in spec.days:
        if isinstance(rows, pd.DataFrame):
            if column not in rows.columns:
                continue
            values = rows[column].dropna()
            if values.empty:
                continue
            low = _lowest(low, _day(values.min()))
            high = _highest(high, _day(values.max()))
            continue
        for row in rows:
            day = _day(row.get(column))
            low, high = _lowest(low, day), _highest(high, day)
    return low, high


def _day(value: Any) -> date | None:
    if value is None or _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def _lowest(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else min(a, b)


def _highest(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else max(a, b)


__all__ = [
    "Batch",
    "LoadReport",
    "Loader",
    "TableLoad",
    "announce",
    "batches_of",
    "loading",
    "merge_load",
    "run",
]
