"""Uploading the two genuine Google Ads period reports through the API: one account spend
for 18 May – 15 Aug 2025 in the metrics API (in USD and converted to GBP at ECB rates),
each report's breakdown under /period-reports, and the orders' period still the default."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import make_tenant

BID_TOTAL = 249_214.39  # the advanced bid-adjustment report's 'Total: Account' (USD)
FILES = ("google_ads_advanced_bid_adjustment_report.csv", "google_ads_landing_page_report.csv")


def _settled(client, headers, import_id: int) -> dict:
    deadline = time.monotonic() + 120
    while True:
        body = client.get(f"/api/v1/imports/{import_id}", headers=headers).json()
        if body["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def _upload(client, headers, paths: list[Path]) -> dict:
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in paths]
    started = client.post("/api/v1/imports", headers=headers, files=files)
    assert started.status_code == 202, started.text
    return _settled(client, headers, started.json()["id"])


def _with_orders(workspace_key: str) -> None:
    from tradewinds.warehouse import open_warehouse

    orders = [
        {
            "order_id": f"online_retail:{n}",
            "customer_id": f"c{n}",
            "storefront": "online_retail",
            "country": "GB",
            "currency": "GBP",
            "ordered_at": datetime(2011, 12, 1 + n, 12, tzinfo=UTC),
            "total": Decimal("10.00") * (n + 1),
        }
        for n in range(5)
    ]
    with open_warehouse(workspace_key) as warehouse:
        warehouse.load("orders", orders)


def _spend(client, headers, start: str, end: str) -> dict:
    response = client.get(
        "/api/v1/metrics", headers=headers, params={"metrics": "spend", "from": start, "to": end}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _gbp_at_ecb_rates(start: date, days: int) -> float:
    """The bid-adjustment report's daily share, each day converted at that day's ECB rate."""
    from tradewinds.markets.fx_bundled import bundled_table

    table = bundled_table(start - timedelta(days=10), start + timedelta(days=days))
    share = Decimal(str(BID_TOTAL)) / 90
    return float(
        sum(
            table.convert(
                share, from_currency="USD", to_currency="GBP", on=start + timedelta(days=i)
            )
            for i in range(days)
        )
    )


@pytest.mark.parametrize("currency", ["USD", "GBP"])
def test_upload_both_reports_counts_one_spend(client, app_db, shared_data, currency) -> None:
    shop = make_tenant(f"Periods {currency}", currency)
    _with_orders(shop.workspace_key)
    paths = [shared_data / "ad_exports" / name for name in FILES]
    done = _upload(client, shop.headers, paths)
    assert (done["status"], done["rejected"]) == ("done", 0), done
    assert [f["format"] for f in done["files"]] == ["google_ads", "google_ads"]

    whole = _spend(client, shop.headers, "2025-05-18", "2025-08-15")
    june = _spend(client, shop.headers, "2025-06-01", "2025-06-30")
    if currency == "USD":
        assert whole["rows"][0]["spend"] == pytest.approx(BID_TOTAL, abs=0.01)
        assert june["rows"][0]["spend"] == pytest.approx(BID_TOTAL * 30 / 90, abs=0.01)
    else:
        assert whole["fx"]["unconverted_rows"] == 0
        assert whole["rows"][0]["spend"] == pytest.approx(
            _gbp_at_ecb_rates(date(2025, 5, 18), 90), abs=0.05
        )
        assert june["rows"][0]["spend"] == pytest.approx(
            _gbp_at_ecb_rates(date(2025, 6, 1), 30), abs=0.05
        )
    assert june["rows"][0]["estimated_spend"] == june["rows"][0]["spend"]
    [report] = june["estimated"]["period_reports"]
    assert (report["report"], report["days_in_window"], report["days"]) == (
        "Advanced bid adjustment report",
        30,
        90,
    )
    assert "estimated from a period report" in june["estimated"]["notes"][0]

    again = _upload(client, shop.headers, paths)
    assert (again["imported"], again["rejected"]) == (0, 0)
    assert _spend(client, shop.headers, "2025-05-18", "2025-08-15")["rows"] == whole["rows"]

    breakdowns = client.get(
        "/api/v1/period-reports",
        headers=shop.headers,
        params={"from": "2025-05-18", "to": "2025-08-15"},
    ).json()
    by_name = {r["report"]: r for r in breakdowns["reports"]}
    assert {n: (r["dimension"], len(r["rows"]), r["counted"]) for n, r in by_name.items()} == {
        "Advanced bid adjustment report": ("interaction_type", 21, True),
        "Landing page report": ("landing_page", 15, False),
    }

    default = client.get(
        "/api/v1/metrics", headers=shop.headers, params={"metrics": "orders,spend"}
    ).json()
    assert default["to"] == "2011-12-05"  # the orders' period, not the ad reports' 2025
    assert default["rows"][0]["orders"] == 5 and "estimated" not in default
