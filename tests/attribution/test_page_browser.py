"""A seller opens the Attribution page in a real browser, on a laptop and on a phone."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import browser, live_server, shots  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _seed() -> tuple[str, str]:
    from tradewinds.attribution import demo
    from tradewinds.auth import users
    from tradewinds.db.engine import session_scope
    from tradewinds.workspaces import service
    from tradewinds.workspaces.schemas import WorkspaceCreate

    email, password = "owner@journeys.example", "a-long-password-1"
    with session_scope() as session:
        shop = service.create_workspace(
            session=session,
            actor="test",
            workspace_in=WorkspaceCreate(
                name="Journey Gifts", currency="GBP", timezone="Europe/London", region="uk"
            ),
        )
        users.create_user(
            session=session,
            email=email,
            password=password,
            workspace=shop,
            role="owner",
            actor="test",
        )
        key = shop.key
    demo.load(workspace_key=key)
    return email, password


def test_attribution_page(live_server, browser, shots) -> None:  # noqa: F811
    email, password = _seed()
    for name, viewport in (
        ("laptop", {"width": 1280, "height": 900}),
        ("phone", {"width": 390, "height": 844}),
    ):
        page = browser.new_page(viewport=viewport)
        page.goto(f"{live_server.url}/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_selector("nav#nav", state="attached")
        page.goto(f"{live_server.url}/attribution")
        page.wait_for_selector("[data-testid=models-table]")
        assert "under every model" in page.locator("[data-testid=verdict]").inner_text() or (
            "disagree" in page.locator("[data-testid=verdict]").inner_text()
        )
        headers = page.locator("[data-testid=models-table] thead th").all_inner_texts()
        assert headers[1:] == [
            "First touch",
            "Last touch",
            "Last non-direct",
            "Linear",
            "Time decay",
            "Position (40/20/40)",
            "Markov",
            "Shapley",
        ]
        page.wait_for_selector("#models-chart .plot-container", timeout=15_000)
        page.wait_for_selector("#heatmap .plot-container", timeout=15_000)
        # every model shares out the same number of orders
        for column in range(2, 10):
            cells = page.locator(
                f"[data-testid=models-table] tbody td:nth-child({column})"
            ).all_inner_texts()
            total = sum(float(c.replace(",", "")) for c in cells if c)
            assert total == pytest.approx(
                float(page.locator(".tile .value").first.inner_text().replace(",", "")), abs=1
            )
        page.screenshot(path=str(shots / f"attribution-{name}.png"), full_page=True)
        page.close()
