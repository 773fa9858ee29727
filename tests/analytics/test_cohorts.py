from __future__ import annotations

from datetime import date

import pytest

from tests.analytics.fixtures import order, spend
from tradewinds.analytics.cohorts import build_cohorts, month_number
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.service import cohort_report


def test_build_cohorts_by_hand() -> None:
    jan, feb, mar = (month_number(date(2024, m, 1)) for m in (1, 2, 3))
    cells = [(jan, 0, 4, 100.0), (jan, 2, 1, 60.0), (feb, 0, 2, 50.0), (feb, 1, 2, 30.0)]
    found = build_cohorts(cells, {jan: 120.0, feb: 10.0}, last_month=mar)
    first, second = found
    assert first.month == "2024-01" and first.customers == 4
    assert first.retained == [4, 0, 1]  # month 1: nobody came back (a gap counts as 0)
    assert first.retention == [1.0, 0.0, 0.25]
    assert first.ltv == [25.0, 25.0, 40.0]
    assert first.cac == 30.0 and first.payback_month == 2  # 40 >= 30 in month 2
    assert second.retained == [2, 2] and second.cac == 5.0 and second.payback_month == 0


def test_cohorts_from_the_warehouse(warehouse) -> None:
    warehouse.load(
        "orders",
        [
            order("1", "a", "2024-01-05", "10"),
            order("2", "a", "2024-02-05", "20"),
            order("3", "b", "2024-01-20", "5"),
            order("4", "c", "2024-02-01", "7"),
            order("5", "c", "2024-02-10", "-7"),  # a refund document is not an order
            order("6", None, "2024-01-07", "99"),  # nor is a guest an acquired customer
        ],
    )
    warehouse.load("ad_spend_daily", [spend("2024-01-02", "meta", "24", "GBP")])
    scope = make_scope(start=date(2024, 1, 1), end=date(2024, 2, 29), default_end=date(2024, 2, 29))
    body = cohort_report(warehouse=warehouse, scope=scope, currency="GBP")
    jan, feb = body["cohorts"]
    assert (jan["month"], jan["customers"], jan["retained"]) == ("2024-01", 2, [2, 1])
    assert jan["ltv"] == [7.5, 17.5]
    assert jan["cac"] == 12.0 and jan["payback_month"] == 1
    assert (feb["customers"], feb["retained"], feb["cac"]) == (1, [1], None)
    assert body["currency"] == "GBP"


@pytest.mark.parametrize("last", [0, 5])
def test_cohort_rows_span_to_the_end_of_data(last: int) -> None:
    start = month_number(date(2024, 1, 1))
    found = build_cohorts([(start, 0, 1, 1.0)], {}, last_month=start + last)
    assert len(found[0].retained) == last + 1 and found[0].payback_month is None


@pytest.mark.parametrize("seed", [1, 2])
def test_active_month_bits_count_like_distinct(duckdb_warehouse, seed: int) -> None:
    """The one-pass count of active customers per cell (DuckDB SQL) agrees with
    COUNT(DISTINCT), which PostgreSQL runs."""
    import random

    from tradewinds.analytics.cohorts import _used, cohort_sql

    warehouse = duckdb_warehouse
    rnd = random.Random(seed)
    rows = []
    for i in range(300):
        day = date(2023, 10, 1).toordinal() + rnd.randrange(0, 200)  # before, in and after
        rows.append(
            order(
                str(i),
                f"c{rnd.randrange(40)}",
                date.fromordinal(day).isoformat(),
                str(rnd.choice([-3, 5, 12, 40])),
                rnd.choice(["GBP", "EUR", "USD"]),
                country=rnd.choice(["GB", "FR"]),
                hour=rnd.randrange(24),
            )
        )
    warehouse.load("orders", rows)
    for filters in ({}, {"country": "France"}):
        scope = make_scope(
            start=date(2023, 12, 10),
            end=date(2024, 3, 20),
            default_end=date(2024, 3, 20),
            filters=filters,
        )
        cells = {}
        for masks in (True, False):
            sql, params = cohort_sql(scope, currency="GBP", masks=masks)
            cells[masks] = [
                (int(c), int(k), int(a), None if r is None else round(float(r), 6))
                for c, k, a, r in warehouse.query(sql, _used(sql, params)).rows
            ]
        assert cells[True] == cells[False] and cells[True]
