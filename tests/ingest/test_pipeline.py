"""The one load pipeline: one "rows changed" event per changed table after commit, for every
kind of source, and the same merge policy whichever source brings a row."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.ingest.connectors import test_shopify
from tests.ingest.connectors.replay_server import ReplayServer
from tests.ingest.samples import SAMPLES
from tests.ingest.test_eventlog import EVENTS, _store
from tradewinds.ingest.connectors.http import JsonHttp
from tradewinds.ingest.connectors.shopify import ShopifySource, customer_key
from tradewinds.ingest.connectors.sync import sync_source
from tradewinds.ingest.eventlog import DRAIN_CURSOR, EventLog, drain_to_warehouse
from tradewinds.ingest.pipeline import Batch, loading
from tradewinds.ingest.service import import_file


@pytest.fixture
def wh(warehouse, rows_changed, tw_home):
    """The warehouse (DuckDB and PostgreSQL) of workspace ``shop``, watched by the recorder."""
    warehouse.workspace_key = "shop"
    rows_changed.warehouse = warehouse
    return warehouse


def _shopify_sync(warehouse) -> None:
    with ReplayServer() as server:
        test_shopify.serve(server)
        shop = ShopifySource(
            shop_url=server.base,
            access_token="shpat_test",
            http=JsonHttp(sleep=lambda seconds: None),
        )
        result = sync_source(source=shop, warehouse=warehouse)
    assert result.errors == []


def _once_each(recorder) -> set[str]:
    tables = recorder.tables()
    assert len(tables) == len(set(tables)), f"one event per changed table, got {tables}"
    assert not any(recorder.during_transaction), "announced before the commit"
    assert {c.workspace for c in recorder.changes} == {"shop"}
    return set(tables)


def test_a_file_announces_each_changed_table_once_and_a_reimport_nothing(
    wh, rows_changed, tmp_path: Path
) -> None:
    path = SAMPLES["shopify_orders"](tmp_path, False)
    import_file(warehouse=wh, path=path)
    assert _once_each(rows_changed) == {
        "orders",
        "order_lines",
        "customers",
        "customer_pii",
        "products",
    }
    assert {c.origin for c in rows_changed.changes} == {"file"}
    orders = next(c for c in rows_changed.changes if c.table == "orders")
    assert orders.rows == 2
    assert (orders.first_day, orders.last_day) == (date(2022, 4, 7), date(2022, 4, 7))
    rows_changed.clear()
    again = import_file(warehouse=wh, path=path)
    assert again.duplicates == again.read
    assert rows_changed.changes == []


def test_a_connector_announces_each_changed_table_once_and_a_resync_nothing(
    wh, rows_changed
) -> None:
    _shopify_sync(wh)
    assert _once_each(rows_changed) == {
        "orders",
        "order_lines",
        "customers",
        "customer_pii",
        "products",
    }
    assert {c.origin for c in rows_changed.changes} == {"connector"}
    rows_changed.clear()
    _shopify_sync(wh)
    assert rows_changed.changes == []


def test_the_drain_announces_once_after_all_its_commits(wh, rows_changed, tw_home) -> None:
    log = EventLog(tw_home / "events.sqlite")
    _store(log, EVENTS)
    drain_to_warehouse(log=log, warehouse=wh, storefront="web", batch_size=2)  # two commits
    assert _once_each(rows_changed) == {
        "events",
        "identities",
        "touchpoints",
        "customer_pii",
        "customers",
        "products",
        "orders",
        "order_lines",
    }
    assert {c.origin for c in rows_changed.changes} == {"events"}
    events = next(c for c in rows_changed.changes if c.table == "events")
    assert (events.rows, events.first_day, events.last_day) == (
        4,
        date(2026, 3, 1),
        date(2026, 3, 2),
    )
    rows_changed.clear()
    # a crash after the load, before the cursor moved: drained again, nothing changes
    log._conn.execute("DELETE FROM order_states")
    log.set_cursor(DRAIN_CURSOR, 0)
    assert drain_to_warehouse(log=log, warehouse=wh, storefront="web").events == 4
    assert rows_changed.changes == []
    log.close()


def test_a_failed_load_announces_nothing(wh, rows_changed) -> None:
    row = {
        "order_id": "x:1",
        "storefront": "x",
        "ordered_at": datetime(2026, 1, 1, tzinfo=UTC),
        "currency": "EUR",
        "total": Decimal("1"),
    }

    def failing():
        yield Batch("orders", [row])
        raise RuntimeError("the source broke off")

    with pytest.raises(RuntimeError), loading(wh, origin="file") as loader:
        loader.commit(failing())
    assert rows_changed.changes == []
    assert wh.count("orders") == 0


def _order_total(warehouse, order_id: str) -> tuple[int, Decimal | None]:
    rows = warehouse.query("SELECT total FROM orders WHERE order_id = ?", [order_id]).rows
    return len(rows), (Decimal(str(rows[0][0])) if rows else None)


def test_the_same_order_from_a_file_a_connector_and_events_is_one_row(
    wh, tw_home, tmp_path: Path
) -> None:
    """Orders are ``replace``: one row per order id, holding what the latest load said."""
    path = SAMPLES["shopify_orders"](tmp_path, False)
    import_file(warehouse=wh, path=path)
    assert _order_total(wh, "shopify:1001") == (1, Decimal("37.00"))
    _shopify_sync(wh)
    assert _order_total(wh, "shopify:1001") == (1, Decimal("199.65"))
    log = EventLog(tw_home / "events.sqlite")
    _store(
        log,
        [
            {
                "type": "track",
                "userId": "c1",
                "messageId": "o-1001",
                "event": "Order Completed",
                "timestamp": "2022-04-07T01:52:40Z",
                "properties": {"order_id": "1001", "total": "40.00", "currency": "USD"},
            }
        ],
    )
    drain_to_warehouse(log=log, warehouse=wh, storefront="shopify")
    log.close()
    assert _order_total(wh, "shopify:1001") == (1, Decimal("40.00"))
    import_file(warehouse=wh, path=path)  # an older export, imported again, restates it
    assert _order_total(wh, "shopify:1001") == (1, Decimal("37.00"))


def test_a_customer_from_a_file_and_from_events_is_updated_not_erased(
    wh, tw_home, tmp_path: Path
) -> None:
    """Customers are ``update``: values a later source carries replace, the rest stay."""
    import_file(warehouse=wh, path=SAMPLES["shopify_orders"](tmp_path, False))
    ana = customer_key("ana@example.com")
    before = wh.query(
        "SELECT country, accepts_marketing, first_order_at FROM customers WHERE customer_id = ?",
        [ana],
    ).rows
    assert before and before[0][0] == "US" and before[0][1] is True
    log = EventLog(tw_home / "events.sqlite")
    _store(
        log,
        [
            {
                "type": "identify",
                "userId": ana,
                "messageId": "i-ana",
                "timestamp": "2026-03-01T09:00:00Z",
                "traits": {"phone": "+15550199"},
            }
        ],
    )
    drain_to_warehouse(log=log, warehouse=wh, storefront="shopify")
    log.close()
    after = wh.query(
        "SELECT country, accepts_marketing, first_order_at FROM customers WHERE customer_id = ?",
        [ana],
    ).rows
    assert after == before
    (pii,) = wh.query("SELECT email, phone FROM customer_pii WHERE customer_id = ?", [ana]).rows
    assert pii == ("ana@example.com", "+15550199")


def test_events_and_identities_keep_what_was_seen_first(wh) -> None:
    first = datetime(2026, 3, 1, 9, tzinfo=UTC)
    later = datetime(2026, 3, 2, 9, tzinfo=UTC)
    event = {"message_id": "m1", "type": "track", "event": "Product Viewed", "timestamp": first}
    with loading(wh, origin="events") as loader:
        loader.commit(
            [
                Batch("events", [event]),
                Batch(
                    "identities",
                    [
                        {"anonymous_id": "a1", "user_id": "c1", "first_seen_at": later},
                        {"anonymous_id": "a1", "user_id": "c1", "first_seen_at": first},
                    ],
                ),
            ]
        )
    with loading(wh, origin="events") as loader:
        loader.commit(
            [
                Batch("events", [{**event, "event": "Renamed", "timestamp": later}]),
                Batch(
                    "identities",
                    [
                        {
                            "anonymous_id": "a1",
                            "user_id": "c1",
                            "first_seen_at": datetime(2020, 1, 1, tzinfo=UTC),
                        }
                    ],
                ),
            ]
        )
    assert loader.report.changes() == []
    assert loader.report.tables["events"].duplicates == 1
    assert wh.query("SELECT event FROM events").rows == [("Product Viewed",)]
    (seen,) = wh.query("SELECT first_seen_at FROM identities").rows
    assert seen[0].astimezone(UTC) == first


def test_first_order_dates_follow_orders_from_any_source(wh, rows_changed) -> None:
    def order(order_id: str, day: int) -> dict:
        return {
            "order_id": order_id,
            "customer_id": "c1",
            "storefront": "web",
            "ordered_at": datetime(2026, 3, day, tzinfo=UTC),
            "currency": "EUR",
            "total": Decimal("10"),
        }

    with loading(wh, origin="events") as loader:
        loader.commit(
            [
                Batch("customers", [{"customer_id": "c1", "country": "FR"}]),
                Batch("orders", [order("web:2", 5)]),
            ]
        )
    with loading(wh, origin="connector") as loader:
        loader.commit([Batch("orders", [order("web:1", 2)])])
    (first,) = wh.query("SELECT first_order_at FROM customers").rows
    assert first[0].astimezone(UTC) == datetime(2026, 3, 2, tzinfo=UTC)
    last = [c for c in rows_changed.changes if c.origin == "connector"]
    assert [(c.table, c.rows) for c in last] == [("orders", 1), ("customers", 1)]


def test_rows_that_do_not_fit_are_reported_with_their_stream(wh) -> None:
    with loading(wh, origin="connector") as loader:
        loader.commit([Batch("orders", [{"order_id": "x:1", "total": "ten"}], "orders_api")])
    (error,) = loader.report.errors
    assert error.file == "orders_api"
    assert "total should be decimal" in error.reason and "storefront is required" in error.reason
    assert loader.report.changes() == []
