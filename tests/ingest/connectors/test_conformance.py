"""One conformance suite for every registered live connector, as for every file format.

Each connector is built from its declared settings, as a stored source is, and read from
its recorded vendor responses replayed by a local HTTP server.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.ingest.connectors.recorded import RECORDINGS
from tests.ingest.connectors.replay_server import ReplayServer
from tradewinds.ingest.connectors.base import Connector
from tradewinds.ingest.connectors.registry import CONNECTORS
from tradewinds.ingest.connectors.sync import sync_source
from tradewinds.ingest.parsing import currency_codes
from tradewinds.ingest.spec import RowError, check_row
from tradewinds.warehouse.schema import TABLES

KINDS = sorted(CONNECTORS)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Recorded rate limits ask for waits; the waits are recorded instead of slept."""
    from tradewinds.ingest.connectors import http

    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    return waits


def _built(kind: str, server: ReplayServer, state: dict | None = None) -> Connector:
    recording = RECORDINGS[kind]
    return CONNECTORS[kind].from_settings(
        recording.settings(server), state=state, today=recording.today
    )


def _read(kind: str) -> tuple[Connector, dict[str, list]]:
    with ReplayServer() as server:
        RECORDINGS[kind].serve(server)
        connector = _built(kind, server)
        try:
            items = {s.table.name: list(s.read()) for s in connector.streams()}
        finally:
            connector.close()
    return connector, items


def test_every_registered_connector_has_a_recording() -> None:
    assert sorted(RECORDINGS) == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_declares_itself_on_its_class(kind: str) -> None:
    cls = CONNECTORS[kind]
    assert cls.kind == kind
    assert cls.name and cls.label
    assert cls.tables and set(cls.tables) <= set(TABLES)
    assert cls.settings and "access_token" in cls.settings
    assert cls.origin == "connector" and cls.read_before_load is True
    assert set(RECORDINGS[kind].settings(ReplayServer())) <= {*cls.settings, *cls.optional_settings}


@pytest.mark.parametrize("kind", KINDS)
def test_streams_fill_the_declared_tables_in_order(kind: str) -> None:
    with ReplayServer() as server:
        connector = _built(kind, server)
        assert [s.table.name for s in connector.streams()] == list(CONNECTORS[kind].tables)
        connector.close()


@pytest.mark.parametrize("kind", KINDS)
def test_yields_canonical_rows(kind: str) -> None:
    connector, items = _read(kind)
    stored = 0
    for name, rows in items.items():
        for row in rows:
            assert not isinstance(row, RowError), row
            assert isinstance(row, dict)
            assert check_row(TABLES[name], row) == [], (name, row)
            for col in TABLES[name].columns:
                if col.type == "decimal" and row.get(col.name) is not None:
                    assert isinstance(row[col.name], Decimal)
            if row.get("currency") is not None:
                assert row["currency"] in currency_codes()
            stored += 1
    assert stored > 0
    assert connector.rows_read > 0
    assert connector.state, "a connector keeps cursors for its next run"


@pytest.mark.parametrize("kind", KINDS)
def test_personal_data_only_in_customer_pii(kind: str) -> None:
    _, items = _read(kind)
    personal = RECORDINGS[kind].personal
    for name, rows in items.items():
        if name == "customer_pii":
            continue
        values = {str(v) for row in rows for v in row.values()}
        assert not personal & values, name


@pytest.mark.parametrize("kind", KINDS)
def test_sync_announces_what_changed_and_a_second_sync_nothing(
    kind: str, warehouse, rows_changed, tw_home
) -> None:
    warehouse.workspace_key = "conformance"
    rows_changed.warehouse = warehouse
    for attempt in range(2):
        with ReplayServer() as server:
            RECORDINGS[kind].serve(server)
            connector = _built(kind, server)
            try:
                result = sync_source(source=connector, warehouse=warehouse)
            finally:
                connector.close()
        assert result.errors == []
        if attempt == 0:
            first = list(rows_changed.changes)
    assert first, "the first sync changed rows"
    tables = [c.table for c in first]
    assert len(tables) == len(set(tables)), "one event per table"
    assert set(tables) <= set(CONNECTORS[kind].tables) | {"customers"}
    assert {c.origin for c in first} == {"connector"}
    assert {c.workspace for c in first} == {"conformance"}
    assert all(c.rows > 0 for c in first)
    assert not any(rows_changed.during_transaction), "announced after commit"
    assert rows_changed.changes == first, "syncing the same responses again changes nothing"
