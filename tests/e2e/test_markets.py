"""The Markets pages in a browser: the calendar of the reader's own market with its
timeline, a landed price worked out for several destinations, the tax by market — in
English and Chinese, at laptop and phone widths."""

from __future__ import annotations

import pytest

from tests.analytics.fixtures import order

from .conftest import seed_owner, sign_in

pytestmark = pytest.mark.e2e

# browser locale -> (the market the calendar opens on, <html lang>, screenshot stem); the
# pages' words in Arabic and German are checked by test_i18n.py
CASES = {
    "en-GB": ("GB", "en", "markets"),
    "zh-CN": ("CN", "zh-Hans", "markets.zh"),
}


def _shop(locale: str) -> str:
    from tradewinds.warehouse import open_warehouse

    email = f"markets-{locale.lower()}@sands.example"
    key = seed_owner(f"Sands {locale}", email=email)
    with open_warehouse(key) as wh:
        wh.load(
            "orders",
            [
                order("o1", "c1", "2024-03-01", "120", country="United Kingdom"),
                order("o2", "c2", "2024-03-02", "119", currency="EUR", country="DE"),
                order("o3", "c3", "2024-03-02", "100", country="US"),
            ],
        )
    return email


@pytest.mark.parametrize("locale", list(CASES))
def test_calendar_landed_price_and_tax(live_server, browser, shots, locale) -> None:
    market, lang, stem = CASES[locale]
    email = _shop(locale)
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale=locale)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, email)

    page.goto(f"{live_server.url}/markets?year=2026")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("#m-market").input_value() == market  # the reader's own market
    rows = page.locator("[data-testid=calendar-events] tbody tr")
    assert rows.count() > 10
    page.wait_for_selector("#markets-timeline.js-plotly-plot")
    assert (
        page.locator("[data-testid=ics-download]")
        .get_attribute("href")
        .endswith(f"market={market}&year=2026")
    )
    page.screenshot(path=str(shots / f"{stem}-calendar.png"), full_page=True)
    # another market from the picker: the URL keeps it
    page.select_option("#m-market", "JP")
    page.wait_for_url("**market=JP**")
    assert page.locator("[data-testid=calendar-events] tbody tr").count() > 10

    page.goto(f"{live_server.url}/markets/landed")
    page.fill("#l-price", "129")
    page.select_option("#l-currency", "EUR")
    page.fill("#l-on", "2025-03-03")
    page.locator("[data-testid=landed-form] button[type=submit]").click()
    results = page.locator("[data-testid=landed-results] tbody tr")
    results.first.wait_for()
    assert results.count() == 4  # DE, GB, US and AU are ticked to start with
    de = page.locator("[data-testid=landed-results] tr[data-destination=DE]")
    assert "153" in de.locator("[data-testid=landed-total]").inner_text()  # 129 + 19% VAT
    page.screenshot(path=str(shots / f"{stem}-landed.png"), full_page=True)

    page.goto(f"{live_server.url}/markets/tax?from=2024-03-01&to=2024-03-02")
    assert page.locator("[data-testid=tax-markets] tbody tr").count() == 3
    page.screenshot(path=str(shots / f"{stem}-tax.png"), full_page=True)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale=locale)
    sign_in(phone, live_server.url, email)
    phone.goto(f"{live_server.url}/markets?year=2026")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the calendar scrolls sideways on a phone: {width}px"
    phone.screenshot(path=str(shots / f"{stem}-calendar-phone.png"), full_page=True)
    assert not [p for p in problems if "Content Security Policy" in p], problems
    phone.close()
    page.close()
