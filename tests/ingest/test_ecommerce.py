from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradewinds.ingest.ecommerce import (
    OrderState,
    channel_for,
    event_row,
    identity_rows,
    map_events,
    money,
    touchpoint_row,
)


def ev(message_id, event=None, *, type_="track", ts="2026-03-01T10:00:00Z", **extra):
    data = {"type": type_, "messageId": message_id, "timestamp": ts, "anonymousId": "anon-1"}
    if event:
        data["event"] = event
    data.update(extra)
    return data


ORDER = ev(
    "m-order",
    "Order Completed",
    userId="cust-7",
    context={"location": {"country": "DE"}},
    properties={
        "order_id": "1001",
        "total": 47.97,
        "revenue": 40.0,
        "shipping": 5,
        "tax": 2.97,
        "currency": "eur",
        "products": [
            {"product_id": "p1", "sku": "SKU-1", "name": "Mug", "price": 10.0, "quantity": 2},
            {"product_id": "p2", "name": "Tea", "price": "20.00"},
        ],
    },
)


def test_order_completed_gives_order_lines_and_products():
    rows, states = map_events([ORDER], {}, storefront="web")
    (order,) = rows.tables["orders"]
    assert order["order_id"] == "web:1001"
    assert order["total"] == Decimal("47.97")
    assert order["currency"] == "EUR"
    assert order["country"] == "DE"
    assert order["customer_id"] == "cust-7"
    assert order["status"] == "placed"
    assert order["ordered_at"] == datetime(2026, 3, 1, 10, tzinfo=UTC)
    lines = rows.tables["order_lines"]
    assert [
        (line["line_no"], line["product_id"], line["quantity"], line["unit_price"])
        for line in lines
    ] == [(1, "p1", 2, Decimal("10.0")), (2, "p2", 1, Decimal("20.00"))]
    assert {p["product_id"] for p in rows.tables["products"]} == {"p1", "p2"}
    assert isinstance(states["web:1001"], OrderState)


def test_total_falls_back_to_revenue_then_lines():
    no_total = ev("m2", "Order Completed", properties={"order_id": "9", "revenue": 12.5})
    lines_only = ev(
        "m3",
        "Order Completed",
        properties={"order_id": "10", "products": [{"product_id": "a", "price": 3, "quantity": 4}]},
    )
    rows, _ = map_events([no_total, lines_only], {}, storefront="shop")
    totals = {o["order_id"]: o["total"] for o in rows.tables["orders"]}
    assert totals == {"shop:9": Decimal("12.5"), "shop:10": Decimal("12")}
    assert rows.tables["orders"][0]["currency"] == "USD"


def test_partial_then_full_refund_across_runs():
    _, states = map_events([ORDER], {}, storefront="web")
    partial = ev(
        "m-r1",
        "Order Refunded",
        properties={
            "order_id": "1001",
            "products": [{"product_id": "p1", "price": 10.0, "quantity": 1}],
        },
    )
    rows, states = map_events([partial], states, storefront="web")
    (order,) = rows.tables["orders"]
    assert order["refunded"] == Decimal("10.0")
    assert order["status"] == "partially_refunded"
    rest = ev("m-r2", "Order Refunded", properties={"order_id": "1001"})
    rows, states = map_events([rest], states, storefront="web")
    (order,) = rows.tables["orders"]
    assert order["refunded"] == Decimal("47.97")
    assert order["status"] == "refunded"


def test_refund_before_order_is_applied_when_the_order_arrives():
    refund = ev("m-r", "Order Refunded", properties={"order_id": "1001", "total": 5})
    rows, states = map_events([refund], {}, storefront="web")
    assert "orders" not in rows.tables
    rows, _ = map_events([ORDER], states, storefront="web")
    assert rows.tables["orders"][0]["refunded"] == Decimal("5")


def test_state_survives_json_round_trip():
    _, states = map_events([ORDER], {}, storefront="web")
    state = states["web:1001"]
    assert OrderState.from_json(state.to_json()) == state


def test_cancelled_order():
    cancel = ev("m-c", "Order Cancelled", properties={"order_id": "1001"})
    rows, _ = map_events([ORDER, cancel], {}, storefront="web")
    assert [o["status"] for o in rows.tables["orders"]] == ["cancelled"]


def test_touchpoint_from_page_url_click_ids_and_utm():
    page = ev(
        "m-p",
        type_="page",
        userId="u1",
        context={
            "page": {
                "url": "https://shop.example/?utm_source=google&utm_medium=cpc"
                "&utm_campaign=spring&gclid=abc123",
                "referrer": "https://www.google.com/",
            },
            "location": {"country": "FR"},
            "device": {"type": "mobile"},
        },
    )
    row = touchpoint_row(page)
    assert row is not None
    assert row["touchpoint_id"] == "m-p"
    assert (row["channel"], row["source"], row["medium"], row["campaign"]) == (
        "paid_search",
        "google",
        "cpc",
        "spring",
    )
    assert (row["gclid"], row["fbclid"], row["ttclid"]) == ("abc123", None, None)
    assert (row["country"], row["device"], row["customer_id"]) == ("FR", "mobile", "u1")


