"""Order figures read from the order rollup equal those computed from the tables."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest

from tests.analytics.fixtures import order
from tradewinds.analytics import order_rollup, touch_rollup
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.kpis import orders_sql
from tradewinds.analytics.service import metrics_report

KINDS = (None, "product", "postage", "fee", "discount")
STATUSES = ("paid", "paid", "paid", "Cancelled", "voided", None)


def _shop(seed: int, n: int = 300) -> dict[str, list[dict]]:
    rnd = random.Random(seed)
    orders, lines, touches = [], [], []
    for i in range(n):
        day = date(2024, 2, 1) + timedelta(days=rnd.randrange(90))
        row = order(
            f"{seed}-{i}",
            rnd.choice([None, *(f"c{k}" for k in range(40))]),
            day.isoformat(),
            str(rnd.choice([-4, 0, 9, 25, 60])),
            rnd.choice(["GBP", "EUR"]),
            hour=rnd.randrange(24),
            country=rnd.choice(["GB", "FR"]),
            storefront=rnd.choice(["shopify", "amazon"]),
        )
        row["status"] = rnd.choice(STATUSES)
        row["source"] = rnd.choice(["events", "test"])
        orders.append(row)
        for line_no in range(rnd.randrange(3)):
            lines.append(
                {
                    "order_id": row["order_id"],
                    "line_no": line_no,
                    "quantity": 1,
                    "unit_price": D(rnd.choice(["2.5", "4", "7"])),
                    "currency": "GBP",
                    "line_kind": rnd.choice(KINDS),
                }
            )
    for i in range(2 * n):
        touches.append(
            {
                "touchpoint_id": f"{seed}-t{i}",
                "customer_id": f"c{rnd.randrange(40)}",
                "occurred_at": datetime(2024, 1, 1, tzinfo=UTC)
                + timedelta(minutes=rnd.randrange(130 * 1440)),
                "source": rnd.choice(["google", "facebook", "newsletter"]),
                "medium": "cpc",
                "campaign": "spring",
                "device": rnd.choice(["mobile", "desktop"]),
            }
        )
    # the importers record some customers' first orders, some before any order here
    customers = [
        {
            "customer_id": f"c{k}",
            "first_order_at": datetime(2023, 11, 1, tzinfo=UTC) + timedelta(days=k * 3)
            if k % 3
            else None,
        }
        for k in range(0, 40, 2)
    ]
    return {"orders": orders, "order_lines": lines, "touchpoints": touches, "customers": customers}


def _rows(warehouse, sql: str, params: dict) -> list[tuple]:
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    return sorted(
        tuple(round(float(v), 6) if isinstance(v, float | D) else str(v) for v in r)
        for r in warehouse.query(sql, used).rows
    )


@pytest.mark.parametrize(
    ("seed", "timezone"), [(1, "UTC"), (2, "Europe/London"), (3, "America/New_York")]
)
def test_rollup_equals_the_tables(duckdb_warehouse, seed: int, timezone: str) -> None:
    """Every order figure (orders, revenue, refunds, product revenue, customers, new
    customers, storefront orders), by every kind of group and filter, either way."""
    wh = duckdb_warehouse
    for table, rows in _shop(seed).items():
        wh.load(table, rows)
    assert order_rollup.ensure(wh) and order_rollup.fresh(wh)
    assert touch_rollup.ensure(wh)
    rnd = random.Random(seed)
    for _ in range(5):
        start = date(2024, 2, 1) + timedelta(days=rnd.randrange(80))
        end = start + timedelta(days=rnd.randrange(40))
        scope = make_scope(start=start, end=end, default_end=end, timezone=timezone)
        for group_by, filters in (
            ((), {}),
            (("day",), {}),
            (("country",), {}),
            (("channel",), {}),
            (("storefront",), {"country": ("FR",)}),
            ((), {"channel": ("google",)}),
        ):
            s = replace(scope, group_by=group_by, filters=filters)
            live = _rows(wh, *orders_sql(s, currency="GBP", touch_rollup=True))
            rolled = _rows(wh, *orders_sql(s, currency="GBP", touch_rollup=True, order_rollup=True))
            assert rolled == live, (start, end, group_by, filters)
            assert live, "the shop has orders in every range"


def _tile(wh) -> dict:
    scope = make_scope(start=date(2024, 3, 1), end=date(2024, 3, 31), default_end=date(2024, 3, 31))
    report = metrics_report(
        warehouse=wh,
        currency="GBP",
        scope=scope,
        metrics=("orders", "revenue", "new_customers", "product_revenue"),
    )
    return {k: report.rows[0][k] for k in ("orders", "revenue", "new_customers", "product_revenue")}


def test_a_stale_rollup_is_not_read(warehouse) -> None:
    """On both warehouses: the figures by hand after each change of orders, their lines
    and customers; the rollup is read only while it matches all three (DuckDB)."""
    wh = warehouse
    wh.load(
        "orders",
        [
            order("1", "a", "2024-03-10", "10"),
            order("2", "b", "2024-03-11", "20"),
            {**order("3", "c", "2024-03-12", "30"), "status": "cancelled"},
        ],
    )
    order_rollup.ensure(wh)
    assert order_rollup.fresh(wh) is (wh.dialect == "duckdb")
    assert _tile(wh) == {"orders": 2, "revenue": 30.0, "new_customers": 2, "product_revenue": 30.0}
    wh.load(
        "order_lines",
        [
            {
                "order_id": "2",
                "line_no": 1,
                "quantity": 1,
                "unit_price": D("4"),
                "currency": "GBP",
                "line_kind": "postage",
            }
        ],
    )
    assert not order_rollup.fresh(wh)
    assert _tile(wh)["product_revenue"] == 26.0
    order_rollup.ensure(wh)
    assert _tile(wh)["product_revenue"] == 26.0
    # b bought before (an importer says so): not new in March
    wh.load("customers", [{"customer_id": "b", "first_order_at": datetime(2023, 5, 1, tzinfo=UTC)}])
    assert not order_rollup.fresh(wh)
    assert _tile(wh)["new_customers"] == 1
    order_rollup.ensure(wh)
    assert _tile(wh)["new_customers"] == 1
    # a's earlier order, in February, makes a not new in March either
    wh.load("orders", [order("4", "a", "2024-02-01", "5")])
    assert not order_rollup.fresh(wh)
    assert _tile(wh) == {"orders": 2, "revenue": 30.0, "new_customers": 0, "product_revenue": 26.0}
    order_rollup.ensure(wh)
    assert order_rollup.fresh(wh) is (wh.dialect == "duckdb")
    assert _tile(wh) == {"orders": 2, "revenue": 30.0, "new_customers": 0, "product_revenue": 26.0}


def test_the_plugin_follows_every_table_the_rollup_reads() -> None:
    from tradewinds.analytics import plugin

    assert set(order_rollup.TABLES) == plugin.ORDER_INPUTS
