from __future__ import annotations

from datetime import date

from tests.analytics.fixtures import ts
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.funnels import FunnelRow
from tradewinds.analytics.service import funnel_report


def _event(i: int, who: str, name: str, *, source: str = "google", country: str = "FR"):
    return {
        "message_id": f"m{i}",
        "type": "track",
        "event": name,
        "anonymous_id": who,
        "timestamp": ts("2024-01-05"),
        "context": {
            "location": {"country": country},
            "campaign": {"source": source, "medium": "cpc"},
        },
    }


def test_drop_off_by_hand() -> None:
    row = FunnelRow({}, [10, 4, 2, 1])
    assert row.drop_off == [0.6, 0.5, 0.5] and row.conversion == 0.1
    assert FunnelRow({}, [0, 0, 0, 0]).drop_off == [None, None, None]


def test_funnel_by_channel_and_country(warehouse) -> None:
    steps = ["Product Viewed", "Product Added", "Checkout Started", "Order Completed"]
    events = []
    plan = {"a": steps[:2], "b": [steps[0], steps[2]], "c": steps, "d": steps[:1]}
    for who, names in plan.items():
        for name in names:
            src = "tiktok" if who == "d" else "google"
            events.append(
                _event(len(events), who, name, source=src, country="DE" if who == "d" else "FR")
            )
    events.append(_event(99, "a", "Product Viewed"))  # sent twice, counted once
    warehouse.load("events", events)
    scope = make_scope(
        start=date(2024, 1, 1),
        end=date(2024, 1, 31),
        default_end=date(2024, 1, 31),
        group_by="channel,country",
    )
    body = funnel_report(warehouse=warehouse, scope=scope)
    rows = {(r["channel"], r["country"]): r for r in body["rows"]}
    google = rows[("google", "France")]
    # b skipped "Product Added", so it stops at step 1
    assert [s["visitors"] for s in google["steps"]] == [3, 2, 1, 1]
    assert google["drop_off"] == [round(1 / 3, 6), 0.5, 0.0]
    assert [s["visitors"] for s in rows[("tiktok", "Germany")]["steps"]] == [1, 0, 0, 0]
    only_de = make_scope(
        start=date(2024, 1, 1),
        end=date(2024, 1, 31),
        default_end=date(2024, 1, 31),
        filters={"country": "Germany"},
    )
    assert [
        s["visitors"] for s in funnel_report(warehouse=warehouse, scope=only_de)["rows"][0]["steps"]
    ] == [1, 0, 0, 0]


def test_whole_funnel_counts_each_visitor_once(warehouse) -> None:
    warehouse.load(
        "events",
        [
            _event(1, "v", "Product Viewed", source="google"),
            _event(2, "v", "Product Added", source="tiktok"),  # came back through TikTok
            _event(3, "w", "Product Viewed", source="google"),
        ],
    )
    scope = make_scope(
        start=date(2024, 1, 1),
        end=date(2024, 1, 31),
        default_end=date(2024, 1, 31),
        group_by="channel",
    )
    body = funnel_report(warehouse=warehouse, scope=scope)
    assert [s["visitors"] for s in body["total"]["steps"]] == [2, 1, 0, 0]
    by = {r["channel"]: [s["visitors"] for s in r["steps"]] for r in body["rows"]}
    # within one channel, v did not view a product through TikTok
    assert by == {"google": [2, 0, 0, 0], "tiktok": [0, 0, 0, 0]}
