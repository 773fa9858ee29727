"""The two genuine Google Ads period reports: one account spend for their 90 days, spread
evenly over the days, each report kept with its own breakdown (DuckDB and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tradewinds.analytics import period_spend
from tradewinds.analytics.filters import ReportScope
from tradewinds.analytics.service import data_bounds, default_end, metrics_report
from tradewinds.ingest.service import import_file

START, END = date(2025, 5, 18), date(2025, 8, 15)
BID_TOTAL, LANDING_TOTAL = 249_214.39, 239_123.52  # their 'Total: Account' lines, in USD
FILES = ("google_ads_advanced_bid_adjustment_report.csv", "google_ads_landing_page_report.csv")


def _orders() -> list[dict[str, object]]:
    """Three orders of December 2011, as the demo's Online Retail orders are."""
    return [
        {
            "order_id": f"online_retail:{n}",
            "customer_id": f"c{n}",
            "storefront": "online_retail",
            "country": "GB",
            "currency": "GBP",
            "ordered_at": datetime(2011, 12, day, 12, tzinfo=UTC),
            "total": Decimal(total),
        }
        for n, (day, total) in enumerate([(1, "20.00"), (5, "35.50"), (9, "12.25")])
    ]


@pytest.fixture
def loaded(warehouse, shared_data: Path):
    warehouse.load("orders", _orders())
    reports = [
        import_file(warehouse=warehouse, path=shared_data / "ad_exports" / name) for name in FILES
    ]
    assert all(not r.errors and not r.aborted for r in reports)
    return warehouse


def _kinds(warehouse) -> list[tuple[str, str, str, int]]:
    return [
        tuple(r)
        for r in warehouse.query(
            "SELECT report, kind, dimension, COUNT(*) AS n FROM ad_spend_period "
            "GROUP BY report, kind, dimension ORDER BY report, kind"
        ).rows
    ]


def test_breakdowns_are_kept_and_reimporting_changes_nothing(loaded, shared_data) -> None:
    stored = _kinds(loaded)
    assert stored == [
        ("Advanced bid adjustment report", "account_total", "", 1),
        ("Advanced bid adjustment report", "not_broken_down", "interaction_type", 1),
        ("Advanced bid adjustment report", "row", "interaction_type", 21),
        ("Landing page report", "account_total", "", 1),
        ("Landing page report", "not_broken_down", "landing_page", 1),
        ("Landing page report", "row", "landing_page", 15),
    ]
    assert loaded.count("ad_spend_daily") == 0  # nothing lands on 18 May
    dates = loaded.query("SELECT DISTINCT period_start, period_end FROM ad_spend_period").rows
    assert [tuple(d) for d in dates] == [(START, END)]
    # rows + not broken down = the account total, per report: nothing lost, nothing twice
    sums = dict(
        loaded.query(
            "SELECT report, SUM(CASE WHEN kind = 'account_total' THEN -spend ELSE spend END) "
            "AS gap FROM ad_spend_period GROUP BY report"
        ).rows
    )
    assert all(abs(gap) < Decimal("0.02") for gap in sums.values()), sums
    for name in FILES:
        again = import_file(warehouse=loaded, path=shared_data / "ad_exports" / name)
        assert (again.imported, again.rejected) == (0, 0) and again.duplicates > 0
    assert _kinds(loaded) == stored


