"""A seller opens the Overview, changes the date range and a filter, downloads a table."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import seed_owner, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _seed(shared_data: Path) -> str:
    from tradewinds.demo import retail
    from tradewinds.ingest.service import import_file
    from tradewinds.warehouse import open_warehouse

    email = "owner@lanterns.example"
    key = seed_owner("Lantern Gifts", email=email)
    rates = retail.fx_rows()
    with open_warehouse(key) as wh:
        import_file(
            warehouse=wh, path=shared_data / "online_retail" / "online_retail_non_uk.csv.gz"
        )
        wh.load("fx_rates", rates)
        wh.load("ad_spend_daily", retail.ad_spend_rows(rates=rates))
        orders = wh.query_df("SELECT ordered_at, country FROM orders WHERE total > 0")
        wh.load("events", retail.event_rows(orders=orders, days=30))
    return email


def _trend(page) -> list:
    return page.evaluate("document.getElementById('chart-trend').data[0].x")


def test_overview(live_server, browser, shots, shared_data: Path) -> None:
    email = _seed(shared_data)
    # a British browser: the period is written as en-GB writes dates (Babel, web/numbers.py)
    page = browser.new_page(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="en-GB"
    )
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#chart-trend .main-svg")
    assert "10 Nov 2011 – 9 Dec 2011" in page.locator("[data-testid=period]").inner_text()
    daily = _trend(page)
    assert len(daily) == 30
    revenue_before = page.locator("[data-metric=revenue] .value").inner_text()
    assert revenue_before.startswith("£")
    page.wait_for_selector("#chart-funnel .main-svg")
    page.screenshot(path=str(shots / "overview-laptop.png"), full_page=True)

    # a longer range from the top bar: the trend switches to weeks and covers it
    page.fill("form.daterange input[name=from]", "2011-03-01")
    page.fill("form.daterange input[name=to]", "2011-08-31")
    page.click("form.daterange button[type=submit]")
    page.wait_for_url("**from=2011-03-01**")
    page.wait_for_selector("#chart-trend .main-svg")
    weekly = _trend(page)
    assert weekly != daily and 25 <= len(weekly) <= 28
    assert weekly[0] <= "2011-03-01" < weekly[1]

    # a filter keeps the range and narrows every figure
    spend_all = page.locator("[data-metric=spend] .value").inner_text()
    page.select_option("[data-testid=filter-channel]", "meta")
    page.click("[data-testid=filters] button[type=submit]")
    page.wait_for_url("**channel=meta**")
    assert "from=2011-03-01" in page.url
    page.wait_for_selector("#chart-trend .main-svg")
    assert page.locator("[data-metric=spend] .value").inner_text() != spend_all
    channels = page.locator("[data-testid=table-channels] tbody td:first-child")
    assert "google" not in channels.all_inner_texts()

    with page.expect_download() as info:
        page.click("[data-testid=export-channels-csv]")
    saved = shots / "overview-channels.csv"
    info.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Channel,Ad spend (GBP)")
    assert any(line.startswith("meta,") for line in lines[1:])

    # the same days a year before instead of the days just before
    page.select_option("[data-testid=compare]", "year")
    page.click("form.daterange button[type=submit]")
    page.wait_for_url("**compare=year**")
    period = page.locator("[data-testid=period]").inner_text()
    assert "the same days a year before (1 Mar 2010 – 31 Aug 2010)" in period
    assert "channel=meta" in page.url

    # a browser asking for German gets German number formats
    german = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
    sign_in(german, live_server.url, email)
    german.goto(f"{live_server.url}/")
    revenue = german.locator("[data-metric=revenue] .value").inner_text()
    assert revenue.endswith("£") and "." in revenue and revenue != revenue_before
    german.close()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#chart-trend .main-svg")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    page.screenshot(path=str(shots / "overview-phone.png"), full_page=True)
