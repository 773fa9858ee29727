"""The content studio in a browser, in English and in Chinese: a seller types a product,
picks two markets, sees the variants side by side with their counts against each field's
limit, approves one and finds the approval in the audit log."""

from __future__ import annotations

import re

import pytest

from .conftest import seed_owner, sign_in

pytestmark = pytest.mark.e2e

# browser locale -> the screenshot it leaves (docs/content.md shows them)
CASES = {"en-GB": "content-studio.png", "zh-CN": "content-studio.zh.png"}


def _studio_words(locale: str) -> tuple[str, str]:
    """The button and approval words as the catalog writes them (so the test reads the
    page the way a user of that language does, without repeating the catalog)."""
    from tradewinds.web.i18n import translations

    gettext = translations("zh_Hans" if locale.startswith("zh") else "en").gettext
    return gettext("Write variants"), gettext("Approved")


@pytest.mark.parametrize("locale", list(CASES))
def test_write_variants_side_by_side_and_approve_one(live_server, browser, shots, locale):
    email = f"studio-{locale.lower()}@dune.example"
    seed_owner(f"Dune Outdoor {locale}", email=email, currency="EUR", timezone="Europe/Berlin")
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale=locale)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, email)
    write_label, approved_label = _studio_words(locale)

    page.goto(f"{live_server.url}/content")
    page.fill("#s-title", "Trail Runner 2 waterproof running shoe")
    page.fill("#s-brand", "Dune")
    page.fill("#s-price", "89.90")
    page.fill("#s-currency", "EUR")
    page.fill("#s-attributes", "colour: blue\nweight: 240 g")
    page.fill("#s-keep", "Dune")
    for market in ("DE", "JP"):
        page.check(f"#s-markets-label + div input[value={market}]")
    page.select_option("#s-platform", "google")
    for field in ("headline", "description"):
        page.check(f"[data-fields-of=google] input[value={field}]")
    page.fill("#s-n", "3")
    page.get_by_role("button", name=write_label).click()

    results = page.locator("[data-testid=results]")
    results.wait_for()
    assert page.locator(".studio-col[data-market=DE]").count() >= 1
    assert page.locator(".studio-col[data-market=JP]").count() >= 1
    variants = page.locator("[data-testid=variant]")
    assert variants.count() >= 4
    for i in range(variants.count()):
        meter = variants.nth(i).locator("meter")
        length, limit = int(meter.get_attribute("value")), int(meter.get_attribute("max"))
        assert 0 < length <= limit, variants.nth(i).inner_text()
    headline_limits = {
        int(m) for m in re.findall(r'max="(\d+)"', results.inner_html()) if m in ("30", "90")
    }
    assert headline_limits == {30, 90}  # Google's headline and description limits
    japanese = page.locator(".studio-col[data-market=JP] .variant-text")
    assert japanese.first.get_attribute("lang") == "ja"
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t) for t in japanese.all_inner_texts())
    assert page.locator("[data-testid=calendar]").is_visible()
    page.screenshot(path=str(shots / CASES[locale]), full_page=True)

    first = variants.first.locator(".variant-text").inner_text()
    variants.first.locator("[data-testid=approve]").click()
    page.wait_for_selector("[data-testid=approved]")
    assert approved_label in page.locator("[data-testid=approved]").first.inner_text()
    assert not [p for p in problems if "Content Security Policy" in p], problems

    from tradewinds.content.fingerprint import approvals_of
    from tradewinds.db.engine import session_scope
    from tradewinds.workspaces import service

    with session_scope() as session:
        workspace = service.get_by_name(session=session, name=f"Dune Outdoor {locale}")
        found = approvals_of(session, workspace_id=workspace.id, text=first)
    assert found and found[0].actor == email
    page.close()
