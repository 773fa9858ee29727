"""After the orders change, the cohort rollup and saved segment counts follow at once."""

from __future__ import annotations

from tests.analytics.fixtures import order
from tradewinds.analytics import cohort_rollup, touch_rollup, visit_rollup
from tradewinds.jobs.refresh import after_orders_changed
from tradewinds.warehouse import open_warehouse


def _orders(n: int, start: int = 0) -> list[dict]:
    return [
        order(f"o{i}", f"c{i % 7}", f"2024-0{1 + i % 6}-{10 + i % 15}", str(10 + i))
        for i in range(start, start + n)
    ]


def test_after_orders_changed(tenants) -> None:
    from tradewinds.audiences import saved_segments
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
    assert after_orders_changed(key) == 1  # counted once
    assert after_orders_changed(key) == 0  # nothing changed: nothing recounted
    with open_warehouse(key) as wh:
        wh.load("orders", _orders(5, start=40))
    assert after_orders_changed(key) == 1
    with session_scope() as session:
        ws = resolve_workspace(session, key)
        assert len(saved_segments.list_segments(session=session, workspace=ws)[0].history) == 2
    with open_warehouse(key) as wh:
        if cohort_rollup.supported(wh):
            assert cohort_rollup._stored(wh) == cohort_rollup._version(wh, "Europe/London")
        wh.load(
            "events",
            [
                {
                    "message_id": "m1",
                    "type": "track",
                    "event": "Product Viewed",
                    "anonymous_id": "v1",
                    "timestamp": "2024-01-10T10:00:00Z",
                }
            ],
        )
        assert not visit_rollup.fresh(wh)
    after_orders_changed(key)
    with open_warehouse(key) as wh:  # the funnel's rollup followed the import too
        assert visit_rollup.fresh(wh) is visit_rollup.supported(wh)
        assert touch_rollup.fresh(wh) is touch_rollup.supported(wh)
    assert after_orders_changed("no-such-workspace") == 0
