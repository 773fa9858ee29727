"""The cohort rollup answers exactly what the report computed from the orders answers."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tests.analytics.fixtures import order, rate
from tradewinds.analytics import cohort_rollup
from tradewinds.analytics.cohorts import _used, cohort_sql, month_number
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.service import cohort_report


def _shop(warehouse, seed: int, n: int = 400) -> None:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        day = date(2023, 9, 1) + timedelta(days=rnd.randrange(0, 240))
        rows.append(
            order(
                f"{seed}-{i}",
                rnd.choice([f"c{rnd.randrange(60)}", None]),
                day.isoformat(),
                str(rnd.choice([-3, 0, 5, 12, 40])),
                rnd.choice(["GBP", "EUR", "USD"]),
                hour=rnd.randrange(24),
            )
        )
    warehouse.load("orders", rows)
    warehouse.load(
        "fx_rates",
        [
            rate((date(2023, 8, 25) + timedelta(days=d)).isoformat(), quote, str(value + d / 1000))
            for d in range(260)
            for quote, value in (("GBP", 0.86), ("USD", 1.07))
        ],
    )


def _cells(warehouse, sql: str, params: dict) -> list[tuple]:
    return [
        (int(c), int(k), int(a), None if r is None else round(float(r), 6))
        for c, k, a, r in warehouse.query(sql, _used(sql, params)).rows
    ]


@pytest.mark.parametrize(
    ("seed", "timezone"), [(1, "UTC"), (2, "UTC"), (3, "Asia/Tokyo"), (4, "America/New_York")]
)
def test_rollup_equals_the_orders(duckdb_warehouse, seed: int, timezone: str) -> None:
    wh = duckdb_warehouse
    _shop(wh, seed)
    assert cohort_rollup.ensure(wh, timezone)
    rnd = random.Random(seed)
    for _ in range(6):
        start = date(2023, 8, 1) + timedelta(days=rnd.randrange(0, 150))
        end = start + timedelta(days=rnd.randrange(0, 200))  # mid-month ends included
        for currency in ("GBP", "USD", "EUR"):
            scope = make_scope(
                start=start.replace(day=1), end=end, default_end=end, timezone=timezone
            )
            live = _cells(wh, *cohort_sql(scope, currency=currency, masks=False))
            rolled = _cells(
                wh,
                *cohort_rollup.cohort_sql(
                    start_month=month_number(scope.start),
                    end_day=end + timedelta(days=1),
                    currency=currency,
                ),
            )
            assert rolled == live, (start, end, currency)


def test_rollup_follows_changes_to_the_orders(duckdb_warehouse) -> None:
    """Whoever changes the orders (an import, a raw statement), the next report sees it."""
    wh = duckdb_warehouse
    wh.load("orders", [order("1", "a", "2024-01-05", "10"), order("2", "b", "2024-01-09", "5")])
    scope = make_scope(start=date(2024, 1, 1), end=date(2024, 2, 29), default_end=date(2024, 2, 29))

    def first_cohort() -> tuple[int, list[int], list[float]]:
        jan = cohort_report(warehouse=wh, scope=scope, currency="GBP")["cohorts"][0]
        return jan["customers"], jan["retained"], jan["ltv"]

    assert first_cohort() == (2, [2, 0], [7.5, 7.5])
    wh.load("orders", [order("3", "a", "2024-02-02", "20")])
    assert first_cohort() == (2, [2, 1], [7.5, 17.5])
    wh.execute("UPDATE orders SET customer_id = 'a' WHERE order_id = '2'")
    assert first_cohort() == (1, [1, 1], [15.0, 35.0])


def test_filtered_reports_read_the_orders(duckdb_warehouse) -> None:
    """A country filter changes which order is a customer's first: no rollup for it."""
    wh = duckdb_warehouse
    wh.load(
        "orders",
        [
            order("1", "a", "2024-01-05", "10", country="GB"),
            order("2", "a", "2024-02-05", "20", country="FR"),
        ],
    )
    scope = make_scope(
        start=date(2024, 1, 1),
        end=date(2024, 2, 29),
        default_end=date(2024, 2, 29),
        filters={"country": "France"},
    )
    body = cohort_report(warehouse=wh, scope=scope, currency="GBP")
    assert [(c["month"], c["customers"]) for c in body["cohorts"]] == [("2024-02", 1)]
