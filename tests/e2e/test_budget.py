"""The Budget page in a browser: tiles, curves with bands, a slider moved and the plan
answered for it (the URL keeps it), the forward plan — at laptop and phone widths."""

from __future__ import annotations

import pytest

from tests.analytics.fixtures import order, spend
from tradewinds.budget.simulate import simulate

from .conftest import seed_owner, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _shop() -> str:
    from tradewinds.warehouse import open_warehouse

    email = "budget@harbour.example"
    key = seed_owner("Harbour Lights", email=email)
    data, _truth = simulate(days=240, seed=5)
    spends, orders = [], []
    for i, day in enumerate(data.days.astype(str)):
        for name in data.names:
            spends.append(spend(day, name, f"{data.spend[name][i]:.2f}", "GBP", country="GB"))
        orders.append(order(f"o{i}", f"c{i}", day, f"{data.revenue[i]:.2f}"))
    with open_warehouse(key) as wh:
        wh.load("ad_spend_daily", spends)
        wh.load("orders", orders)
    return email


def test_the_planner_answers_a_moved_slider(live_server, browser, shots) -> None:
    email = _shop()
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-GB")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, email)

    page.goto(f"{live_server.url}/budget")
    page.wait_for_selector("#budget-curves.js-plotly-plot")
    page.wait_for_selector("#budget-forward.js-plotly-plot")
    assert page.locator("[data-testid=budget-tiles] .tile").count() >= 3
    assert "(GBP)" in page.locator("#budget-curves").inner_text()
    page.locator("#b-total").fill("5000")
    assert page.locator("#b-total-out").inner_text().replace(",", "").startswith("5000")
    page.locator("[data-testid=budget-form] button[type=submit]").click()
    page.wait_for_selector("#budget-curves.js-plotly-plot")
    assert "total=5000" in page.url
    planned = page.locator("[data-testid=budget-allocation] td[data-testid=planned]")
    total = sum(float(planned.nth(i).get_attribute("data-sort")) for i in range(planned.count()))
    assert total == pytest.approx(5000, abs=1)
    assert page.locator("[data-testid=budget-forward] tbody tr").count() == 12
    page.screenshot(path=str(shots / "budget.png"), full_page=True)

    page.goto(f"{live_server.url}/budget/fit")
    page.wait_for_selector("#budget-fit.js-plotly-plot")
    page.screenshot(path=str(shots / "budget-fit.png"), full_page=True)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
    sign_in(phone, live_server.url, email)
    phone.goto(f"{live_server.url}/budget?total=5000")
    phone.wait_for_selector("#budget-curves.js-plotly-plot")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page is {width} px wide on a phone"
    phone.screenshot(path=str(shots / "budget.phone.png"), full_page=True)
    assert not problems, problems
