"""The rows behind each figure add up to the figure, on every warehouse backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.drill_shop import drill_rows
from tradewinds.analytics import drill
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.service import metrics_report
from tradewinds.errors import InvalidInput, NotFound


def _scope(**filters: str):
    return make_scope(
        start=date(2025, 3, 1),
        end=date(2025, 3, 10),
        default_end=date(2025, 3, 10),
        filters=filters,
        timezone="Europe/London",
    )


def _total(wh, scope, *metrics: str) -> dict:
    return metrics_report(warehouse=wh, currency="GBP", scope=scope, metrics=metrics).total


def test_each_list_adds_up_to_its_figure(warehouse) -> None:
    for table, rows in drill_rows().items():
        warehouse.load(table, rows)
    google = _scope(channel="google")
    report = drill.campaigns(
        warehouse=warehouse, scope=google, currency="GBP", metrics=("spend", "orders", "revenue")
    )
    by = {r["campaign"]: r for r in report.rows}
    assert by["Brand search"] == {"campaign": "Brand search", "spend": 100.0, "orders": 2,
                                  "revenue": 200.0}  # fmt: skip
    assert sum(r["spend"] or 0 for r in report.rows) == _total(warehouse, google, "spend")["spend"]

    brand = _scope(channel="google", campaign="Brand search")
    found = drill.orders(warehouse=warehouse, scope=brand, currency="GBP")
    assert [r["order"] for r in found.rows] == ["o2", "o1"]  # newest first
    assert found.sums["revenue"] == 200.0 == _total(warehouse, brand, "revenue")["revenue"]
    assert (
        found.rows[1] | {"country": "France", "customer": "ann", "day": "2025-03-05"}
        == (found.rows[1])
    )
    ads = drill.ad_breakdown(
        warehouse=warehouse, scope=brand, currency="GBP", channel="google", campaign="Brand search"
    )
    assert [(a.ad_group, a.ad, a.spend) for a in ads] == [
        ("Brand – exact", "Text ad A", 70.0),
        ("Brand – broad", "", 30.0),
    ]
    shopping = drill.ad_breakdown(
        warehouse=warehouse, scope=brand, currency="GBP", channel="google", campaign="Shopping"
    )
    assert shopping == []  # no ad group in its rows: nothing further down

    whole = _scope()
    totals = _total(warehouse, whole, "orders", "revenue", "spend", "new_customers")
    every = drill.orders(warehouse=warehouse, scope=whole, currency="GBP")
    assert every.total_rows == totals["orders"] == 4 and every.sums["revenue"] == 255.0
    france = drill.orders(warehouse=warehouse, scope=_scope(country="France"), currency="GBP")
    assert sorted(r["order"] for r in france.rows) == ["o1", "o3"]
    spend = drill.spend_rows(warehouse=warehouse, scope=whole, currency="GBP")
    assert spend.sums["spend"] == totals["spend"] == 170.0 and spend.total_rows == 4
    new = drill.customers(warehouse=warehouse, scope=whole, currency="GBP")
    assert sorted(r["customer"] for r in new.rows) == ["ann", "cat"]
    assert new.total_rows == totals["new_customers"]
    back = drill.customers(
        warehouse=warehouse, scope=whole, currency="GBP", which="returning_customers"
    )
    assert [r["customer"] for r in back.rows] == ["ben"]

    cohort = drill.cohort_customers(
        warehouse=warehouse, scope=whole, currency="GBP", month=date(2025, 2, 1), months_since=1
    )
    assert cohort.rows == [{"customer": "ben", "orders": 1, "revenue": 80.0}]
    march = drill.cohort_customers(
        warehouse=warehouse, scope=whole, currency="GBP", month=date(2025, 3, 1), months_since=0
    )
    assert [r["customer"] for r in march.rows] == ["ann", "cat"]

    one = drill.order_detail(warehouse=warehouse, order_id="o1")
    assert one.customer_id == "ann" and one.country == "France" and one.total == 120.0
    assert [(line["title"], line["amount"]) for line in one.lines] == [
        ("Silk scarf", 100.0),
        ("Postage", 20.0),
    ]
    assert [t["last"] for t in one.touches] == [False, True]  # the later touch is credited
    assert one.touches[1]["channel"] == "google"
    with pytest.raises(NotFound):
        drill.order_detail(warehouse=warehouse, order_id="missing")
    with pytest.raises(InvalidInput, match="page must be between 1 and 1"):
        drill.orders(warehouse=warehouse, scope=replace(whole), currency="GBP", page=2)


def test_a_month_is_read_as_written() -> None:
    assert drill.parse_month("2011-02") == date(2011, 2, 1)
    with pytest.raises(InvalidInput, match="month: 'Feb' is not a month"):
        drill.parse_month("Feb")