def test_context_campaign_wins_over_url_utm():
    track = ev(
        "m-t",
        "Product Viewed",
        context={
            "campaign": {"source": "newsletter", "medium": "email", "name": "may"},
            "page": {"url": "https://shop.example/p?utm_source=other&ttclid=t1"},
        },
    )
    row = touchpoint_row(track)
    assert (row["source"], row["medium"], row["campaign"], row["ttclid"]) == (
        "newsletter",
        "email",
        "may",
        "t1",
    )
    assert row["channel"] == "email"


def test_no_touchpoint_without_marketing_signal():
    internal = ev(
        "m-i",
        type_="page",
        context={"page": {"url": "https://shop.example/b", "referrer": "https://shop.example/a"}},
    )
    assert touchpoint_row(internal) is None
    assert touchpoint_row(ev("m-x", "Cart Viewed")) is None


@pytest.mark.parametrize(
    ("kwargs", "channel"),
    [
        (
            {"source": None, "medium": None, "click_ids": {"fbclid": "x"}, "referrer_host": ""},
            "social",
        ),
        (
            {
                "source": "meta",
                "medium": "paid_social",
                "click_ids": {"fbclid": "x"},
                "referrer_host": "",
            },
            "paid_social",
        ),
        (
            {"source": None, "medium": None, "click_ids": {"ttclid": "x"}, "referrer_host": ""},
            "paid_social",
        ),
        (
            {"source": None, "medium": None, "click_ids": {}, "referrer_host": "www.bing.com"},
            "organic_search",
        ),
        (
            {"source": None, "medium": None, "click_ids": {}, "referrer_host": "blog.example"},
            "referral",
        ),
        ({"source": "x", "medium": "weird", "click_ids": {}, "referrer_host": ""}, "other"),
    ],
)
def test_channel_rules(kwargs, channel):
    assert channel_for(**kwargs) == channel


def test_identity_rows_from_track_and_alias():
    assert identity_rows(ev("m1", "X", userId="u1")) == [
        {
            "anonymous_id": "anon-1",
            "user_id": "u1",
            "first_seen_at": datetime(2026, 3, 1, 10, tzinfo=UTC),
        }
    ]
    alias = ev("m2", type_="alias", userId="u2", previousId="old-id")
    assert [r["anonymous_id"] for r in identity_rows(alias)] == ["anon-1", "old-id"]
    assert identity_rows(ev("m3", "X")) == []


def test_event_row_keeps_page_name_and_group_id():
    row = event_row(ev("m1", type_="page", name="Home", properties={"path": "/"}))
    assert (row["type"], row["event"], row["properties"]) == ("page", "Home", {"path": "/"})
    group = event_row(ev("m2", type_="group", groupId="g1", traits={"plan": "pro"}))
    assert group["properties"]["groupId"] == "g1"
    assert group["traits"] == {"plan": "pro"}


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        (19.99, Decimal("19.99")),
        ("1.5", Decimal("1.5")),
        (3, Decimal(3)),
        (None, None),
        ("abc", None),
        (True, None),
        ("NaN", None),
        ({"a": 1}, None),
    ],
)
def test_money(value, amount):
    assert money(value) == amount


amounts = st.decimals(
    min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(total=amounts, refunds=st.lists(amounts, max_size=5), refund_first=st.booleans())
def test_refunds_fold_in_any_order_and_never_exceed_the_total(total, refunds, refund_first):
    placed = ev("m-o", "Order Completed", properties={"order_id": "7", "total": str(total)})
    refund_events = [
        ev(f"m-r{i}", "Order Refunded", properties={"order_id": "7", "total": str(amount)})
        for i, amount in enumerate(refunds)
    ]
    events = [*refund_events, placed] if refund_first else [placed, *refund_events]
    states: dict = {}
    order = None
    for event in events:  # one event per run, as separate drains would see them
        rows, states = map_events([event], states, storefront="web")
        states = {k: OrderState.from_json(v.to_json()) for k, v in states.items()}
        order = (rows.tables.get("orders") or [order])[0]
    assert order["total"] == total
    assert order["refunded"] == min(sum(refunds, Decimal(0)), total)
    expected = (
        "placed"
        if sum(refunds) == 0
        else ("refunded" if sum(refunds) >= total else "partially_refunded")
    )
    assert order["status"] == expected


def test_identify_traits_split_into_customer_and_personal_rows():
    from tradewinds.ingest.ecommerce import customer_rows

    event = ev(
        "m-id",
        type_="identify",
        userId="c1",
        traits={
            "email": "c1@example.com",
            "first_name": "Ana",
            "lastName": "Li",
            "address": {"street": "1 Main St", "state": "CA", "zip": "94105", "country": "US"},
        },
    )
    customer, pii = customer_rows(event)
    assert customer == {
        "customer_id": "c1",
        "country": "US",
        "created_at": None,
        "source": "events",
    }
    assert (
        pii["email"],
        pii["first_name"],
        pii["last_name"],
        pii["address1"],
        pii["region"],
        pii["postal_code"],
    ) == ("c1@example.com", "Ana", "Li", "1 Main St", "CA", "94105")
    assert "email" not in customer
    assert customer_rows(ev("m-x", type_="identify", traits={"email": "x@example.com"})) is None
