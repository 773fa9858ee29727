"""Touchpoint countries: the event's location, else the customer's address, else the IP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tradewinds.ingest import geo
from tradewinds.ingest.ecommerce import map_events
from tradewinds.ingest.eventlog import EventLog, drain_to_warehouse
from tradewinds.ingest.events import Accepted, validate_one

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _page(message_id: str, *, user: str | None = "c1", ip: str | None = None, **context) -> dict:
    ctx = {"page": {"url": "https://shop.example/?utm_source=google&utm_campaign=brand"}}
    if ip:
        ctx["ip"] = ip
    ctx.update(context)
    event = {
        "type": "page",
        "anonymousId": "a1",
        "messageId": message_id,
        "timestamp": "2026-03-01T10:00:00Z",
        "context": ctx,
    }
    if user:
        event["userId"] = user
    return event


def _identify(user: str, country: str) -> dict:
    return {
        "type": "identify",
        "userId": user,
        "messageId": f"id-{user}",
        "timestamp": "2026-03-01T09:00:00Z",
        "traits": {"email": f"{user}@example.com", "address": {"country": country}},
    }


@pytest.mark.parametrize(
    ("ip", "country"),
    [
        ("81.2.69.160", "GB"),  # MaxMind's documented test address in London
        ("8.8.8.8", "US"),
        ("2001:4860:4860::8888", "US"),
        ("10.1.2.3", None),  # private
        ("127.0.0.1", None),
        ("::1", None),
        ("not an ip", None),
        ("", None),
        (None, None),
    ],
)
def test_country_for_ip(ip, country):
    assert geo.country_for_ip(ip) == country


def test_the_database_says_what_it_is():
    assert "GeoLite2-Country" in geo.database_source()


def _countries(rows) -> dict[str, str | None]:
    return {t["touchpoint_id"]: t["country"] for t in rows.tables["touchpoints"]}


def test_location_then_address_then_ip():
    events = [
        _identify("c1", "DE"),
        _page("located", ip="8.8.8.8", location={"country": "France"}),
        _page("by-address", ip="8.8.8.8"),
        _page("by-ip", user="c2", ip="81.2.69.160"),
        _page("anonymous-by-ip", user=None, ip="1.0.16.1"),
        _page("nothing-known", user="c3"),
    ]
    rows, _ = map_events(events, {}, storefront="web")
    assert _countries(rows) == {
        "located": "France",
        "by-address": "DE",
        "by-ip": "GB",
        "anonymous-by-ip": "JP",
        "nothing-known": None,
    }


def test_stored_address_wins_over_the_ip():
    asked: list[list[str]] = []

    def known(ids: list[str]) -> dict[str, str]:
        asked.append(ids)
        return {"c2": "NL"}

    rows, _ = map_events(
        [_page("t", user="c2", ip="8.8.8.8")], {}, storefront="web", known_countries=known
    )
    assert _countries(rows) == {"t": "NL"}
    assert asked == [["c2"]]


def _accepted(event: dict) -> Accepted:
    result = validate_one(event, index=0, received_at=NOW)
    assert isinstance(result, Accepted)
    return result


def test_drain_fills_touchpoint_country_from_earlier_identify_and_ip(tw_home):
    from tradewinds.warehouse.factory import open_warehouse

    log = EventLog(tw_home / "events.sqlite")
    try:
        log.write([_accepted(_identify("c1", "IE"))], received_at=NOW)
        with open_warehouse("geo1") as wh:
            drain_to_warehouse(log=log, warehouse=wh)
            # a later run: the address is in the warehouse, not in this run's events
            log.write(
                [
                    _accepted(_page("p1", ip="8.8.8.8")),
                    _accepted(_page("p2", user="c9", ip="81.2.69.160")),
                ],
                received_at=NOW,
            )
            drain_to_warehouse(log=log, warehouse=wh)
            rows = wh.query(
                "SELECT touchpoint_id, country FROM touchpoints ORDER BY touchpoint_id"
            ).rows
    finally:
        log.close()
    assert rows == [("p1", "IE"), ("p2", "GB")]
