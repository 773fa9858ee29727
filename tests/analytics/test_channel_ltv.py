"""LTV by acquisition channel on a tiny shop worked out by hand (DuckDB and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

from tests.analytics.fixtures import order, spend
from tradewinds.analytics.channel_ltv import build
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.service import channel_ltv_report


def _touch(tid: str, customer: str, when: str, source: str, medium: str) -> dict:
    return {
        "touchpoint_id": tid,
        "customer_id": customer,
        "occurred_at": datetime.fromisoformat(when),
        "source": source,
        "medium": medium,
    }


def test_ltv_by_acquisition_channel(warehouse) -> None:
    warehouse.load(
        "orders",
        [
            order("a1", "a", "2024-01-10", "100"),
            order("a2", "a", "2024-02-10", "50"),
            order("b1", "b", "2024-01-20", "40"),
            order("c1", "c", "2024-02-15", "30"),
            order("d1", "d", "2024-02-20", "20"),
            order("e0", "e", "2023-12-01", "10"),
            order("e1", "e", "2024-01-05", "10"),
        ],
    )
    warehouse.load(
        "touchpoints",
        [
            _touch("t0", "a", "2023-11-01T09:00:00", "tiktok", "cpc"),  # over 30 days before
            _touch("t1", "a", "2024-01-05T09:00:00", "google", "cpc"),
            _touch("t2", "b", "2024-01-19T09:00:00", "facebook", "paid_social"),
            _touch("t3", "c", "2024-02-14T09:00:00", "google", "cpc"),
            _touch("t4", "e", "2024-01-04T09:00:00", "google", "cpc"),  # e was acquired before
        ],
    )
    warehouse.load(
        "ad_spend_daily",
        [spend("2024-01-03", "google", "200", "GBP"), spend("2024-01-03", "meta", "20", "GBP")],
    )
    scope = make_scope(start=date(2024, 1, 1), end=date(2024, 2, 29), default_end=date(2024, 2, 29))
    body = channel_ltv_report(warehouse=warehouse, scope=scope, currency="GBP")
    rows = {r["channel"]: r for r in body["channels"]}
    assert [r["channel"] for r in body["channels"]] == ["google", "(no ad touch)", "meta"]
    google = rows["google"]
    # month 0: a 100 + c 30 over 2 customers; month 1: only a is observed (50)
    assert (google["customers"], google["ltv"], google["observed"]) == (2, [65.0, 115.0], [2, 1])
    assert (google["cac"], google["payback_month"]) == (100.0, 1)
    assert rows["meta"]["ltv"] == [40.0, 40.0]
    assert (rows["meta"]["cac"], rows["meta"]["payback_month"]) == (20.0, 0)
    nobody = rows["(no ad touch)"]
    assert (nobody["ltv"], nobody["cac"], nobody["payback_month"]) == ([20.0], None, None)


def test_build_never_averages_in_unobserved_months() -> None:
    jan, feb = 24288, 24289
    found = build(
        [("x", jan, 1), ("x", feb, 3)],
        [("x", jan, 0, 10.0), ("x", jan, 1, 90.0), ("x", feb, 0, 30.0)],
        {},
        last_month=feb,
    )
    assert found[0].ltv == [10.0, 100.0] and found[0].observed == [4, 1]


def test_api_needs_finance_and_stays_in_its_workspace(client, tenants) -> None:
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load("orders", [order("a1", "a", "2024-01-10", "100")])
    r = client.get("/api/v1/ltv?from=2024-01-01&to=2024-01-31", headers=tenants.a.headers)
    assert r.status_code == 200, r.text
    assert r.json()["channels"] == [
        {
            "channel": "(no ad touch)",
            "customers": 1,
            "ltv": [100.0],
            "observed": [1],
            "spend": None,
            "cac": None,
            "payback_month": None,
        }
    ]
    other = client.get("/api/v1/ltv?from=2024-01-01&to=2024-01-31", headers=tenants.b.headers)
    assert other.json()["channels"] == []
