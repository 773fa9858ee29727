"""The Invalid traffic page in a browser: the verdict and tiles, the chart, the tables, and
the exclusion-list and evidence downloads — at laptop and phone widths."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pandas as pd
import pytest

from tests.analytics.fixtures import order, spend

from .conftest import seed_owner, sign_in

pytestmark = pytest.mark.e2e

LAST = date(2026, 3, 31)
CAMPAIGNS = {"google": ["Shopping - gifts", "Brand search"], "meta": ["Retargeting - cart"]}


def _shop() -> tuple[str, str]:
    from tradewinds.fraud import demo, store
    from tradewinds.warehouse import open_warehouse

    email = "fraud@sands.example"
    key = seed_owner("Sands fraud", email=email)
    with open_warehouse(key) as wh:
        rows = []
        for d in range(30):
            day = (LAST - timedelta(days=d)).isoformat()
            for platform, names in CAMPAIGNS.items():
                rows += [spend(day, platform, "40", "GBP", campaign=n) for n in names]
        wh.load("ad_spend_daily", rows)
        wh.load("orders", [order("o1", "c1", LAST.isoformat(), "120", country="GB")])
    frame = demo.click_rows(CAMPAIGNS, {"GB": 0.8, "DE": 0.2}, LAST, days=30, per_day=12)
    folder = store.home(key) / "clicks"
    folder.mkdir(parents=True)
    frame.to_csv(folder / "log.clicks.csv", index=False)
    return email, key


def test_invalid_traffic_page(live_server, browser, shots) -> None:
    email, _key = _shop()
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-GB")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, email)
    query = f"preset=custom&from={LAST - timedelta(days=29)}&to={LAST}"
    page.goto(f"{live_server.url}/fraud?{query}")
    assert "look invalid" in page.locator("[data-testid=verdict]").inner_text()
    wasted = page.locator("[data-testid=tiles] [data-metric=wasted_spend] .value").inner_text()
    assert wasted not in ("", "—")
    page.wait_for_selector("#fraud-chart.js-plotly-plot")
    assert page.locator("[data-testid=fraud-campaigns] tbody tr").count() == 3
    assert page.locator("[data-testid=fraud-reasons] tbody tr").count() >= 4
    page.screenshot(path=str(shots / "fraud.png"), full_page=True)

    with page.expect_download() as got:
        page.locator("[data-testid=list-google_ip]").click()
    ips = pd.read_csv(got.value.path())
    assert list(ips.columns) == ["Campaign", "IP address"] and len(ips) > 0
    with page.expect_download() as got:
        page.locator("[data-testid=evidence-google]").click()
    with zipfile.ZipFile(io.BytesIO(open(got.value.path(), "rb").read())) as pack:
        assert set(pack.namelist()) == {"clicks.csv", "summary.html"}
        flagged = pd.read_csv(pack.open("clicks.csv"))
    assert len(flagged) > 0 and flagged["reasons"].str.len().min() > 0

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
    sign_in(phone, live_server.url, email)
    phone.goto(f"{live_server.url}/fraud?{query}")
    phone.wait_for_selector("[data-testid=tiles]")
    phone.screenshot(path=str(shots / "fraud.phone.png"), full_page=True)
    assert not problems, problems
