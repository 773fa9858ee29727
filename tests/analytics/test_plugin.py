"""The rollups follow the pipeline's "rows changed" events for the tables they read."""

from __future__ import annotations

from tests.analytics.fixtures import order
from tradewinds.analytics import cohort_rollup, touch_rollup, visit_rollup
from tradewinds.hooks import RowsChanged, emit_rows_changed
from tradewinds.warehouse import open_warehouse

VIEW = {
    "message_id": "m1",
    "type": "track",
    "event": "Product Viewed",
    "anonymous_id": "v1",
    "timestamp": "2024-01-10T10:00:00Z",
}


def _changed(key: str, table: str) -> None:
    emit_rows_changed([RowsChanged(workspace=key, table=table, rows=1, origin="events")])


def test_rollups_follow_the_tables_they_are_built_from(tenants) -> None:
    key = tenants.a.workspace_key
    with open_warehouse(key) as wh:
        wh.load(
            "orders", [order("o1", "c1", "2024-01-10", "10"), order("o2", "c1", "2024-02-10", "12")]
        )
        wh.load("events", [VIEW])
        if not cohort_rollup.supported(wh):  # the rollups live in the embedded warehouse
            return
    _changed(key, "events")
    with open_warehouse(key) as wh:
        assert visit_rollup.fresh(wh)
        assert cohort_rollup._stored(wh) is None  # events do not feed the cohort report
        assert not touch_rollup.fresh(wh)
    _changed(key, "orders")
    with open_warehouse(key) as wh:
        assert cohort_rollup._stored(wh) == cohort_rollup._version(wh, "Europe/London")
        assert touch_rollup.fresh(wh)
        wh.load("events", [{**VIEW, "message_id": "m2"}])
        assert not visit_rollup.fresh(wh)
    _changed(key, "touchpoints")
    with open_warehouse(key) as wh:
        assert not visit_rollup.fresh(wh)  # touchpoints are not what the funnel counts
    _changed(key, "events")
    with open_warehouse(key) as wh:
        assert visit_rollup.fresh(wh)


def test_an_unknown_workspace_is_left_alone(tw_home) -> None:
    from tradewinds.db.migrate import upgrade

    upgrade()
    _changed("no-such-workspace", "orders")  # logged nothing, built nothing
    assert not (tw_home / "warehouse" / "no-such-workspace.duckdb").exists()
