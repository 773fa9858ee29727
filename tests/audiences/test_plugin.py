"""Saved segments are recounted when the pipeline announces changed orders or customers."""

from __future__ import annotations

from tests.analytics.fixtures import order
from tradewinds.hooks import RowsChanged, emit_rows_changed
from tradewinds.warehouse import open_warehouse


def _orders(n: int, start: int = 0) -> list[dict]:
    return [
        order(f"o{i}", f"c{i % 7}", f"2024-0{1 + i % 6}-{10 + i % 15}", str(10 + i))
        for i in range(start, start + n)
    ]


def _history(key: str) -> list:
    from tradewinds.audiences import saved_segments
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.db.engine import session_scope

    with session_scope() as session:
        ws = resolve_workspace(session, key)
        return saved_segments.list_segments(session=session, workspace=ws)[0].history


def _changed(key: str, table: str) -> None:
    emit_rows_changed([RowsChanged(workspace=key, table=table, rows=1, origin="file")])


def test_segments_follow_orders_and_customers_and_nothing_else(tenants) -> None:
    from tradewinds.audiences import saved_segments
    from tradewinds.audiences.plugin import recount
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.db.engine import session_scope

    key = tenants.a.workspace_key
    with open_warehouse(key) as wh:
        wh.load("orders", _orders(40))
    with session_scope() as session:
        ws = resolve_workspace(session, key)
        saved_segments.save_segment(
            session=session, workspace=ws, name="Repeat", rule="orders >= 2", actor="test"
        )
    _changed(key, "ad_spend_daily")
    assert _history(key) == []  # spend does not decide who is in a segment
    _changed(key, "orders")
    assert len(_history(key)) == 1
    _changed(key, "customers")
    assert len(_history(key)) == 1  # announced, but the figures did not move: no new point
    with open_warehouse(key) as wh:
        wh.load("orders", _orders(5, start=40))
    _changed(key, "orders")
    assert len(_history(key)) == 2
    assert recount("no-such-workspace") == 0
