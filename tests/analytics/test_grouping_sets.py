"""Several groupings from one query per side equal one report per grouping."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from tests.analytics.fixtures import order, rate, spend
from tradewinds.analytics import order_rollup, touch_rollup, visit_rollup
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.service import metrics_report, metrics_reports, with_previous

TILES = (
    "revenue",
    "net_revenue",
    "product_revenue",
    "spend",
    "roas",
    "cac",
    "orders",
    "aov",
    "new_customers",
    "returning_customers",
    "conversion_rate",
    "ctr",
    "visitors",
)
WANTED = {
    "channels": (
        ("channel",),
        ("spend", "clicks", "revenue", "roas", "orders", "new_customers", "cac"),
    ),
    "totals": ((), TILES),
    "trend": (("day",), ("revenue", "spend", "orders")),
    "countries": (("country",), ("revenue", "orders", "aov", "spend", "roas")),
}


def _shop(warehouse, seed: int) -> None:
    rnd = random.Random(seed)
    orders, ads, touches, events = [], [], [], []
    for i in range(240):
        day = date(2024, 3, 1) + timedelta(days=rnd.randrange(60))
        row = order(
            f"o{i}",
            rnd.choice([None, *(f"c{k}" for k in range(30))]),
            day.isoformat(),
            str(rnd.choice([-5, 0, 12, 30, 75])),
            rnd.choice(["GBP", "EUR", "USD"]),
            hour=rnd.randrange(24),
            country=rnd.choice(["GB", "FR", "", "DE"]),
        )
        row["source"] = rnd.choice(["events", "test"])
        orders.append(row)
    for _ in range(120):
        day = date(2024, 3, 1) + timedelta(days=rnd.randrange(60))
        ads.append(
            spend(
                day.isoformat(),
                rnd.choice(["google", "meta"]),
                str(rnd.randrange(1, 90)),
                rnd.choice(["GBP", "USD"]),
                country=rnd.choice(["GB", "FR", ""]),
                clicks=rnd.randrange(50),
            )
        )
    for i in range(300):
        touches.append(
            {
                "touchpoint_id": f"t{i}",
                "customer_id": f"c{rnd.randrange(30)}",
                "occurred_at": datetime(2024, 2, 20, tzinfo=UTC)
                + timedelta(minutes=rnd.randrange(70 * 1440)),
                "source": rnd.choice(["google", "facebook"]),
                "medium": "cpc",
            }
        )
    for i in range(400):
        at = datetime(2024, 3, 1, tzinfo=UTC) + timedelta(minutes=rnd.randrange(60 * 1440))
        events.append(
            {
                "message_id": f"e{i}",
                "type": "track",
                "event": rnd.choice(["Product Viewed", "Order Completed"]),
                "anonymous_id": f"v{rnd.randrange(90)}",
                "timestamp": at,
                "properties": "{}",
                "context": json.dumps({"sessionId": f"s{i // 3}"}),
            }
        )
    day = date(2024, 2, 20)
    fx = []
    while day <= date(2024, 5, 5):
        fx += [rate(day.isoformat(), "GBP", "0.86"), rate(day.isoformat(), "USD", "1.09")]
        day += timedelta(days=1)
    for table, rows in (
        ("orders", orders),
        ("ad_spend_daily", ads),
        ("touchpoints", touches),
        ("events", events),
        ("fx_rates", fx),
    ):
        warehouse.load(table, rows)


def test_grouped_queries_give_each_report(warehouse) -> None:
    """Tiles, channels, days and countries on both warehouses: every row and figure of
    each report is the one ``metrics_report`` gives."""
    _shop(warehouse, 7)
    _same_reports(warehouse)


def test_the_same_from_the_rollups(duckdb_warehouse) -> None:
    _shop(duckdb_warehouse, 9)
    assert order_rollup.ensure(duckdb_warehouse) and touch_rollup.ensure(duckdb_warehouse)
    assert visit_rollup.ensure(duckdb_warehouse)
    _same_reports(duckdb_warehouse)


def _same_reports(warehouse) -> None:
    scope = make_scope(
        start=date(2024, 3, 10),
        end=date(2024, 4, 8),
        default_end=date(2024, 4, 8),
        timezone="Europe/London",
    )
    together = metrics_reports(warehouse=warehouse, currency="GBP", scope=scope, wanted=WANTED)
    for name, (groups, metrics) in WANTED.items():
        alone = metrics_report(
            warehouse=warehouse,
            currency="GBP",
            scope=replace(scope, group_by=groups),
            metrics=metrics,
        )
        assert together[name].rows == alone.rows, name
        assert together[name].unconverted_rows == alone.unconverted_rows, name
        assert together[name].coverage == alone.coverage, name
        assert len(alone.rows) > (1 if groups else 0), name


def test_the_tiles_compared_as_compare_gives_them(warehouse) -> None:
    _shop(warehouse, 8)
    scope = make_scope(start=date(2024, 4, 1), end=date(2024, 4, 20), default_end=date(2024, 4, 20))
    for kind, before in (("previous", scope.previous()), ("year", scope.year_before())):
        direct = metrics_report(
            warehouse=warehouse, currency="GBP", scope=scope, metrics=TILES, compare=kind
        )
        previous = metrics_report(warehouse=warehouse, currency="GBP", scope=before, metrics=TILES)
        together = metrics_reports(
            warehouse=warehouse, currency="GBP", scope=scope, wanted={"totals": ((), TILES)}
        )["totals"]
        composed = with_previous(together, previous, kind)
        assert composed.rows == direct.rows
        assert composed.previous == direct.previous
        assert composed.unconverted_rows == direct.unconverted_rows


def test_groupings_without_distinct_counts_are_queried_apart() -> None:
    """Counting distinct customers per grouping set is the costly part of a grouped query:
    the groupings that show no customer count go in a query of their own."""
    from tradewinds.analytics.calculations import ORDER_METRICS, SPEND_METRICS
    from tradewinds.analytics.kpis import _query_sets

    wanted = {
        (): ("revenue", "orders", "new_customers", "cac", "spend"),
        ("channel",): ("spend", "orders", "cac"),
        ("day",): ("revenue", "orders", "spend"),
        ("country",): ("revenue", "orders"),
    }
    assert _query_sets(wanted, ORDER_METRICS) == [((), ("channel",)), (("day",), ("country",))]
    assert _query_sets(wanted, SPEND_METRICS) == [((), ("channel",), ("day",))]
