"""The Overview's time axis, as Chromium draws it: dates only, never a time of day."""

from __future__ import annotations

import re

import pytest

from tests.analytics.fixtures import order, spend
from tests.e2e.conftest import (  # noqa: F401  (fixtures)
    browser,
    live_server,
    seed_owner,
    shots,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EMAIL = "owner@axis.example"
TIME_OF_DAY = re.compile(r"\d:\d\d")


def _seed() -> None:
    from datetime import date, timedelta

    from tradewinds.warehouse import open_warehouse

    key = seed_owner("Axis Teas", email=EMAIL)
    days = [date(2011, 1, 3) + timedelta(days=k) for k in range(0, 340, 3)]
    with open_warehouse(key) as wh:
        wh.load(
            "orders",
            [
                order(f"o{k}", f"c{k % 40}", d.isoformat(), str(20 + k % 9))
                for k, d in enumerate(days)
            ],
        )
        wh.load("ad_spend_daily", [spend(d.isoformat(), "meta", "7", "GBP") for d in days])


def _ticks(page, path: str) -> list[str]:
    page.goto(path)
    page.wait_for_selector("#chart-trend .xtick text")
    return page.locator("#chart-trend .xtick text").all_text_contents()


def test_time_axis_shows_dates_only(live_server, browser, shots) -> None:  # noqa: F811
    _seed()
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    sign_in(page, base, EMAIL)
    one_day = _ticks(page, f"{base}/?from=2011-06-02&to=2011-06-02")
    assert one_day == ["2 Jun 2011"]  # Plotly alone writes 23:59:59.999 … 00:00:00.001
    two_days = _ticks(page, f"{base}/?from=2011-06-02&to=2011-06-03")
    assert two_days == ["2 Jun 2011", "3 Jun"]
    daily = _ticks(page, f"{base}/?from=2011-11-10&to=2011-12-09")
    assert daily == ["10 Nov 2011", "17 Nov", "24 Nov", "1 Dec", "8 Dec"]
    weekly = _ticks(page, f"{base}/?from=2011-03-01&to=2011-08-31")  # weeks from Monday
    assert weekly[0] == "28 Feb 2011" and len(weekly) >= 4
    monthly = _ticks(page, f"{base}/?from=2010-12-01&to=2011-12-09")
    assert monthly[:3] == ["Dec 2010", "Feb 2011", "Apr 2011"]  # 13 months: every other
    for ticks in (one_day, two_days, daily, weekly, monthly):
        assert not any(TIME_OF_DAY.search(t) for t in ticks), ticks
    # the hover names the day in the viewer's language too
    page.goto(f"{base}/?from=2011-06-02&to=2011-06-02")
    page.wait_for_selector("#chart-trend .xtick text")
    box = page.locator("#chart-trend .scatterlayer .point").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#chart-trend .hoverlayer .hovertext")
    assert "2 Jun 2011" in page.locator("#chart-trend .hoverlayer").text_content()
    page.screenshot(path=str(shots / "overview-one-day.png"), full_page=True)

    chinese = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(chinese, base, EMAIL)
    assert _ticks(chinese, f"{base}/?from=2011-11-10&to=2011-12-09")[:2] == [
        "2011年11月10日",
        "11月17日",
    ]
    assert _ticks(chinese, f"{base}/?from=2010-12-01&to=2011-12-09")[0] == "2010年12月"


def test_empty_period_jumps_to_the_data(live_server, browser, shots) -> None:  # noqa: F811
    _seed()
    base = live_server.url
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
    sign_in(page, base, EMAIL)
    page.goto(f"{base}/?from=2013-01-01&to=2013-01-31")
    empty = page.locator("[data-testid=period-empty]")
    assert "No orders or ad spend in 1 Jan 2013 – 31 Jan 2013" in empty.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the empty state scrolls sideways on a phone ({width}px)"
    page.screenshot(path=str(shots / "overview-empty-phone.png"), full_page=True)
    page.click("[data-testid=jump-orders]")
    page.wait_for_url("**from=2011-11-09&to=2011-12-08**")  # the last 30 days with orders
    page.wait_for_selector("#chart-trend .xtick text")
    assert page.locator("[data-metric=orders] .value").inner_text() != "—"
    assert page.input_value("form.daterange input[name=from]") == "2011-11-09"
