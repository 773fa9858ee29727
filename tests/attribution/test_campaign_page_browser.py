"""A seller confirms a suggested campaign on the mapping page in a real browser."""

from __future__ import annotations

import pytest

from tests.attribution.campaign_data import FROM, TO, load
from tests.e2e.conftest import PASSWORD, browser, live_server, seed_owner, shots  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_confirming_a_suggestion_in_the_browser(live_server, browser, shots) -> None:  # noqa: F811
    from tradewinds.warehouse import open_warehouse

    email = "owner@campaigns.example"
    key = seed_owner("Campaign Gifts", email=email)
    with open_warehouse(key) as warehouse:
        load(warehouse)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav#nav", state="attached")
    page.goto(f"{live_server.url}/attribution/campaigns?from={FROM}&to={TO}")
    control = page.locator("[data-testid=period-control]")
    assert control.count() == 1 and page.locator("[data-testid=compare]").count() == 0
    assert page.input_value("[data-testid=period-from]") == FROM
    assert page.input_value("[data-testid=period-to]") == TO
    row = page.locator("[data-testid=unmatched-row]")
    assert row.count() == 1 and "prospecting" in row.inner_text()
    chosen = row.locator("select[name=campaign] option:checked").inner_text()
    assert chosen.startswith("Prospecting EU")
    page.screenshot(path=str(shots / "attribution-campaign-mapping.png"), full_page=True)
    row.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=mapping-saved]")
    assert page.locator("[data-testid=unmatched-empty]").count() == 1
    assert "Prospecting EU" in page.locator("[data-testid=mapping-row]").inner_text()
    # the answer after saving keeps the period the seller was looking at
    assert page.input_value("[data-testid=period-from]") == FROM
    assert page.input_value("[data-testid=period-to]") == TO
    # another preset from the top bar reloads the page for it, still without a comparison
    page.select_option("[data-testid=preset]", "all_time")
    page.wait_for_url("**preset=all_time**")
    assert page.locator("[data-testid=compare]").count() == 0