def test_the_account_spend_is_counted_once_and_spread_over_90_days(loaded) -> None:
    whole = metrics_report(
        warehouse=loaded,
        currency="USD",
        scope=ReportScope(start=START, end=END),
        metrics=("spend",),
    )
    assert whole.total["spend"] == pytest.approx(BID_TOTAL, abs=0.01)  # not the sum of both
    assert whole.total["estimated_spend"] == pytest.approx(BID_TOTAL, abs=0.01)
    [estimate] = whole.estimates
    assert (estimate.report, estimate.days, estimate.days_in_window) == (
        "Advanced bid adjustment report",
        90,
        90,
    )
    assert [o["report"] for o in estimate.other_reports] == ["Landing page report"]
    body = whole.to_dict()["estimated"]
    assert "estimated from a period report" in body["notes"][0]
    assert "18 May 2025 – 15 Aug 2025" in body["notes"][0]

    daily = metrics_report(
        warehouse=loaded,
        currency="USD",
        metrics=("spend",),
        scope=ReportScope(start=START, end=END, group_by=("day",)),
    )
    assert len(daily.rows) == 90
    assert {round(r["spend"], 2) for r in daily.rows} == {round(BID_TOTAL / 90, 2)}
    assert all(r["estimated_spend"] == r["spend"] for r in daily.rows)

    june = metrics_report(
        warehouse=loaded,
        currency="USD",
        metrics=("spend", "clicks"),
        scope=ReportScope(start=date(2025, 6, 1), end=date(2025, 6, 30)),
    )
    assert june.total["spend"] == pytest.approx(BID_TOTAL * 30 / 90, abs=0.01)
    assert [e.days_in_window for e in june.estimates] == [30]
    before = metrics_report(
        warehouse=loaded,
        currency="USD",
        metrics=("spend",),
        scope=ReportScope(start=date(2025, 5, 1), end=date(2025, 5, 17)),
    )
    assert before.total["spend"] in (None, 0) and before.estimates == []


def test_each_report_keeps_its_breakdown(loaded) -> None:
    reports = period_spend.breakdowns(loaded, ReportScope(start=START, end=END))
    by_name = {r["report"]: r for r in reports}
    bid, landing = by_name["Advanced bid adjustment report"], by_name["Landing page report"]
    assert (bid["counted"], bid["dimension"], len(bid["rows"])) == (True, "interaction_type", 21)
    assert (landing["counted"], landing["dimension"], len(landing["rows"])) == (
        False,
        "landing_page",
        15,
    )
    assert landing["account_total"]["spend"] == pytest.approx(LANDING_TOTAL)
    assert landing["not_broken_down"]["spend"] == pytest.approx(4_191.41)
    assert bid["not_broken_down"]["spend"] == pytest.approx(BID_TOTAL - 4_194.59, abs=0.01)


def test_the_orders_period_stays_the_default(loaded) -> None:
    assert data_bounds(warehouse=loaded) == (date(2011, 12, 1), date(2011, 12, 9))
    assert default_end(warehouse=loaded) == date(2011, 12, 9)
    december = metrics_report(
        warehouse=loaded,
        currency="GBP",
        metrics=("revenue", "spend"),
        scope=ReportScope(start=date(2011, 11, 10), end=date(2011, 12, 9)),
    )
    assert december.total["revenue"] == pytest.approx(67.75)
    assert december.estimates == []


def test_newer_daily_ad_spend_does_not_move_the_default_period(loaded) -> None:
    loaded.load(
        "ad_spend_daily",
        [
            {
                "date": date(2025, 8, 1),
                "platform": "google",
                "account_id": "a",
                "campaign_id": "c",
                "ad_group_id": "",
                "ad_id": "",
                "country": "",
                "device": "",
                "currency": "USD",
                "spend": Decimal("10"),
                "impressions": 100,
                "clicks": 5,
            }
        ],
    )
    assert data_bounds(warehouse=loaded)[1] == date(2025, 8, 1)
    assert default_end(warehouse=loaded) == date(2011, 12, 9)  # the last day with orders


def test_without_orders_the_default_period_ends_today(warehouse) -> None:
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
    assert default_end(warehouse=warehouse, timezone="Asia/Tokyo") == today


def test_cohort_and_channel_cac_read_the_same_spend(loaded) -> None:
    from tradewinds.analytics import channel_ltv, cohorts

    june = ReportScope(start=date(2025, 6, 1), end=date(2025, 6, 30))
    by_month = loaded.query(*cohorts.spend_sql(june, currency="USD")).rows
    by_channel = loaded.query(*channel_ltv.spend_sql(june, currency="USD")).rows
    assert [(m, round(s, 2)) for m, s in by_month] == [(2025 * 12 + 5, round(BID_TOTAL / 3, 2))]
    assert [(c, round(s, 2)) for c, s in by_channel] == [("google", round(BID_TOTAL / 3, 2))]
