"""Every main page fits a laptop (1,440 px) and a phone (390 px): nothing makes the page
scroll sideways (a wide table scrolls inside its card), no tile's figure spills out of its
tile, cohort months stay on one line, and the country chart can be read as amounts, shares
or on a log scale — in English and in right-to-left Arabic."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import seed_owner, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EMAIL = "owner@layout.example"
# the Overview on months of the imported orders (the journeys of the attribution demo end today)
OVERVIEW = "/?from=2011-06-01&to=2011-12-09"
MAIN = [OVERVIEW, "/data", "/attribution", "/customers", "/compliance", "/settings"]
WIDTHS = (1440, 390)

# what spills: the page's own width, and each tile figure wider than its box
PROBE = """() => ({
  page: document.documentElement.scrollWidth,
  tiles: [...document.querySelectorAll('.tile .value')]
    .filter(v => v.offsetParent !== null && v.scrollWidth > v.clientWidth)
    .map(v => `${v.innerText} (${v.scrollWidth} > ${v.clientWidth} px)`),
})"""
# cohort months written on more than one line
WRAPPED = """() => [...document.querySelectorAll(
    '[data-testid=table-cohorts] tbody td:first-child')]
  .filter(td => { const r = document.createRange(); r.selectNodeContents(td);
                  return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1; })
  .map(td => td.innerText)"""


def _seed(shared_data: Path) -> None:
    from tradewinds.attribution import demo
    from tradewinds.demo import retail
    from tradewinds.ingest.service import import_file
    from tradewinds.warehouse import open_warehouse

    key = seed_owner("Layout Gifts", email=EMAIL)
    rates = retail.fx_rows()
    with open_warehouse(key) as wh:
        import_file(
            warehouse=wh, path=shared_data / "online_retail" / "online_retail_non_uk.csv.gz"
        )
        wh.load("fx_rates", rates)
        wh.load("ad_spend_daily", retail.ad_spend_rows(rates=rates))
    demo.load(workspace_key=key)


def _pages(page, base: str) -> list[str]:
    """The main pages and every tab they link to (Data, Customers, Settings …)."""
    found = list(MAIN)
    for path in MAIN:
        page.goto(base + path)
        for href in page.eval_on_selector_all(
            ".tabs a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            if href.startswith("/") and href not in found:
                found.append(href)
    return found


def _walk(page, base: str, paths: list[str], width: int, problems: list[str]) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    for path in paths:
        page.goto(base + path)
        seen = page.evaluate(PROBE)
        if seen["page"] > width:
            problems.append(f"{path} at {width} px: the page is {seen['page']} px wide")
        problems += [f"{path} at {width} px: a tile's figure spills: {t}" for t in seen["tiles"]]


def _country_views(page, base: str) -> None:
    page.goto(base + OVERVIEW)
    chart = page.locator("#chart-countries")
    chart.locator(".main-svg").first.wait_for()
    bars = page.evaluate("document.getElementById('chart-countries').data[0]")
    assert len(bars["y"]) == 9 and bars["y"][-1] == "Other countries"
    amounts = bars["x"]
    page.click("[data-views-for=chart-countries] button[data-view=share]")
    shares = page.evaluate("document.getElementById('chart-countries').data[0].x")
    assert sum(shares) == pytest.approx(1.0) and shares[0] == pytest.approx(
        amounts[0] / sum(amounts)
    )
    assert page.locator("button[data-view=share]").get_attribute("aria-pressed") == "true"
    page.click("[data-views-for=chart-countries] button[data-view=log]")
    axis = page.evaluate("document.getElementById('chart-countries')._fullLayout.xaxis.type")
    assert axis == "log"


def test_pages_fit_a_laptop_and_a_phone(live_server, browser, shots, shared_data: Path) -> None:
    _seed(shared_data)
    base = live_server.url
    problems: list[str] = []
    english = browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-GB")
    sign_in(english, base, EMAIL)
    paths = _pages(english, base)
    assert {"/data/sql", "/customers/exports", "/settings/members"} <= set(paths)
    for width in WIDTHS:
        _walk(english, base, paths, width, problems)
    english.goto(base + OVERVIEW)
    english.locator("#chart-cohorts .main-svg").first.wait_for()
    assert english.evaluate(WRAPPED) == []
    # months sort as months, not as words ("Apr", "Aug", "Dec" …)
    cohorts = english.locator("[data-testid=table-cohorts] tbody td:first-child")
    months = cohorts.all_inner_texts()
    assert len(months) > 2 and months[-1] == "Dec 2011", months
    english.click("[data-testid=table-cohorts] th >> nth=0")
    assert cohorts.all_inner_texts() == months
    english.click("[data-testid=table-cohorts] th >> nth=0")
    assert cohorts.all_inner_texts() == months[::-1]
    english.screenshot(path=str(shots / "layout-overview-phone.png"), full_page=True)
    _country_views(english, base)
    english.close()

    arabic = browser.new_page(viewport={"width": 390, "height": 900}, locale="ar")
    sign_in(arabic, base, EMAIL)
    for width in WIDTHS:
        _walk(arabic, base, MAIN, width, problems)
    arabic.goto(base + OVERVIEW)
    arabic.locator("#chart-trend .main-svg").first.wait_for()
    assert arabic.evaluate("document.documentElement.dir") == "rtl"
    # charts keep their axes left to right: time runs from the left, as everywhere
    assert (
        arabic.evaluate("getComputedStyle(document.getElementById('chart-trend')).direction")
        == "ltr"
    )
    ticks = arabic.evaluate("document.getElementById('chart-trend')._fullLayout.xaxis.tickvals")
    assert ticks == sorted(ticks) and len(ticks) <= 4  # fewer ticks on a phone
    arabic.screenshot(path=str(shots / "layout-overview-phone-ar.png"), full_page=True)
    arabic.close()
    assert problems == [], "\n".join(problems)
