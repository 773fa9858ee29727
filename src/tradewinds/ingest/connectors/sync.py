"""Run a connector: read every stream, then load it all into the warehouse in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tradewinds.ingest.spec import RowError, Source, check_row


@dataclass
class SyncResult:
    read: int = 0
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)


def sync_source(*, source: Source, warehouse: Any) -> SyncResult:
    """Read all streams first (API calls), then load them in one warehouse transaction.

    Nothing is loaded when a request fails for good, so a failed run leaves no half sync;
    rows that do not fit their table are reported, not loaded. The returned ``state`` is
    what to save for the next, incremental, run.
    """
    result = SyncResult()
    batches: list[tuple[str, list[dict[str, Any]]]] = []
    for stream in source.streams():
        rows = []
        for item in stream.read():
            if isinstance(item, RowError):
                result.errors.append(str(item))
                continue
            problems = check_row(stream.table, item)
            if problems:
                result.errors.append(f"{stream.name}: {'; '.join(problems)}")
                continue
            rows.append(item)
        batches.append((stream.table.name, rows))
    with warehouse.transaction():
        for name, rows in batches:
            counts = result.tables.setdefault(name, {"rows": 0, "inserted": 0, "updated": 0})
            counts["rows"] += len(rows)
            if rows:
                loaded = warehouse.load(name, rows)
                counts["inserted"] += loaded.inserted
                counts["updated"] += loaded.updated
    result.read = source.rows_read
    result.state = dict(getattr(source, "state", {}) or {})
    return result
