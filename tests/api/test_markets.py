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
