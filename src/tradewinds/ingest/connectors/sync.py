"""Run a connector through the load pipeline: read every stream, then load it all in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tradewinds.ingest.pipeline import LoadReport, run
from tradewinds.ingest.spec import Source
from tradewinds.warehouse.backend import Warehouse


@dataclass
class SyncResult:
    read: int = 0
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    load: LoadReport | None = field(default=None, repr=False, compare=False)


def sync_source(*, source: Source, warehouse: Warehouse) -> SyncResult:
    """Read all streams first (API calls), then load them in one warehouse transaction.

    Nothing is loaded when a request fails for good, so a failed run leaves no half sync;
    rows that do not fit their table are reported, not loaded. The returned ``state`` is
    what to save for the next, incremental, run. The pipeline announces the tables whose
    rows changed, so saved segments and rollups follow a sync as they follow an import.
    """
    report = run(source, warehouse)
    result = SyncResult(load=report)
    result.errors = [str(e) for e in report.errors]
    for name, load in report.tables.items():
        result.tables[name] = {
            "rows": report.offered.get(name, 0),
            "inserted": load.inserted,
            "updated": load.updated,
        }
    result.read = source.rows_read
    result.state = dict(getattr(source, "state", {}) or {})
    return result
