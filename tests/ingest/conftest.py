"""Fixtures shared by the ingest tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tradewinds.hooks import RowsChanged, hookimpl, plugin_manager, reset_plugins


@dataclass
class RowsChangedRecorder:
    """A throw-away plugin keeping every "rows changed" event, and whether the warehouse
    that loaded the rows was still inside its transaction when the event arrived."""

    changes: list[RowsChanged] = field(default_factory=list)
    during_transaction: list[bool] = field(default_factory=list)
    warehouse: object | None = None

    @hookimpl
    def tradewinds_rows_changed(self, change: RowsChanged) -> None:
        self.changes.append(change)
        self.during_transaction.append(bool(getattr(self.warehouse, "in_transaction", False)))

    def tables(self) -> list[str]:
        return [c.table for c in self.changes]

    def clear(self) -> None:
        self.changes.clear()
        self.during_transaction.clear()


@pytest.fixture
def rows_changed() -> Iterator[RowsChangedRecorder]:
    """Records the events the load pipeline emits (registered beside the real plugins)."""
    recorder = RowsChangedRecorder()
    plugin_manager().register(recorder)
    try:
        yield recorder
    finally:
        reset_plugins()
