"""Each order's last touch from the touch rollup equals the one joined from the tables."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.analytics.fixtures import order
from tradewinds.analytics import touch_rollup
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.kpis import orders_sql
from tradewinds.analytics.service import metrics_report

SOURCES = (
    ("google", "cpc"),
    ("facebook", "paid_social"),
    ("tiktok", "cpc"),
    ("newsletter", "email"),
)


def _shop(seed: int, n: int = 300, first: int = 0) -> tuple[list[dict], list[dict]]:
    rnd = random.Random(seed)
    orders, touches = [], []
    for i in range(first, first + n):
        day = date(2024, 2, 1) + timedelta(days=rnd.randrange(90))
        row = order(
            f"{seed}-{i}",
            f"c{rnd.randrange(30)}",
            day.isoformat(),
            str(rnd.choice([-4, 0, 9, 25])),
            rnd.choice(["GBP", "EUR"]),
            hour=rnd.randrange(24),
            country=rnd.choice(["GB", "FR"]),
        )
        orders.append(row)
    for i in range(first, first + 2 * n):
        at = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=rnd.randrange(130 * 1440))
        for j in range(rnd.choice([1, 1, 2])):  # two touches at the same instant: ties
            source, medium = rnd.choice(SOURCES)
            touches.append(
                {
                    "touchpoint_id": f"{seed}-t{i}-{j}",
                    "customer_id": f"c{rnd.randrange(30)}",
                    "occurred_at": at,
                    "source": source,
                    "medium": medium,
                    "campaign": rnd.choice(["spring", "summer"]),
                    "device": rnd.choice(["mobile", "desktop"]),
                }
            )
    return orders, touches


def _rows(warehouse, sql: str, params: dict) -> list[tuple]:
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    return sorted(
        tuple(round(v, 6) if isinstance(v, float) else str(v) for v in r)
        for r in warehouse.query(sql, used).rows
    )


@pytest.mark.parametrize(
    ("seed", "timezone"), [(1, "UTC"), (2, "Europe/London"), (3, "America/New_York")]
)
def test_rollup_equals_the_join(duckdb_warehouse, seed: int, timezone: str) -> None:
    """By channel, campaign and device, filtered by channel, for ranges across a change of
    clocks: the same orders, revenue and customers per group either way."""
    wh = duckdb_warehouse
    orders, touches = _shop(seed)
    wh.load("orders", orders)
    wh.load("touchpoints", touches)
    assert touch_rollup.ensure(wh) and touch_rollup.fresh(wh)
    rnd = random.Random(seed)
    for _ in range(5):
        start = date(2024, 2, 1) + timedelta(days=rnd.randrange(80))
        end = start + timedelta(days=rnd.randrange(40))
        scope = make_scope(start=start, end=end, default_end=end, timezone=timezone)
        for group_by, filters in (
            (("channel",), {}),
            (("campaign", "device"), {}),
            ((), {"channel": ("google", "meta")}),
            (("country",), {"device": ("mobile",)}),
        ):
            s = replace(scope, group_by=group_by, filters=filters)
            live = _rows(wh, *orders_sql(s, currency="GBP"))
            rolled = _rows(wh, *orders_sql(s, currency="GBP", touch_rollup=True))
            assert rolled == live, (start, end, group_by, filters)


def test_reports_by_channel_stay_exact_after_an_import(warehouse) -> None:
    """On both warehouses: orders per channel by hand; a stale rollup is not read."""
    wh = warehouse
    wh.load(
        "orders",
        [
            order("1", "a", "2024-03-10", "10"),
            order("2", "b", "2024-03-11", "20"),
            order("3", "c", "2024-03-12", "30"),
        ],
    )

    def touch(tid: str, who: str, day: str, source: str, medium: str = "cpc") -> dict:
        return {
            "touchpoint_id": tid,
            "customer_id": who,
            "source": source,
            "medium": medium,
            "occurred_at": datetime.fromisoformat(f"{day}T09:00:00+00:00"),
        }

    wh.load(
        "touchpoints",
        [
            touch("t1", "a", "2024-03-01", "google"),
            touch("t2", "a", "2024-03-09", "facebook", "paid_social"),
            touch("t3", "b", "2024-01-01", "google"),
        ],
    )  # too old: no touch
    touch_rollup.ensure(wh)
    scope = make_scope(
        start=date(2024, 3, 1),
        end=date(2024, 3, 31),
        default_end=date(2024, 3, 31),
        group_by="channel",
    )

    def by_channel() -> dict[str, int]:
        report = metrics_report(warehouse=wh, currency="GBP", scope=scope, metrics=("orders",))
        return {r["channel"]: r["orders"] for r in report.rows}

    assert touch_rollup.fresh(wh) is (wh.dialect == "duckdb")
    assert by_channel() == {"meta": 1, "(no ad touch)": 2}
    wh.load("touchpoints", [touch("t4", "c", "2024-03-12", "google")])
    assert not touch_rollup.fresh(wh)
    assert by_channel() == {"meta": 1, "google": 1, "(no ad touch)": 1}
    touch_rollup.ensure(wh)
    assert by_channel() == {"meta": 1, "google": 1, "(no ad touch)": 1}
    wh.load("orders", [order("4", "b", "2024-03-20", "5")])  # b's touch is too old still
    assert not touch_rollup.fresh(wh)
    touch_rollup.ensure(wh)
    assert by_channel() == {"meta": 1, "google": 1, "(no ad touch)": 2}


def test_a_touch_30_days_before_across_a_change_of_clocks_counts(warehouse) -> None:
    """London, from 15 April (summer time): an order at 00:30 local on the 15th and a touch
    29 days 23¾ hours before it, before midnight of 16 March (winter time) — it counts."""
    warehouse.load(
        "orders",
        [
            {
                **order("1", "a", "2024-04-14", "10"),
                "ordered_at": datetime(2024, 4, 14, 23, 30, tzinfo=UTC),
            }
        ],
    )
    warehouse.load(
        "touchpoints",
        [
            {
                "touchpoint_id": "t1",
                "customer_id": "a",
                "source": "google",
                "medium": "cpc",
                "occurred_at": datetime(2024, 3, 15, 23, 45, tzinfo=UTC),
            }
        ],
    )
    scope = make_scope(
        start=date(2024, 4, 15),
        end=date(2024, 4, 30),
        default_end=date(2024, 4, 30),
        group_by="channel",
        timezone="Europe/London",
    )
    for rolled in (False, True):
        if rolled and not touch_rollup.ensure(warehouse):
            continue  # PostgreSQL: no rollup
        report = metrics_report(
            warehouse=warehouse, currency="GBP", scope=scope, metrics=("orders",)
        )
        assert [(r["channel"], r["orders"]) for r in report.rows] == [("google", 1)], rolled
