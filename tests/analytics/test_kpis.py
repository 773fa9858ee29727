"""KPIs on a tiny shop, checked against figures worked out by hand (on DuckDB and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.analytics.fixtures import order, rate, spend, ts
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.service import metrics_report

ALL = (
    "spend",
    "impressions",
    "clicks",
    "ctr",
    "cpc",
    "cpm",
    "orders",
    "revenue",
    "net_revenue",
    "refunds",
    "aov",
    "roas",
    "platform_roas",
    "cac",
    "new_customers",
    "returning_customers",
    "customers",
)


def _scope(start: str, end: str, **kw):
    return make_scope(
        start=date.fromisoformat(start),
        end=date.fromisoformat(end),
        default_end=date.fromisoformat(end),
        **kw,
    )


def _shop(wh) -> None:
    wh.load(
        "ad_spend_daily",
        [
            spend(
                "2024-03-01",
                "google",
                "30",
                "GBP",
                impressions=2000,
                clicks=40,
                value="90",
                country="FR",
            ),
            spend(
                "2024-03-02",
                "meta",
                "20",
                "GBP",
                impressions=3000,
                clicks=20,
                value="100",
                country="GB",
            ),
            spend("2024-02-28", "meta", "10", "GBP"),  # the previous period
        ],
    )
    wh.load(
        "orders",
        [
            order("o1", "alice", "2024-03-01", "100", country="France"),
            order("o2", "bob", "2024-03-02", "60", refunded="15", country="GB"),
            order("o3", "bob", "2024-02-20", "40", country="GB"),  # bob is returning
            order("r1", "alice", "2024-03-02", "-20", country="France"),  # refund document
            order("o4", None, "2024-03-02", "40", country="GB"),  # guest checkout
            order("old", "carol", "2024-02-29", "25", country="GB"),
        ],
    )
    wh.execute("UPDATE orders SET refunded = 20, status = 'refunded' WHERE order_id = 'r1'")


def test_totals_by_hand(warehouse) -> None:
    _shop(warehouse)
    report = metrics_report(
        warehouse=warehouse, currency="GBP", scope=_scope("2024-03-01", "2024-03-02"), metrics=ALL
    )
    row = report.rows[0]
    # spend 30 + 20; impressions 5000; clicks 60
    assert row["spend"] == 50.0 and row["impressions"] == 5000 and row["clicks"] == 60
    assert row["ctr"] == pytest.approx(60 / 5000)
    assert row["cpc"] == round(50 / 60, 2)  # money: to the penny
    assert row["cpm"] == pytest.approx(50 / 5000 * 1000)
    # sales documents o1, o2, o4 (the refund document r1 is not an order)
    assert row["orders"] == 3
    assert row["revenue"] == 200.0  # 100 + 60 + 40
    assert row["refunds"] == 35.0  # 15 on o2 + 20 refunded by r1
    assert row["net_revenue"] == 165.0
    assert row["aov"] == round(200 / 3, 2)
    assert row["roas"] == pytest.approx(200 / 50)
    assert row["platform_roas"] == pytest.approx(190 / 50)
    # alice first ordered in the period; bob ordered before; the guest has no customer id
    assert row["customers"] == 2 and row["new_customers"] == 1
    assert row["returning_customers"] == 1
    assert row["cac"] == pytest.approx(50.0)


def test_grouped_by_country_and_compared(warehouse) -> None:
    _shop(warehouse)
    report = metrics_report(
        warehouse=warehouse,
        currency="GBP",
        scope=_scope("2024-03-01", "2024-03-02", group_by="country"),
        metrics=("revenue", "spend", "roas"),
        compare=True,
    )
    rows = {r["country"]: r for r in report.rows}
    # "GB" (orders, ad country) and "France"/"FR" read as one country each
    assert set(rows) == {"France", "United Kingdom"}
    assert rows["France"]["revenue"] == 100.0 and rows["France"]["spend"] == 30.0
    assert rows["United Kingdom"]["revenue"] == 100.0 and rows["United Kingdom"]["spend"] == 20.0
    assert rows["United Kingdom"]["roas"] == pytest.approx(5.0)
    # previous period = 2024-02-28 .. 2024-02-29: UK revenue 25, spend 10 (not split)
    assert report.previous == (date(2024, 2, 28), date(2024, 2, 29), "previous")
    assert rows["United Kingdom"]["revenue_previous"] == 25.0
    assert rows["United Kingdom"]["revenue_change"] == pytest.approx((100 - 25) / 25)


def test_filter_by_channel_and_country(warehouse) -> None:
    _shop(warehouse)
    report = metrics_report(
        warehouse=warehouse,
        currency="GBP",
        scope=_scope("2024-03-01", "2024-03-02", filters={"channel": "meta"}),
        metrics=("spend", "clicks"),
    )
    assert report.rows[0]["spend"] == 20.0 and report.rows[0]["clicks"] == 20
    report = metrics_report(
        warehouse=warehouse,
        currency="GBP",
        scope=_scope("2024-03-01", "2024-03-02", filters={"country": "France"}),
        metrics=("revenue", "spend", "orders"),
    )
    assert report.rows[0] == {"revenue": 100.0, "spend": 30.0, "orders": 1}


def test_daily_trend(warehouse) -> None:
    _shop(warehouse)
    report = metrics_report(
        warehouse=warehouse,
        currency="GBP",
        scope=_scope("2024-03-01", "2024-03-02", group_by="day"),
        metrics=("revenue", "spend"),
    )
    assert [(r["day"], r["revenue"], r["spend"]) for r in report.rows] == [
        ("2024-03-01", 100.0, 30.0),
        ("2024-03-02", 100.0, 20.0),
    ]


def test_cross_currency_roas_uses_each_days_rate(warehouse) -> None:
    """Meta bills in EUR, Google in USD, the shop sells in GBP, the workspace reports USD."""
    warehouse.load(
        "fx_rates",
        [
            rate("2024-05-06", "GBP", "0.80"),
            rate("2024-05-06", "USD", "1.10"),
            rate("2024-05-07", "GBP", "0.90"),
            rate("2024-05-07", "USD", "1.20"),
        ],
    )
    warehouse.load(
        "ad_spend_daily",
        [
            spend("2024-05-06", "meta", "100", "EUR", value="200"),
            spend("2024-05-07", "meta", "100", "EUR", value="200"),
            spend("2024-05-06", "google", "55", "USD", value="110"),
            spend("2024-05-07", "google", "60", "USD", value="120"),
        ],
    )
    warehouse.load(
        "orders",
        [
            order("a", "x", "2024-05-06", "80", "GBP"),  # 80 / 0.80 * 1.10 = 110 USD
            order("b", "y", "2024-05-07", "90", "GBP"),  # 90 / 0.90 * 1.20 = 120 USD
        ],
    )
    report = metrics_report(
        warehouse=warehouse,
        currency="USD",
        scope=_scope("2024-05-06", "2024-05-07", group_by="channel"),
        metrics=("spend", "platform_conversion_value", "platform_roas"),
    )
    by = {r["channel"]: r for r in report.rows}
    # Meta: 100 EUR at 1.10 + 100 EUR at 1.20 = 230 USD (one rate for both days would not)
    assert by["meta"]["spend"] == 230.0
    assert by["meta"]["platform_conversion_value"] == 460.0
    assert by["google"]["spend"] == 115.0
    total = metrics_report(
        warehouse=warehouse,
        currency="USD",
        scope=_scope("2024-05-06", "2024-05-07"),
        metrics=("revenue", "spend", "roas"),
    )
    assert total.rows[0]["revenue"] == 230.0
    assert total.rows[0]["spend"] == 345.0
    assert total.rows[0]["roas"] == pytest.approx(230 / 345)
    body = total.to_dict()
    assert body["currency"] == "USD" and body["fx"]["method"] == "daily"
    assert "each day's exchange rate" in body["fx"]["note"]
    assert body["fx"]["missing_rates"] == [] and body["fx"]["unconverted_rows"] == 0


def test_missing_rate_is_reported_never_taken_as_one(warehouse) -> None:
    warehouse.load("fx_rates", [rate("2024-05-06", "USD", "1.10")])
    warehouse.load(
        "ad_spend_daily",
        [
            spend("2024-05-06", "meta", "100", "EUR"),
            spend("2024-05-06", "google", "50", "SEK"),  # no SEK rate at all
        ],
    )
    report = metrics_report(
        warehouse=warehouse,
        currency="USD",
        scope=_scope("2024-05-06", "2024-05-06"),
        metrics=("spend",),
    )
    assert report.rows[0]["spend"] == 110.0  # not 160, not 110 + 50
    assert report.unconverted_rows == 1
    assert report.missing_rates == [{"currency": "SEK", "day": "2024-05-06"}]


def test_empty_workspace_answers_nothing_not_zero(warehouse) -> None:
    report = metrics_report(
        warehouse=warehouse,
        currency="GBP",
        scope=_scope("2024-01-01", "2024-01-31"),
        metrics=("revenue", "roas", "orders"),
    )
    assert report.rows[0]["roas"] is None


def test_first_order_recorded_by_an_import_decides_who_is_new(warehouse) -> None:
    _shop(warehouse)
    # alice's history from before these orders were imported: she is not new
    warehouse.load(
        "customers",
        [
            {
                "customer_id": "alice",
                "country": "FR",
                "first_order_at": ts("2023-06-01"),
                "source": "test",
            }
        ],
    )
    report = metrics_report(
        warehouse=warehouse,
        currency="GBP",
        scope=_scope("2024-03-01", "2024-03-02"),
        metrics=("new_customers", "returning_customers", "cac"),
    )
    assert report.rows[0] == {"new_customers": 0, "returning_customers": 2, "cac": None}


def _touch(tid: str, customer: str, day: str, **fields):
    return {
        "touchpoint_id": tid,
        "customer_id": customer,
        "occurred_at": ts(day, 9),
        "source": fields.get("source"),
        "medium": fields.get("medium"),
        "gclid": fields.get("gclid"),
        "campaign": fields.get("campaign"),
        "device": fields.get("device"),
    }


def test_store_revenue_by_channel_follows_the_last_paid_touch(warehouse) -> None:
    warehouse.load(
        "orders",
        [
            order("g", "ann", "2024-04-20", "100"),
            order("m", "ben", "2024-04-20", "50"),
            order("e", "cat", "2024-04-20", "30"),
            order("n", "dan", "2024-04-20", "20"),
        ],
    )
    warehouse.load(
        "touchpoints",
        [
            _touch("1", "ann", "2024-04-01", source="facebook", medium="paid_social"),
            _touch("2", "ann", "2024-04-18", gclid="abc", campaign="brand"),  # the latest wins
            _touch("3", "ben", "2024-04-19", source="facebook", medium="paid_social"),
            _touch("4", "cat", "2024-04-19", source="klaviyo", medium="email"),
            _touch("5", "dan", "2024-03-01", gclid="old"),  # more than 30 days before
            _touch("6", "ben", "2024-04-21", gclid="after"),  # after the order
        ],
    )
    warehouse.load("ad_spend_daily", [spend("2024-04-20", "google", "25", "GBP")])
    scope = _scope("2024-04-20", "2024-04-20", group_by="channel")
    report = metrics_report(
        warehouse=warehouse, currency="GBP", scope=scope, metrics=("revenue", "spend", "roas")
    )
    by = {r["channel"]: r for r in report.rows}
    assert by["google"] == {"channel": "google", "revenue": 100.0, "spend": 25.0, "roas": 4.0}
    assert by["meta"]["revenue"] == 50.0 and by["unpaid"]["revenue"] == 30.0
    assert by["(no ad touch)"]["revenue"] == 20.0
    only = metrics_report(
        warehouse=warehouse,
        currency="GBP",
        scope=_scope("2024-04-20", "2024-04-20", filters={"campaign": "brand"}),
        metrics=("revenue", "orders"),
    )
    assert only.rows[0] == {"revenue": 100.0, "orders": 1}
