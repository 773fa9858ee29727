"""The Experiments page in a browser: upload a results file (a bad one first: the error
names the row and column), the verdicts, the uplift chart and the bandit weights; and the
browser assignment script gives Python's bucket for every id."""

from __future__ import annotations

import pytest

from tradewinds.experiments.assignment import assign, bucket
from tradewinds.experiments.service import EXAMPLE

from .conftest import seed_owner, sign_in

pytestmark = pytest.mark.e2e

IDS = ["a", "b", "visitor-1", "u_00042", "Ünïcode-客户-🙂", "", "8952klfjas09ujkasdf"]
SALTS = ["seed", "checkout-button", "()**(%$##$%#$#"]
BAD = "experiment,variation,units,metric,metric_type,sum,sum_squares\ne1,A,100,buy,binomial,140,\n"


def _storefront(key: str) -> None:
    """600 visitors who saw the free-shipping banner (variation 1) or not (0); buyers
    among them, more of them with the banner."""
    import random

    from tests.analytics.fixtures import order, ts
    from tradewinds.warehouse import open_warehouse

    rng = random.Random(5)
    events, orders = [], []
    for i in range(600):
        variation = i % 2
        events.append(
            {
                "message_id": f"x{i}",
                "type": "track",
                "event": "Experiment Viewed",
                "user_id": f"c{i}",
                "timestamp": ts("2024-03-01", 9),
                "properties": {"experiment_id": "free-shipping", "variation_id": str(variation)},
            }
        )
        if rng.random() < (0.08 if variation == 0 else 0.16):
            orders.append(order(f"o{i}", f"c{i}", "2024-03-03", str(rng.randint(20, 90))))
    with open_warehouse(key) as wh:
        wh.load("events", events)
        wh.load("orders", orders)


def test_upload_verdicts_chart_bandit_and_the_browser_hash(live_server, browser, shots, tmp_path):
    email = "experiments@sands.example"
    _storefront(seed_owner("Sands Experiments", email=email))
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-GB")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, email)

    page.goto(f"{live_server.url}/experiments")
    page.wait_for_selector("[data-testid=experiments-empty]")
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD)
    page.set_input_files("#x-file", str(bad))
    page.locator("[data-testid=experiments-upload] button[type=submit]").click()
    error = page.locator("[data-testid=experiments-error]")
    error.wait_for()
    assert "bad.csv" in error.inner_text() and "sum" in error.inner_text()
    assert "between 0 and the units" in error.inner_text()

    page.set_input_files("#x-file", str(EXAMPLE))
    page.locator("[data-testid=experiments-upload] button[type=submit]").click()
    page.wait_for_selector("[data-testid=experiments-uploaded]")
    page.wait_for_selector("#experiments-uplift.js-plotly-plot")
    ship = page.locator("[data-verdict=ship] [data-testid=verdict-sentence]").inner_text()
    assert ship.startswith("green button raises conversion rate by") and "Safe to ship." in ship
    assert page.locator("[data-verdict=srm][role=alert]").count() == 1
    assert page.locator("[data-testid=experiments-bandit] tbody tr").count() == 7
    page.screenshot(path=str(shots / "experiments.png"), full_page=True)

    # the browser's assignment is Python's, id by id
    page.add_script_tag(url=f"{live_server.url}/static/tw-experiments.js")
    cases = [(s, u) for s in SALTS for u in IDS]
    got = page.evaluate(
        "cases => cases.map(([s, u]) => [TradewindsExperiments.bucket(s, u),"
        " TradewindsExperiments.assign(s, u, [0.2, 0.3, 0.5])])",
        cases,
    )
    assert got == [[bucket(s, u), assign(s, u, [0.2, 0.3, 0.5])] for s, u in cases]
    assert not [p for p in problems if "Content Security Policy" in p], problems

    page.goto(f"{live_server.url}/experiments/events?preset=custom&from=2024-03-01&to=2024-03-07")
    page.wait_for_selector("#experiments-uplift.js-plotly-plot")
    assert page.locator("[data-experiment=free-shipping][data-verdict]").count() == 1
    page.screenshot(path=str(shots / "experiments-events.png"), full_page=True)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
    sign_in(phone, live_server.url, email)
    phone.goto(f"{live_server.url}/experiments")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
    phone.screenshot(path=str(shots / "experiments-phone.png"), full_page=True)
    phone.close()
    page.close()
