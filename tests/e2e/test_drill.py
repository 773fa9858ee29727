"""A seller asks "why": Overview → a channel's bar → a campaign → one order, reloads the
link and finds the same view, then walks back by the breadcrumbs."""

from __future__ import annotations

import pytest

from tests.drill_shop import PERIOD, load_drill_shop

from .conftest import seed_owner, sign_in
from .test_i18n import VISIBLE_TEXT, english_left

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_overview_to_one_order_and_back(live_server, browser, shots) -> None:
    email = "owner@kites.example"
    load_drill_shop(seed_owner("Kite Works", email=email))
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/?{PERIOD}")
    page.wait_for_selector("#chart-channels.drillable .main-svg")

    # the google bar of "Spend and return by channel" opens the channel's campaigns
    categories = page.evaluate("document.getElementById('chart-channels').data[0].x")
    bar = page.locator("#chart-channels .bars .point path").nth(categories.index("google"))
    bar.scroll_into_view_if_needed()  # a click lands where the bar is on the screen
    box = bar.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/drill/channel?**")
    assert "channel=google" in page.url and "from=2025-03-01" in page.url
    assert "£150.00" in page.locator("[data-testid=drill-sums]").inner_text()

    # a click anywhere on the campaign's row opens it
    page.locator("[data-testid=drill-campaigns] tr", has_text="Brand search").locator(
        "td.num"
    ).first.click()
    page.wait_for_url("**/drill/campaign?**")
    assert "campaign=Brand+search" in page.url
    assert "Brand – exact" in page.locator("[data-testid=drill-ads]").inner_text()
    page.locator("[data-testid=drill-orders] a", has_text="o1").click()
    page.wait_for_url("**/drill/order?**")
    shown = page.locator("main").inner_text()
    assert "Order o1" in shown and "Silk scarf" in shown and "£120.00" in shown
    page.screenshot(path=str(shots / "drill-order-laptop.png"), full_page=True)

    # the address holds the view: reloading (or sharing) it shows the same order
    url = page.url
    page.reload()
    assert page.url == url
    assert page.locator("main").inner_text() == shown
    crumbs = page.locator("[data-testid=breadcrumbs] li")
    assert crumbs.all_inner_texts() == ["Overview", "google", "Brand search", "Order o1"]

    # back up the breadcrumbs: the campaign, the channel, the Overview of the same period
    page.locator("[data-testid=breadcrumbs] a", has_text="google").click()
    page.wait_for_url("**/drill/channel?**")
    assert page.locator("h1").inner_text() == "Channel google: campaigns"
    page.locator("[data-testid=breadcrumbs] a", has_text="Overview").click()
    page.wait_for_url(f"**/?{PERIOD}")
    assert page.locator("[data-testid=tiles]").is_visible()

    # on a phone the levels still read: breadcrumbs and the order list fit the width
    phone = browser.new_page(viewport={"width": 360, "height": 740}, locale="en-GB")
    phone.context.add_cookies(page.context.cookies())
    phone.goto(url.replace("/drill/order", "/drill/campaign"))
    phone.screenshot(path=str(shots / "drill-campaign-phone.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1

    # in German every level speaks German (what users typed or imported aside)
    german = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
    german.context.add_cookies(page.context.cookies())
    for level in (
        f"/drill/channel?{PERIOD}&channel=google",
        url.replace(live_server.url, ""),
        f"/drill/tile?{PERIOD}&metric=new_customers",
        f"/drill/country?{PERIOD}&country=France",
    ):
        german.goto(f"{live_server.url}{level}")
        assert german.locator("html").get_attribute("lang") == "de"
        assert english_left(german.evaluate(VISIBLE_TEXT), "de") == [], level
