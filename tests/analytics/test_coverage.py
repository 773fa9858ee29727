"""What data a workspace holds, and when (``analytics/coverage.py``), on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

from tests.analytics.fixtures import order, spend
from tradewinds.analytics import coverage
from tradewinds.analytics.filters import ReportScope


def _period_row(dimension_value: str, amount: str) -> dict:
    return {
        "period_start": date(2025, 5, 18),
        "period_end": date(2025, 8, 15),
        "platform": "google",
        "account_id": "acc",
        "account_name": "Shop",
        "report": "Landing",
        "kind": "row",
        "dimension": "landing_page",
        "dimension_value": dimension_value,
        "campaign_id": "",
        "campaign_name": "",
        "currency": "USD",
        "impressions": 10,
        "clicks": 1,
        "spend": D(amount),
        "conversions": D("0"),
        "conversion_value": D("0"),
        "source": "test",
    }


def _seed(wh) -> None:
    wh.load(
        "orders",
        [
            order("o1", "c1", "2024-05-02", "10"),
            order("o2", "c2", "2024-05-20", "20"),
            order("o3", "c3", "2024-07-01", "30"),
        ],
    )
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time): a July order there
    wh.execute(
        "UPDATE orders SET ordered_at = $t WHERE order_id = 'o3'",
        {"t": datetime(2024, 6, 30, 23, 30)},
    )
    wh.load(
        "ad_spend_daily",
        [
            spend("2024-06-10", "meta", "5", "GBP"),
            spend("2024-06-11", "meta", "5", "GBP", campaign="c2"),
        ],
    )
    wh.load("ad_spend_period", [_period_row("/a", "1"), _period_row("/b", "2")])
    wh.load(
        "touchpoints",
        [
            {
                "touchpoint_id": "t1",
                "customer_id": "c1",
                "occurred_at": datetime(2024, 5, 1, 9),
                "channel": "google",
            }
        ],
    )


def test_rows_per_table_and_month_in_the_workspace_days(warehouse) -> None:
    _seed(warehouse)
    found = {t.table: t for t in coverage.coverage(warehouse=warehouse, timezone="Europe/London")}
    assert list(found) == ["orders", "ad_spend_daily", "ad_spend_period", "touchpoints"]
    orders = found["orders"]
    assert (orders.rows, orders.first, orders.last) == (3, date(2024, 5, 2), date(2024, 7, 1))
    assert [(s.start, s.end, s.rows) for s in orders.spans] == [
        (date(2024, 5, 1), date(2024, 5, 31), 2),
        (date(2024, 7, 1), date(2024, 7, 31), 1),
    ]
    assert orders.latest == (date(2024, 6, 2), date(2024, 7, 1))
    assert found["ad_spend_daily"].latest == (date(2024, 6, 10), date(2024, 6, 11))
    period = found["ad_spend_period"]
    assert [(s.start, s.end, s.rows) for s in period.spans] == [
        (date(2025, 5, 18), date(2025, 8, 15), 2)
    ]
    # the same orders in UTC days: the late one stays in June
    utc = {t.table: t for t in coverage.coverage(warehouse=warehouse, timezone="UTC")}
    assert [s.start.month for s in utc["orders"].spans] == [5, 6]


def test_what_a_period_holds(warehouse) -> None:
    _seed(warehouse)

    def held(start: date, end: date) -> coverage.PeriodContents:
        scope = ReportScope(start=start, end=end, timezone="Europe/London")
        return coverage.in_period(warehouse=warehouse, scope=scope)

    june = held(date(2024, 6, 1), date(2024, 6, 30))
    assert june.tables == {"ad_spend_daily"}  # o3 is a London July order
    assert june.has_spend and not june.has_orders and not june.empty
    assert held(date(2024, 7, 1), date(2024, 7, 1)).tables == {"orders"}
    assert held(date(2025, 8, 15), date(2025, 9, 30)).tables == {"ad_spend_period"}
    nothing = held(date(2013, 1, 1), date(2013, 1, 31))
    assert nothing.empty and not nothing.tables
    may = held(date(2024, 5, 1), date(2024, 5, 31))
    assert may.tables == {"orders", "touchpoints"} and not may.has_spend


def test_an_empty_warehouse_has_no_coverage(warehouse) -> None:
    assert coverage.coverage(warehouse=warehouse, timezone="Asia/Tokyo") == []
