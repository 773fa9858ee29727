"""Report days are the workspace's days: an order at 23:30 UTC belongs to the next day in
Tokyo and to the same day in New York (worked out by hand; DuckDB and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.analytics.fixtures import order, rate, ts
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.service import cohort_report, funnel_report, metrics_report
from tradewinds.errors import InvalidInput


def _scope(start: str, end: str, timezone: str, **kw):
    return make_scope(
        start=date.fromisoformat(start),
        end=date.fromisoformat(end),
        default_end=date.fromisoformat(end),
        timezone=timezone,
        **kw,
    )


def test_range_bounds_are_local_midnights() -> None:
    london = _scope("2024-07-01", "2024-07-31", "Europe/London")
    assert london.utc_start() == datetime(2024, 6, 30, 23, 0)  # BST is UTC+1
    assert london.utc_end() == datetime(2024, 7, 31, 23, 0)
    tokyo = _scope("2024-01-02", "2024-01-02", "Asia/Tokyo")
    assert (tokyo.utc_start(), tokyo.utc_end()) == (
        datetime(2024, 1, 1, 15, 0),
        datetime(2024, 1, 2, 15, 0),
    )
    assert tokyo.previous().timezone == "Asia/Tokyo"
    with pytest.raises(InvalidInput, match="time zone"):
        _scope("2024-01-02", "2024-01-02", "Mars/Olympus")


@pytest.mark.parametrize(
    ("timezone", "orders", "revenue"),
    [
        ("UTC", 1, 10.0),  # only the noon order is on 2 January
        ("Asia/Tokyo", 2, 10.0 + 1.0 * 0.5),  # 23:30 UTC on 1 Jan is 08:30 on 2 Jan in Tokyo
        ("America/New_York", 1, 10.0),  # 23:30 UTC on 1 Jan is 18:30 on 1 Jan there
    ],
)
def test_orders_fall_on_the_local_day(
    warehouse, timezone: str, orders: int, revenue: float
) -> None:
    warehouse.load(
        "orders",
        [
            order("late", "a", "2024-01-01", "1", "EUR", hour=23),  # 23:00 UTC
            order("noon", "b", "2024-01-02", "10"),
        ],
    )
    warehouse.execute(
        "UPDATE orders SET ordered_at = $t WHERE order_id = 'late'",
        {"t": datetime(2024, 1, 1, 23, 30)},
    )
    # EUR->GBP: 0.9 on 1 January, 0.5 on 2 January: the local day's rate is used
    warehouse.load("fx_rates", [rate("2024-01-01", "GBP", "0.9"), rate("2024-01-02", "GBP", "0.5")])
    scope = _scope("2024-01-02", "2024-01-02", timezone, group_by="day")
    report = metrics_report(
        warehouse=warehouse, currency="GBP", scope=scope, metrics=("orders", "revenue")
    )
    assert [(r["day"], r["orders"], r["revenue"]) for r in report.rows] == [
        ("2024-01-02", orders, pytest.approx(revenue))
    ]


@pytest.mark.parametrize(
    ("timezone", "months"), [("UTC", ["2024-01"]), ("Asia/Tokyo", ["2024-02"])]
)
def test_cohort_month_is_the_local_month(warehouse, timezone: str, months: list[str]) -> None:
    warehouse.load(
        "orders", [order("1", "a", "2024-01-31", "10", hour=23), order("2", "a", "2024-02-10", "5")]
    )
    scope = _scope("2024-01-01", "2024-02-29", timezone)
    body = cohort_report(warehouse=warehouse, scope=scope, currency="GBP")
    assert [c["month"] for c in body["cohorts"]] == months
    assert body["cohorts"][0]["retained"][0] == 1
    # UTC: bought in January and February; Tokyo: both orders in February
    assert body["cohorts"][0]["ltv"] == ([10.0, 15.0] if timezone == "UTC" else [15.0])


@pytest.mark.parametrize(("timezone", "viewers"), [("UTC", 1), ("Asia/Tokyo", 2)])
def test_funnel_range_is_local(warehouse, timezone: str, viewers: int) -> None:
    events = [
        {
            "message_id": f"m{i}",
            "type": "track",
            "event": "Product Viewed",
            "anonymous_id": who,
            "timestamp": when,
            "context": {},
        }
        for i, (who, when) in enumerate(
            [("early", ts("2024-01-01", 20)), ("noon", ts("2024-01-02", 12))]
        )
    ]
    warehouse.load("events", events)
    body = funnel_report(warehouse=warehouse, scope=_scope("2024-01-02", "2024-01-02", timezone))
    assert body["total"]["steps"][0]["visitors"] == viewers
