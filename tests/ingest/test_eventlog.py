from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import orjson

from tradewinds.ingest.eventlog import (
    DRAIN_CURSOR,
    EventLog,
    EventLogs,
    Failure,
    drain_to_warehouse,
    open_log,
    safe_name,
)
from tradewinds.ingest.events import Accepted, validate_one

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def accepted(message_id: str, **extra) -> Accepted:
    event = {"type": "track", "event": "Thing", "userId": "u", "messageId": message_id, **extra}
    result = validate_one(event, index=0, received_at=NOW)
    assert isinstance(result, Accepted)
    return result


def test_message_ids_are_stored_once(tmp_path):
    log = EventLog(tmp_path / "e.sqlite")
    assert log.write([accepted("a"), accepted("b")], received_at=NOW) == 2
    assert log.write([accepted("b"), accepted("c"), accepted("c")], received_at=NOW) == 1
    assert sorted(log.message_ids()) == ["a", "b", "c"]
    log.close()


def test_failures_are_kept_with_reason_and_raw(tmp_path):
    log = EventLog(tmp_path / "e.sqlite")
    log.write(
        [],
        [Failure("batch", "track needs an event name", b'{"type":"track"}', "m9", 4)],
        received_at=NOW,
    )
    (failure,) = log.failures()
    assert (failure.endpoint, failure.batch_index, failure.message_id, failure.reason) == (
        "batch",
        4,
        "m9",
        "track needs an event name",
    )
    assert failure.raw == b'{"type":"track"}'
    assert log.failure_count() == 1


def test_group_committer_stores_everything_acknowledged(tmp_path):
    logs = EventLogs(tmp_path)
    writer = logs.writer("shop-1")

    async def send() -> None:
        await asyncio.gather(
            *(
                writer.append([accepted(f"m{i}"), accepted(f"m{i // 2}")], received_at=NOW)
                for i in range(300)
            )
        )

    asyncio.run(send())
    logs.close()
    log = open_log(tmp_path, "shop-1")
    assert log.count() == 300
    assert set(log.message_ids()) == {f"m{i}" for i in range(300)}


def test_prune_keeps_undrained_and_recent_events(tmp_path):
    log = EventLog(tmp_path / "e.sqlite")
    old = NOW - timedelta(days=8)
    log.write([accepted("old-1"), accepted("old-2")], received_at=old)
    log.write([accepted("new-1")], received_at=NOW)
    first_seq = log.read_after(0)[0].seq
    log.set_cursor(DRAIN_CURSOR, first_seq)  # only old-1 drained
    assert log.prune(now=NOW, cursor_name=DRAIN_CURSOR) == 1
    assert sorted(log.message_ids()) == ["new-1", "old-2"]
    # within the window, a drained message id still blocks a duplicate
    log.set_cursor(DRAIN_CURSOR, 10**9)
    assert log.prune(now=NOW, cursor_name=DRAIN_CURSOR) == 1
    assert log.write([accepted("new-1")], received_at=NOW) == 0


def test_safe_name():
    assert safe_name("shop-1") == "shop-1"
    assert safe_name("../etc").startswith("ws-")
    assert safe_name("../etc") != safe_name("../etd")


def _store(log: EventLog, events: list[dict]) -> None:
    items = []
    for event in events:
        result = validate_one(event, index=0, received_at=NOW)
        assert isinstance(result, Accepted), result
        items.append(result)
    log.write(items, received_at=NOW)


EVENTS = [
    {
        "type": "page",
        "anonymousId": "a1",
        "messageId": "p1",
        "name": "Landing",
        "timestamp": "2026-03-01T09:00:00Z",
        "context": {
            "page": {
                "url": "https://shop.example/?utm_source=meta&utm_medium=paid_social&fbclid=FB1",
                "referrer": "https://m.facebook.com/",
            }
        },
    },
    {
        "type": "identify",
        "anonymousId": "a1",
        "userId": "c1",
        "messageId": "i1",
        "timestamp": "2026-03-01T09:05:00Z",
        "traits": {"email": "c1@example.com"},
    },
    {
        "type": "track",
        "anonymousId": "a1",
        "userId": "c1",
        "messageId": "o1",
        "event": "Order Completed",
        "timestamp": "2026-03-01T09:10:00Z",
        "properties": {
            "order_id": "5001",
            "total": "30.00",
            "currency": "GBP",
            "products": [{"product_id": "p9", "price": 15, "quantity": 2}],
        },
    },
    {
        "type": "track",
        "userId": "c1",
        "messageId": "r1",
        "event": "Order Refunded",
        "timestamp": "2026-03-02T09:00:00Z",
        "properties": {"order_id": "5001", "total": 15},
    },
]


