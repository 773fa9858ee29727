"""Answers kept while their tables are unchanged are recomputed after any write."""

from __future__ import annotations

from tests.analytics.fixtures import order
from tradewinds.analytics.service import data_bounds
from tradewinds.analytics.versioned import cached


def test_an_answer_is_recomputed_after_each_write(warehouse) -> None:
    calls = []

    def bounds():
        calls.append(1)
        return data_bounds(warehouse=warehouse)

    def kept():
        return cached(warehouse, ("orders", "ad_spend_daily"), "bounds", bounds)

    warehouse.load("orders", [order("1", "a", "2024-01-05", "10")])
    assert [d.isoformat() for d in kept()] == ["2024-01-05", "2024-01-05"]
    assert [d.isoformat() for d in kept()] == ["2024-01-05", "2024-01-05"]
    counted = warehouse.dialect == "duckdb"
    assert len(calls) == (1 if counted else 2)  # PostgreSQL does not count writes
    warehouse.load("orders", [order("2", "b", "2024-02-09", "5")])
    assert [d.isoformat() for d in kept()][1] == "2024-02-09"
    warehouse.execute("DELETE FROM orders WHERE order_id = '2'")
    assert [d.isoformat() for d in kept()][1] == "2024-01-05"
    warehouse.execute("UPDATE orders SET ordered_at = ordered_at + INTERVAL 3 DAY")
    assert [d.isoformat() for d in kept()] == ["2024-01-08", "2024-01-08"]
    assert len(calls) == (4 if counted else 5)
