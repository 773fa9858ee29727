"""A seller's first upload: the demo gift shop, then the two genuine Google Ads report
downloads sent through the Data page as a browser sends them.

The dashboards keep the orders' period; the USD spend converts at ECB rates with nothing
left unconverted; the account's spend for 18 May – 15 Aug 2025 is one report's
``Total: Account`` (not both), spread over the 90 days; each report's rows stay as its
breakdown (21 interaction types, 15 landing pages).
"""

from __future__ import annotations

import html
import re
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.web.browser import csrf_from, login

FILES = ("google_ads_advanced_bid_adjustment_report.csv", "google_ads_landing_page_report.csv")
BID_TOTAL = Decimal("249214.39")  # the bid-adjustment report's 'Total: Account' (USD)
LANDING_TOTAL = Decimal("239123.52")
START, DAYS = date(2025, 5, 18), 90


def _demo_shop() -> tuple[str, str]:
    """Load the demo workspaces; the gift shop's key and an owner API key for it."""
    from tradewinds.auth import apikeys
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.demo import load_demo

    load_demo(with_data=True)
    with session_scope() as session:
        shop = session.scalar(select(Workspace).where(Workspace.name == "Demo Gift Shop"))
        assert shop is not None and shop.currency == "GBP"
        key = apikeys.create_key(
            session=session, workspace=shop, role="owner", name="check", actor="test"
        ).key
        return shop.key, key


def _wait(client, headers, import_id: int) -> dict:
    deadline = time.monotonic() + 180
    while True:
        body = client.get(f"/api/v1/imports/{import_id}", headers=headers).json()
        if body["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def _gbp_per_day(total: Decimal) -> dict[str, float]:
    """``total`` USD spread evenly over the 90 days, each day's share at that day's ECB rate
    (the latest published within 7 days), straight from the bundled ECB history."""
    from tradewinds.markets.fx_bundled import bundled_table

    table = bundled_table(START - timedelta(days=10), START + timedelta(days=DAYS))
    share = total / DAYS
    return {
        (START + timedelta(i)).isoformat(): float(
            table.convert(share, from_currency="USD", to_currency="GBP", on=START + timedelta(i))
        )
        for i in range(DAYS)
    }


def _gbp_at_ecb(total: Decimal) -> float:
    return sum(_gbp_per_day(total).values())


@pytest.mark.slow
@pytest.mark.usefixtures("shared_data")
def test_demo_then_both_google_ads_reports_from_the_data_page(client, app_db, shared_data):
    from tradewinds.demo import DEMO_EMAIL, DEMO_PASSWORD

    _, key = _demo_shop()
    headers = {"Authorization": f"Bearer {key}"}
    before = client.get(
        "/api/v1/metrics", headers=headers, params={"metrics": "orders,revenue,spend"}
    ).json()
    assert (before["from"], before["to"]) == ("2011-11-10", "2011-12-09")

    assert login(client, DEMO_EMAIL, DEMO_PASSWORD).status_code in (302, 303)
    page = client.get("/data")
    assert page.status_code == 200 and "Demo Gift Shop" in page.text
    paths = [shared_data / "ad_exports" / name for name in FILES]
    sent = client.post(
        "/data/imports",
        data={"csrf_token": csrf_from(page.text), "format": ""},
        files=[("files", (p.name, p.read_bytes(), "text/csv")) for p in paths],
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text[:500]
    done = _wait(client, headers, int(sent.headers["location"].split("started=")[1]))
    assert (done["status"], done["rejected"]) == ("done", 0), done
    assert [f["format"] for f in done["files"]] == ["google_ads", "google_ads"]

    # the dashboards still show the orders' period, with every figure
    after = client.get(
        "/api/v1/metrics", headers=headers, params={"metrics": "orders,revenue,spend"}
    ).json()
    assert (after["from"], after["to"]) == ("2011-11-10", "2011-12-09")
    assert after["rows"] == before["rows"] and after["rows"][0]["orders"] > 0
    overview = html.unescape(client.get("/").text)
    assert re.search(r'name="from"[^>]*value="2011-11-10"', overview), "period moved"
    assert re.search(r'name="to"[^>]*value="2011-12-09"', overview), "period moved"
    assert "could not be converted" not in overview

    # the account's spend for the period: one report's Total: Account, in GBP at ECB rates
    whole = client.get(
        "/api/v1/metrics",
        headers=headers,
        params={"metrics": "spend", "from": "2025-05-18", "to": "2025-08-15"},
    ).json()
    assert whole["currency"] == "GBP"
    assert whole["fx"]["unconverted_rows"] == 0 and whole["fx"]["missing_rates"] == []
    assert whole["rows"][0]["spend"] == pytest.approx(_gbp_at_ecb(BID_TOTAL), abs=0.05)
    assert whole["rows"][0]["spend"] != pytest.approx(
        _gbp_at_ecb(BID_TOTAL + LANDING_TOTAL), abs=1.0
    )
    [counted] = whole["estimated"]["period_reports"]
    assert (counted["report"], counted["days"], counted["days_in_window"]) == (
        "Advanced bid adjustment report",
        DAYS,
        DAYS,
    )

    # spread evenly over the 90 days: each day has 1/90 of it (at that day's rate)
    daily = client.get(
        "/api/v1/metrics",
        headers=headers,
        params={"metrics": "spend", "from": "2025-05-18", "to": "2025-08-15", "group_by": "day"},
    ).json()
    days = {r["day"]: r["spend"] for r in daily["rows"]}
    assert len(days) == DAYS and min(days) == "2025-05-18" and max(days) == "2025-08-15"
    assert sum(days.values()) == pytest.approx(whole["rows"][0]["spend"], abs=0.05)
    expected = _gbp_per_day(BID_TOTAL)  # 2,769.05 USD a day, at each day's rate
    assert days == pytest.approx(expected, abs=0.01)

    # each report's rows stay as its breakdown
    reports = client.get(
        "/api/v1/period-reports", headers=headers, params={"from": "2025-05-18", "to": "2025-08-15"}
    ).json()["reports"]
    kept = {r["report"]: (r["dimension"], len(r["rows"]), r["counted"]) for r in reports}
    assert kept == {
        "Advanced bid adjustment report": ("interaction_type", 21, True),
        "Landing page report": ("landing_page", 15, False),
    }
