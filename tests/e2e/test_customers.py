"""A seller opens the Customers page: segments, RFM grid, clusters, a rule that is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import seed_owner, sign_in

pytestmark = pytest.mark.e2e


def _seed(shared_data: Path) -> str:
    from tests.audiences.conftest import _load

    email = "owner@gifts.example"
    _load(seed_owner("Lantern Gifts", email=email), shared_data)
    return email


def test_segments_page(live_server, browser, shots, shared_data: Path) -> None:
    email = _seed(shared_data)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/customers")
    page.wait_for_selector("[data-testid=rfm-grid]")
    assert "of your" in page.locator("[data-testid=verdict]").inner_text()
    # the grid has 5 x 5 cells and every customer is in one of them
    cells = page.locator("[data-testid=rfm-grid] tbody td")
    assert cells.count() == 25
    total = sum(int(c.replace(",", "")) for c in cells.all_inner_texts())
    table_total = sum(
        int(t.replace(",", ""))
        for t in page.locator("[data-testid=segment-table] tbody td:nth-child(2)").all_inner_texts()
    )
    assert total == table_total > 300
    assert page.locator("[data-testid=cluster]").count() >= 2
    page.wait_for_selector("#segment-chart .main-svg")  # Plotly drew the chart
    page.screenshot(path=str(shots / "customers-segments-laptop.png"), full_page=True)

    # click-to-sort the segment table by customers
    page.click("[data-testid=segment-table] th:nth-child(2)")
    counts = [
        int(t.replace(",", ""))
        for t in page.locator("[data-testid=segment-table] tbody td:nth-child(2)").all_inner_texts()
    ]
    assert counts == sorted(counts)

    page.fill("#rule", "country in [Germany, France] and orders >=")
    page.click("form.rule-form button[type=submit]")
    error = page.locator("[data-testid=rule-error]")
    assert "expected a value" in error.inner_text()
    page.fill("#rule", "country in [Germany, France] and orders >= 2")
    page.click("form.rule-form button[type=submit]")
    assert "customers match" in page.locator("[data-testid=rule-result]").inner_text()

    phone = browser.new_page(viewport={"width": 360, "height": 780})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/customers")
    phone.wait_for_selector("[data-testid=rfm-grid]")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1, f"page is {width}px wide on a 360px phone"
    phone.screenshot(path=str(shots / "customers-segments-phone.png"), full_page=True)
