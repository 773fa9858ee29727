"""A seller checks an ad on the Compliance page, sees the findings in the text, fixes it."""

from __future__ import annotations

import pytest

from .conftest import seed_owner, sign_in

pytestmark = pytest.mark.e2e


def _seed() -> str:
    seed_owner(
        "Dune Outfitters",
        email="owner@ads.example",
        currency="EUR",
        timezone="Europe/Berlin",
        region="eu",
    )
    return "owner@ads.example"


def test_check_and_fix_an_ad(live_server, browser, shots) -> None:
    email = _seed()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/compliance")
    page.fill("#c-text", "FREE Laufschuhe!! Die günstigsten im Netz ★")
    page.select_option("#c-market", "DE")
    page.select_option("#c-platform", "google")
    page.select_option("#c-field", "description")
    page.check("#c-sponsored")
    page.click("button[value=check]")
    page.wait_for_selector("[data-testid=verdict]")
    assert "Blocked" in page.locator("[data-testid=verdict]").inner_text()
    marks = page.locator("[data-testid=highlighted] mark").all_inner_texts()
    assert "FREE" in marks and "günstigsten" in marks
    assert page.locator("[data-testid=highlighted] .ad-insert").count() == 1  # missing label
    page.screenshot(path=str(shots / "compliance-check-laptop.png"), full_page=True)

    page.click("[data-testid=apply-fix]")
    page.wait_for_selector("[data-testid=fixed]")
    text = page.locator("#c-text").input_value()
    assert text.startswith("Anzeige: Free Laufschuhe!") and "★" not in text

    phone = browser.new_page(viewport={"width": 360, "height": 780})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/compliance/packs")
    phone.wait_for_selector("details")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1, f"page is {width}px wide on a 360px phone"
    phone.screenshot(path=str(shots / "compliance-packs-phone.png"), full_page=True)
