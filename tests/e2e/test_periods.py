"""A seller picks date presets, turns on a comparison on Attribution, and reloads the URL
to find the same view (web/periods.py, templates/_period.html)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from .conftest import seed_owner, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

END = date(2024, 6, 30)


def _seed() -> tuple[str, date]:
    from tradewinds.attribution import demo
    from tradewinds.warehouse import open_warehouse

    email = "owner@periods.example"
    key = seed_owner("Period Gifts", email=email)
    rows = demo.journey_rows(customers=120, end=END, days=90, currency="GBP", seed=5)
    with open_warehouse(key) as warehouse:
        for table in ("identities", "touchpoints", "orders", "ad_spend_daily"):
            warehouse.load(table, rows[table])
    return email, max(o["ordered_at"] for o in rows["orders"]).date()


def _view(page) -> dict[str, str]:
    return {
        "preset": page.input_value("[data-testid=preset]"),
        "from": page.input_value("[data-testid=period-from]"),
        "to": page.input_value("[data-testid=period-to]"),
        "compare": page.input_value("[data-testid=compare]"),
        "title": page.title(),
        "heading": page.locator("h1").inner_text(),
    }


def test_presets_comparison_and_reload(live_server, browser, shots) -> None:
    email, last = _seed()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/attribution")
    page.wait_for_selector("[data-testid=models-table]")
    # the boxes show the period the page uses: 30 days to the last day with orders
    view = _view(page)
    assert view["preset"] == "last_30_days"
    assert view["from"] == (last - timedelta(days=29)).isoformat()
    assert view["to"] == last.isoformat()
    assert view["compare"] == "none"
    assert page.locator("[data-testid=tile-change]").count() == 0

    # a preset applies at once
    page.select_option("[data-testid=preset]", "last_7_days")
    page.wait_for_url("**preset=last_7_days**")
    assert "from=" not in page.url
    assert page.input_value("[data-testid=period-from]") == (last - timedelta(days=6)).isoformat()

    # comparison with the previous period: every headline figure and each channel
    page.select_option("[data-testid=compare]", "previous")
    page.click("[data-testid=period-control] button[type=submit]")
    page.wait_for_url("**compare=previous**")
    page.wait_for_selector("[data-testid=comparison-table]")
    assert page.locator("[data-testid=tile-change]").count() == 8
    rows = page.locator("[data-testid=comparison-table] tbody tr").count()
    assert rows > 0
    before = _view(page)
    assert "Attribution" in before["title"] and before["heading"].startswith("Attribution")
    page.screenshot(path=str(shots / "attribution-compared.png"), full_page=True)

    # the URL holds the view: loading it again shows the same
    page.goto(page.url)
    page.wait_for_selector("[data-testid=comparison-table]")
    assert _view(page) == before
    assert page.locator("[data-testid=comparison-table] tbody tr").count() == rows

    # typing a day makes the period a custom one, kept in the URL with the comparison
    page.fill("[data-testid=period-from]", (last - timedelta(days=13)).isoformat())
    assert page.input_value("[data-testid=preset]") == "custom"
    page.click("[data-testid=period-control] button[type=submit]")
    page.wait_for_url("**preset=custom**")
    assert "compare=previous" in page.url
    assert page.input_value("[data-testid=period-from]") == (last - timedelta(days=13)).isoformat()

    # the Overview's presets; the Data page has no date boxes
    page.goto(f"{live_server.url}/")
    page.select_option("[data-testid=preset]", "last_month")
    page.wait_for_url("**preset=last_month**")
    assert page.input_value("[data-testid=period-from]") == "2024-05-01"
    assert page.input_value("[data-testid=period-to]") == "2024-05-31"
    page.goto(f"{live_server.url}/data")
    assert page.locator("[data-testid=period-control]").count() == 0

    # on a phone the control wraps under the top bar instead of widening the page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/customers?preset=last_30_days&compare=previous")
    box = page.locator("[data-testid=period-control]").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(shots / "customers-period-phone.png"), full_page=True)
    page.close()