def _snapshot(wh) -> dict:
    return {
        table: sorted(map(repr, wh.query(f"SELECT * FROM {table}").rows))
        for table in ("events", "orders", "order_lines", "touchpoints", "identities", "products")
    }


def test_drain_fills_the_warehouse_idempotently(tw_home):
    from tradewinds.warehouse.factory import open_warehouse

    log = EventLog(tw_home / "events.sqlite")
    _store(log, EVENTS)
    with open_warehouse("shop1") as wh:
        result = drain_to_warehouse(log=log, warehouse=wh, storefront="web", batch_size=2)
        assert result.events == 4
        assert wh.count("events") == 4
        order = wh.query("SELECT order_id, total, refunded, status, currency FROM orders").rows
        assert [(o[0], Decimal(str(o[1])), Decimal(str(o[2])), o[3], o[4]) for o in order] == [
            ("web:5001", Decimal("30"), Decimal("15"), "partially_refunded", "GBP")
        ]
        assert wh.query("SELECT order_id, line_no, quantity FROM order_lines").rows == [
            ("web:5001", 1, 2)
        ]
        assert wh.query("SELECT channel, fbclid FROM touchpoints").rows == [("paid_social", "FB1")]
        assert wh.query("SELECT anonymous_id, user_id FROM identities").rows == [("a1", "c1")]
        before = _snapshot(wh)
        # nothing new: nothing moves
        assert drain_to_warehouse(log=log, warehouse=wh).events == 0
        # a crash after the warehouse load but before the cursor moved: drained again
        log._conn.execute("DELETE FROM order_states")
        log.set_cursor(DRAIN_CURSOR, 0)
        assert drain_to_warehouse(log=log, warehouse=wh, storefront="web").events == 4
        assert _snapshot(wh) == before
        traits = wh.query("SELECT traits FROM events WHERE message_id = 'i1'").scalar()
        traits = traits if isinstance(traits, dict) else orjson.loads(traits)
        assert traits == {"email": "c1@example.com"}


def test_identify_traits_fill_customers_and_later_calls_keep_earlier_values(tw_home):
    from tradewinds.warehouse.factory import open_warehouse

    log = EventLog(tw_home / "events.sqlite")
    _store(
        log,
        [
            {
                "type": "identify",
                "userId": "c9",
                "messageId": "i-1",
                "timestamp": "2026-03-01T09:00:00Z",
                "traits": {
                    "email": "nine@example.com",
                    "firstName": "Nia",
                    "createdAt": "2025-12-24T08:00:00Z",
                    "address": {"city": "Lyon", "country": "FR", "postalCode": "69001"},
                },
            }
        ],
    )
    with open_warehouse("people") as wh:
        drain_to_warehouse(log=log, warehouse=wh)
        _store(
            log,
            [
                {
                    "type": "identify",
                    "userId": "c9",
                    "messageId": "i-2",
                    "traits": {"phone": "+33 4 00 00 00 00"},
                }
            ],
        )
        drain_to_warehouse(log=log, warehouse=wh)
        (pii,) = wh.query(
            "SELECT email, phone, first_name, city, postal_code, country "
            "FROM customer_pii WHERE customer_id = 'c9'"
        ).rows
        assert pii == ("nine@example.com", "+33 4 00 00 00 00", "Nia", "Lyon", "69001", "FR")
        (customer,) = wh.query("SELECT country, created_at FROM customers").rows
        assert customer[0] == "FR"
        assert customer[1].replace(tzinfo=None) == datetime(2025, 12, 24, 8, 0)
