"""Markets pages: calendar, VAT rates, landed price, tax by market; the Overview's tile."""

from __future__ import annotations

from tests.analytics.fixtures import order
from tradewinds.warehouse import open_warehouse

from .browser import login


def test_calendar_page_lists_the_year_and_downloads_ics(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/markets", params={"market": "CN", "year": "2026"})
    assert page.status_code == 200, page.text
    assert 'data-testid="calendar-events"' in page.text
    assert 'id="markets-timeline"' in page.text and 'href="/markets"' in page.text
    ics = client.get("/markets/calendar.ics", params={"market": "CN", "year": "2026"})
    assert ics.status_code == 200 and b"BEGIN:VCALENDAR" in ics.content
    assert (
        client.get("/markets/calendar.ics", params={"market": "ZZ", "year": "2026"}).status_code
        == 404
    )
    # an unknown market or year falls back to a known one rather than failing
    assert client.get("/markets", params={"market": "ZZ", "year": "abc"}).status_code == 200


def test_vat_page_and_a_bad_date(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/markets/vat", params={"on": "2025-07-01"})
    assert page.status_code == 200
    assert 'data-country="EE"' in page.text and "24%" in page.text
    bad = client.get("/markets/vat", params={"on": "2025-02-31"})
    assert bad.status_code == 422 and "2025-02-31" in bad.text


def test_landed_price_page_works_it_out_and_names_bad_fields(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    empty = client.get("/markets/landed")
    assert empty.status_code == 200 and 'data-testid="landed-form"' in empty.text
    done = client.get(
        "/markets/landed",
        params={"price": "100", "currency": "EUR", "to": ["DE", "FR"], "on": "2025-03-03"},
    )
    assert done.status_code == 200, done.text
    assert 'data-destination="DE"' in done.text and 'data-destination="FR"' in done.text
    bad = client.get("/markets/landed", params={"price": "-3", "to": ["DE"]})
    assert bad.status_code == 422 and "Enter an amount of 0 or more" in bad.text


def test_tax_page_and_the_overview_tile_agree(client, tenants) -> None:
    """£120 to the UK (20% inside: £20) and £100 to the US (no VAT on record)."""
    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load(
            "orders",
            [
                order("o1", "c1", "2024-03-01", "120", country="United Kingdom"),
                order("o2", "c2", "2024-03-02", "100", country="US"),
            ],
        )
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    period = "from=2024-03-01&to=2024-03-02"
    page = client.get(f"/markets/tax?{period}")
    assert page.status_code == 200, page.text
    assert 'data-testid="tax-total">£20.00<' in page.text
    assert 'data-testid="net-after-tax">£200.00<' in page.text
    assert 'data-testid="thresholds"' in page.text and "no rate on record" in page.text
    overview = client.get(f"/?{period}").text
    assert 'data-metric="net_after_tax"' in overview and "£200.00" in overview
    assert f'href="/markets/tax?{period.replace("&", "&amp;")}"' in overview
