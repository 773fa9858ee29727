"""Shopify Admin REST connector against a local server replaying documented payload shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.ingest.connectors.replay_server import ReplayServer, Reply
from tradewinds.ingest.connectors.http import ConnectorError, JsonHttp
from tradewinds.ingest.connectors.shopify import ShopifySource, customer_key, next_link
from tradewinds.ingest.connectors.sync import sync_source
from tradewinds.ingest.spec import check_row, table

API = "/admin/api/2024-10"


def money_set(amount: str, currency: str = "USD") -> dict:
    return {
        "shop_money": {"amount": amount, "currency_code": currency},
        "presentment_money": {"amount": amount, "currency_code": currency},
    }


def order(
    number: int,
    *,
    updated: str,
    email: str = "bob.norman@mail.example.com",
    refunds: list | None = None,
    cancelled_at: str | None = None,
    financial_status: str = "paid",
) -> dict:
    return {
        "id": 450789469 + number,
        "admin_graphql_api_id": f"gid://shopify/Order/{450789469 + number}",
        "name": f"#{number}",
        "order_number": number,
        "email": email,
        "created_at": "2026-03-01T10:00:00-05:00",
        "updated_at": updated,
        "processed_at": "2026-03-01T10:00:00-05:00",
        "cancelled_at": cancelled_at,
        "currency": "USD",
        "presentment_currency": "USD",
        "financial_status": financial_status,
        "fulfillment_status": None,
        "total_price": "199.65",
        "subtotal_price": "179.20",
        "total_tax": "11.94",
        "total_discounts": "10.00",
        "total_shipping_price_set": money_set("18.51"),
        "test": False,
        "customer": {
            "id": 207119551,
            "email": email,
            "first_name": "Bob",
            "last_name": "Norman",
            "state": "disabled",
        },
        "billing_address": {
            "first_name": "Bob",
            "address1": "Chestnut Street 92",
            "city": "Louisville",
            "zip": "40202",
            "province": "Kentucky",
            "country": "United States",
            "country_code": "US",
        },
        "shipping_address": {
            "first_name": "Bob",
            "address1": "Chestnut Street 92",
            "city": "Louisville",
            "zip": "40202",
            "country": "Canada",
            "country_code": "CA",
        },
        "line_items": [
            {
                "id": 466157049,
                "variant_id": 39072856,
                "product_id": 632910392,
                "title": "IPod Nano - 8gb",
                "name": "IPod Nano - 8gb - green",
                "sku": "IPOD2008GREEN",
                "vendor": None,
                "quantity": 1,
                "price": "199.00",
                "price_set": money_set("199.00"),
                "total_discount": "0.00",
            },
            {
                "id": 518995019,
                "variant_id": 49148385,
                "product_id": 632910392,
                "title": "IPod Nano - 8gb",
                "name": "IPod Nano - 8gb - red",
                "sku": "",
                "quantity": 2,
                "price": "0.50",
                "price_set": money_set("0.50"),
            },
        ],
        "refunds": refunds or [],
    }


REFUND = [
    {
        "id": 509562969,
        "created_at": "2026-03-02T10:00:00-05:00",
        "note": "damaged",
        "refund_line_items": [],
        "transactions": [
            {
                "id": 179259969,
                "kind": "refund",
                "status": "success",
                "amount": "41.94",
                "currency": "USD",
                "gateway": "bogus",
            },
            {
                "id": 179259970,
                "kind": "refund",
                "status": "failure",
                "amount": "5.00",
                "currency": "USD",
                "gateway": "bogus",
            },
        ],
    }
]

CUSTOMER = {
    "id": 207119551,
    "email": "bob.norman@mail.example.com",
    "first_name": "Bob",
    "last_name": "Norman",
    "phone": "+16136120707",
    "created_at": "2025-11-01T09:00:00-05:00",
    "updated_at": "2026-03-01T11:00:00-05:00",
    "orders_count": 1,
    "state": "disabled",
    "total_spent": "199.65",
    "verified_email": True,
    "email_marketing_consent": {
        "state": "subscribed",
        "opt_in_level": "single_opt_in",
        "consent_updated_at": "2025-11-01T09:00:00-05:00",
    },
    "default_address": {
        "id": 207119551,
        "customer_id": 207119551,
        "address1": "Chestnut Street 92",
        "city": "Louisville",
        "province": "Kentucky",
        "country": "United States",
        "zip": "40202",
        "phone": "555-625-1199",
        "country_code": "US",
        "default": True,
    },
}
NO_EMAIL_CUSTOMER = {"id": 1, "email": None, "updated_at": "2026-03-01T11:00:00-05:00"}

PRODUCT = {
    "id": 632910392,
    "title": "IPod Nano - 8GB",
    "vendor": "Apple",
    "product_type": "Cult Products",
    "created_at": "2025-01-01T00:00:00-05:00",
    "updated_at": "2026-02-01T00:00:00-05:00",
    "status": "active",
    "variants": [
        {
            "id": 39072856,
            "product_id": 632910392,
            "title": "Green",
            "price": "199.00",
            "sku": "IPOD2008GREEN",
        },
        {"id": 49148385, "product_id": 632910392, "title": "Red", "price": "199.00", "sku": ""},
    ],
}


def serve(server: ReplayServer, *, second_page: bool = True) -> None:
    page2 = "{base}" + API + "/orders.json?limit=250&page_info=eyJsYXN0X2lkIjo0NTA3ODk0NzF9"
    server.add(
        f"{API}/orders.json",
        Reply(
            {
                "errors": "Exceeded 2 calls per second for api client. Reduce request rates "
                "to resume uninterrupted service."
            },
            429,
            {"Retry-After": "2.0"},
        ),
        Reply(
            {
                "orders": [
                    order(1001, updated="2026-03-01T10:05:00-05:00"),
                    order(
                        1002,
                        updated="2026-03-02T10:00:00-05:00",
                        refunds=REFUND,
                        financial_status="partially_refunded",
                    ),
                ]
            },
            headers={
                "Link": f'<{page2}>; rel="next"' if second_page else "",
                "X-Shopify-Shop-Api-Call-Limit": "2/40",
            },
        ),
    )
    if second_page:
        server.add(
            f"{API}/orders.json",
            Reply(
                {
                    "orders": [
                        order(
                            1003,
                            updated="2026-03-01T12:00:00-05:00",
                            cancelled_at="2026-03-01T12:00:00-05:00",
                            financial_status="voided",
                        )
                    ]
                },
                headers={
                    "Link": "<{base}"
                    + API
                    + '/orders.json?limit=250&page_info=prev>; rel="previous"'
                },
            ),
        )
    server.add(f"{API}/customers.json", Reply({"customers": [CUSTOMER, NO_EMAIL_CUSTOMER]}))
    server.add(
        f"{API}/shop.json",
        Reply({"shop": {"id": 690933842, "name": "Apple Computers", "currency": "USD"}}),
    )
    server.add(f"{API}/products.json", Reply({"products": [PRODUCT]}))


def source(server: ReplayServer, sleeps: list[float], state: dict | None = None) -> ShopifySource:
    return ShopifySource(
        shop_url=server.base,
        access_token="shpat_test",
        state=state,
        http=JsonHttp(sleep=sleeps.append),
    )


def test_reads_all_pages_with_backoff_and_maps_rows():
    sleeps: list[float] = []
    with ReplayServer() as server:
        serve(server)
        shop = source(server, sleeps)
        rows = {s.name: list(s.read()) for s in shop.streams()}
    assert sleeps == [2.0]
    order_requests = [s for s in server.seen if s.path.endswith("/orders.json")]
    assert order_requests[1].query["status"] == "any"
    assert "updated_at_min" not in order_requests[1].query
    assert order_requests[2].query == {"limit": "250", "page_info": "eyJsYXN0X2lkIjo0NTA3ODk0NzF9"}
    assert all(s.headers["x-shopify-access-token"] == "shpat_test" for s in server.seen)

    orders = {o["order_id"]: o for o in rows["orders"]}
    assert sorted(orders) == ["shopify:1001", "shopify:1002", "shopify:1003"]
    first = orders["shopify:1001"]
    assert first["ordered_at"] == datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    assert (first["total"], first["shipping"], first["tax"], first["discount"]) == (
        Decimal("199.65"),
        Decimal("18.51"),
        Decimal("11.94"),
        Decimal("10.00"),
    )
    assert first["country"] == "CA"
    assert first["customer_id"] == customer_key("bob.norman@mail.example.com")
    assert orders["shopify:1002"]["refunded"] == Decimal("41.94")
    assert orders["shopify:1002"]["status"] == "partially_refunded"
    assert orders["shopify:1003"]["status"] == "cancelled"
    lines = [line for line in rows["order_lines"] if line["order_id"] == "shopify:1001"]
    assert [(x["line_no"], x["product_id"], x["quantity"], x["unit_price"]) for x in lines] == [
        (1, "shopify:IPOD2008GREEN", 1, Decimal("199.00")),
        (2, "shopify:variant-49148385", 2, Decimal("0.50")),
    ]
    assert [c["customer_id"] for c in rows["customers"]] == [first["customer_id"]]
    assert rows["customers"][0]["accepts_marketing"] is True
    assert rows["customer_pii"][0]["email"] == "bob.norman@mail.example.com"
    assert "email" not in rows["customers"][0]
    assert [p["product_id"] for p in rows["products"]] == [
        "shopify:IPOD2008GREEN",
        "shopify:variant-49148385",
    ]
    assert rows["products"][0]["title"] == "IPod Nano - 8GB - Green"
    assert rows["products"][0]["currency"] == "USD"
    for stream in shop.streams():
        for row in rows[stream.name]:
            assert check_row(table(stream.table.name), row) == [], (stream.name, row)
    assert shop.state["orders"] == "2026-03-02T10:00:00-05:00"
    assert shop.state["customers"] == "2026-03-01T11:00:00-05:00"
    assert shop.rows_read == 6


def test_next_run_is_incremental():
    sleeps: list[float] = []
    with ReplayServer() as server:
        serve(server, second_page=False)
        state = {"orders": "2026-03-02T10:00:00-05:00"}
        shop = source(server, sleeps, state)
        list(next(s for s in shop.streams() if s.name == "orders").read())
    first = [s for s in server.seen if s.path.endswith("/orders.json")][-1]
    assert first.query["updated_at_min"] == "2026-03-02T10:00:00-05:00"


def test_sync_loads_once_and_again_changes_nothing(tw_home):
    from tradewinds.warehouse.factory import open_warehouse

    with open_warehouse("shopify-test") as wh:
        for attempt in range(2):
            with ReplayServer() as server:
                serve(server)
                result = sync_source(source=source(server, []), warehouse=wh)
            assert result.errors == []
            if attempt == 0:
                assert result.tables["orders"]["inserted"] == 3
            else:
                assert all(t["inserted"] == 0 and t["updated"] == 0 for t in result.tables.values())
        assert wh.count("order_lines") == 6
        assert wh.count("customer_pii") == 1


def test_refused_credentials_stop_the_sync(tw_home):
    with ReplayServer() as server:
        server.add(
            f"{API}/customers.json",
            Reply(
                {
                    "errors": "[API] Invalid API key or access token (unrecognized login or wrong "
                    "password)"
                },
                401,
            ),
        )
        shop = source(server, [])
        with pytest.raises(ConnectorError) as info:
            list(shop.streams()[0].read())
    assert info.value.status == 401


@pytest.mark.parametrize(
    ("header", "url"),
    [
        (
            '<https://s.myshopify.com/a.json?page_info=x&limit=1>; rel="next"',
            "https://s.myshopify.com/a.json?page_info=x&limit=1",
        ),
        (
            '<https://s/a?page_info=p>; rel="previous", <https://s/a?page_info=n>; rel="next"',
            "https://s/a?page_info=n",
        ),
        ('<https://s/a?page_info=p>; rel="previous"', None),
        (None, None),
    ],
)
def test_next_link(header, url):
    assert next_link(header) == url
