"""Loading journeys runs the same on every warehouse backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tradewinds.attribution import demo
from tradewinds.attribution.service import attribute_workspace, workspace_paths

END = date(2024, 6, 30)


def test_attribute_workspace_on_each_backend(warehouse) -> None:  # noqa: F811
    rows = demo.journey_rows(customers=120, end=END, days=45, currency="GBP", seed=3)
    for table in ("identities", "touchpoints", "orders", "ad_spend_daily"):
        warehouse.load(table, rows[table])
    start = END - timedelta(days=20)
    reports, paths = attribute_workspace(
        warehouse=warehouse,
        currency="GBP",
        date_from=start,
        date_to=END,
        models=["last", "markov"],
    )
    in_range = [o for o in rows["orders"] if start <= o["ordered_at"].date() <= END]
    spend = sum(float(s["spend"]) for s in rows["ad_spend_daily"] if start <= s["date"] <= END)
    for report in reports:
        assert report.error is None
        assert report.total_conversions == len(in_range) > 0
        assert report.total_value == pytest.approx(sum(float(o["total"]) for o in in_range))
        assert report.total_spend == pytest.approx(spend)
        assert sum(r.conversions for r in report.rows) == pytest.approx(len(in_range))
    # the first touch of each journey was anonymous: stitching puts it in the customer's
    # path; without the identities it would stand alone as a journey that never converted
    unstitched = workspace_paths(
        data=replace(paths.data, identities={}), date_from=start, date_to=END
    )
    assert unstitched.table.nulls.sum() > paths.table.nulls.sum()


def test_amount_without_a_rate_is_left_out_and_counted(warehouse) -> None:
    """Never converted at 1: a USD order with no USD rate adds a conversion, not revenue."""
    from tests.analytics.fixtures import order
    from tradewinds.attribution.fetch import load_journeys

    warehouse.load(
        "orders",
        [order("gbp", "a", "2024-06-10", "40"), order("usd", "b", "2024-06-11", "70", "USD")],
    )
    data = load_journeys(
        warehouse=warehouse,
        date_from=date(2024, 6, 1),
        date_to=date(2024, 6, 30),
        lookback=timedelta(days=30),
        currency="GBP",
    )
    values = dict(zip(data.conversions["order_id"], data.conversions["value"], strict=True))
    assert values == {"gbp": 40.0, "usd": 0.0} and data.missing_rates == 1


@pytest.mark.parametrize(
    ("timezone", "conversions"), [("UTC", 1), ("Asia/Tokyo", 0), ("America/New_York", 1)]
)
def test_the_range_is_in_the_workspace_days(warehouse, timezone: str, conversions: int) -> None:
    """An order at 23:30 UTC on 30 June is on 1 July in Tokyo: outside a June report."""
    from datetime import datetime

    from tests.analytics.fixtures import order

    warehouse.load("orders", [order("late", "a", "2024-06-30", "40")])
    warehouse.execute("UPDATE orders SET ordered_at = $t", {"t": datetime(2024, 6, 30, 23, 30)})
    warehouse.load(
        "touchpoints",
        [
            {
                "touchpoint_id": "t1",
                "customer_id": "a",
                "occurred_at": datetime(2024, 6, 29, 9),
                "source": "google",
                "medium": "cpc",
            }
        ],
    )
    reports, _ = attribute_workspace(
        warehouse=warehouse,
        currency="GBP",
        date_from=date(2024, 6, 1),
        date_to=date(2024, 6, 30),
        models=["last"],
        timezone=timezone,
    )
    assert reports[0].total_conversions == conversions
