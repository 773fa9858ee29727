"""GET /api/v1/markets/vat, /calendar, /calendar.ics and /landed-price."""

from __future__ import annotations

import icalendar


def test_vat_calendar_and_landed_price(client, tenants) -> None:
    h = tenants.a.headers
    vat = client.get(
        "/api/v1/markets/vat", params={"country": "RO", "date": "2025-08-01"}, headers=h
    )
    assert vat.status_code == 200, vat.text
    assert vat.json()["standard_rate"] == 21.0 and vat.json()["country"] == "RO"
    before = client.get(
        "/api/v1/markets/vat", params={"country": "RO", "date": "2025-07-31"}, headers=h
    )
    assert before.json()["standard_rate"] == 19.0
    missing = client.get("/api/v1/markets/vat", params={"country": "XX"}, headers=h)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_rate"

    cal = client.get("/api/v1/markets/calendar", params={"market": "JP", "year": 2027}, headers=h)
    assert cal.status_code == 200, cal.text
    events = cal.json()["events"]
    assert events and all(e["start"] <= e["end"] for e in events)
    only = client.get(
        "/api/v1/markets/calendar",
        params={"market": "JP", "year": 2027, "kind": ["public_holiday"]},
        headers=h,
    )
    assert {e["kind"] for e in only.json()["events"]} == {"public_holiday"}
    ics = client.get(
        "/api/v1/markets/calendar.ics", params={"market": "JP", "year": 2027}, headers=h
    )
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert len(icalendar.Calendar.from_ical(ics.content).walk("VEVENT")) == len(events)
    nowhere = client.get(
        "/api/v1/markets/calendar", params={"market": "ZZ", "year": 2027}, headers=h
    )
    assert nowhere.status_code == 404

    params = {"price": "120", "currency": "GBP", "to": "GB", "date": "2025-03-03"}
    landed = client.get("/api/v1/markets/landed-price", params=params, headers=h)
    assert landed.status_code == 200, landed.text
    body = landed.json()
    assert body["scheme"] == "uk_low_value" and body["vat"] == "24.00"
    assert body["total"] == "144.00"
    bad = client.get("/api/v1/markets/landed-price", params={**params, "duty": ["x=1"]}, headers=h)
    assert bad.status_code == 422 and "CHAPTER=PERCENT" in bad.text
    assert client.get("/api/v1/markets/vat", params={"country": "DE"}).status_code == 401


def test_tax_by_market_answers_the_pages_figures(client, tenants) -> None:
    from tests.analytics.fixtures import order
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load(
            "orders",
            [
                order("o1", "c1", "2024-03-01", "120", country="United Kingdom"),
                order("o2", "c2", "2024-03-02", "100", country="US"),
            ],
        )
    h = tenants.a.headers
    got = client.get(
        "/api/v1/markets/tax", params={"from": "2024-03-01", "to": "2024-03-02"}, headers=h
    )
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["from"] == "2024-03-01" and body["currency"] == "GBP"
    assert body["tax"] == 20.0 and body["net_revenue_after_tax"] == 200.0
    assert body["not_covered"] == 100.0
    gb = next(m for m in body["markets"] if m["country"] == "GB")
    assert gb["tax_estimated"] == 20.0 and gb["rates"] == [20.0]
    uk = next(t for t in body["thresholds"] if t["country"] == "GB")
    assert uk["level"] == "reached" and uk["sales"] == 120.0
    home = client.get(
        "/api/v1/markets/tax",
        params={"from": "2024-03-01", "to": "2024-03-02", "home": "GB"},
        headers=h,
    )
    assert next(t for t in home.json()["thresholds"] if t["country"] == "GB")["level"] == "below"
    bad = client.get("/api/v1/markets/tax", params={"from": "2024-02-30"}, headers=h)
    assert bad.status_code == 422
    each = client.get(
        "/api/v1/markets/tax/orders",
        params={"from": "2024-03-01", "to": "2024-03-02", "country": "GB"},
        headers=h,
    )
    assert each.status_code == 200, each.text
    assert each.json()["orders"] == [
        {
            "order_id": "o1",
            "ordered_at": each.json()["orders"][0]["ordered_at"],
            "country": "GB",
            "currency": "GBP",
            "total": "120.00",
            "kept": "120.00",
            "tax": "20.00",
            "basis": "estimated",
            "rate": 20.0,
        }
    ]
