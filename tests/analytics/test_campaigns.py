"""The metrics' campaign dimension: orders reach the campaign of the spend rows."""

from __future__ import annotations

from datetime import date

import pytest

from tests.analytics.fixtures import order, spend, ts
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.service import metrics_report


def _touch(tid: str, customer: str, **fields: str) -> dict[str, object]:
    return {
        "touchpoint_id": tid,
        "customer_id": customer,
        "occurred_at": ts("2025-03-05", 9),
        **fields,
    }


def _shop(wh) -> None:
    rows = [
        spend("2025-03-05", "google", "100", "GBP", campaign="111"),
        spend("2025-03-05", "google", "50", "GBP", campaign="222"),
        spend("2025-03-05", "tiktok", "20", "GBP", campaign="444"),
    ]
    for row, name in zip(rows, ("Brand search", "Shopping - gifts", "UGC video"), strict=True):
        row["campaign_name"] = name
    wh.load("ad_spend_daily", rows)
    wh.load(
        "touchpoints",
        [
            _touch("1", "ann", gclid="g1", campaign="spring", campaign_id="222"),  # utm_id=
            _touch("2", "ben", source="google", medium="cpc", campaign="brand_search"),  # name
            _touch("3", "cat", ttclid="t1"),  # click id only: TikTok's one campaign that day
            _touch("4", "dan", source="google", medium="cpc", campaign="222"),  # numeric utm
            _touch("5", "eve", source="klaviyo", medium="email", campaign="brand_search"),
        ],
    )
    wh.load(
        "orders",
        [
            order("o1", "ann", "2025-03-05", "60"),
            order("o2", "ben", "2025-03-05", "200"),
            order("o3", "cat", "2025-03-05", "30"),
            order("o4", "dan", "2025-03-05", "40"),
            order("o5", "eve", "2025-03-05", "10"),
        ],
    )


def _scope(**kw):
    return make_scope(
        start=date(2025, 3, 1), end=date(2025, 3, 10), default_end=date(2025, 3, 10), **kw
    )


def test_revenue_spend_roas_and_cac_meet_by_campaign(warehouse) -> None:
    _shop(warehouse)
    report = metrics_report(
        warehouse=warehouse,
        currency="GBP",
        scope=_scope(group_by="campaign"),
        metrics=("orders", "revenue", "spend", "roas", "cac"),
    )
    by = {r["campaign"]: r for r in report.rows}
    # every customer is new: CAC = spend / new customers
    assert by["Brand search"] == {
        "campaign": "Brand search",
        "orders": 1,
        "revenue": 200.0,
        "spend": 100.0,
        "roas": 2.0,
        "cac": 100.0,
    }
    assert by["Shopping - gifts"] == {
        "campaign": "Shopping - gifts",
        "orders": 2,
        "revenue": 100.0,
        "spend": 50.0,
        "roas": 2.0,
        "cac": 25.0,
    }
    assert by["UGC video"]["roas"] == pytest.approx(1.5)
    # an e-mail tagged like an ad keeps its own name: unpaid touches never take an ad's
    assert by["brand_search"]["revenue"] == 10.0 and by["brand_search"]["spend"] is None


def test_a_campaign_filter_uses_the_spend_name(warehouse) -> None:
    _shop(warehouse)
    report = metrics_report(
        warehouse=warehouse,
        currency="GBP",
        scope=_scope(filters={"campaign": "Shopping - gifts"}),
        metrics=("orders", "revenue", "spend", "roas"),
    )
    assert report.rows[0] == {"orders": 2, "revenue": 100.0, "spend": 50.0, "roas": 2.0}
