"""What analytics does when a workspace's warehouse rows change: bring its rollups up to date.

The load pipeline (``ingest/pipeline.py``) announces every committed change; this package
follows, in the thread that did the load (already a background job), so the next person
to open the report does not wait for it:

* the cohort report's rollup (``cohort_rollup.py``) after orders change;
* the funnel's visit and session-start rollups (``visit_rollup.py``) after events change;
* each order's last touch (``touch_rollup.py``) after orders or touchpoints change;
* the orders' own rollup (``order_rollup.py``) after orders, their lines, customers or
  touchpoints change.

Each rollup checks for itself whether its inputs moved, so a change that does not affect
it costs a fingerprint query. A problem is logged, never raised: the page that needs the
figure rebuilds it when it is opened.
"""

from __future__ import annotations

from sqlalchemy import select

from tradewinds.hooks import RowsChanged, hookimpl

#: the tables each rollup is computed from
COHORT_INPUTS = frozenset({"orders"})
VISIT_INPUTS = frozenset({"events"})
TOUCH_INPUTS = frozenset({"orders", "touchpoints"})
ORDER_INPUTS = frozenset({"orders", "order_lines", "customers", "touchpoints"})  # its TABLES


def _timezone(workspace_key: str) -> str | None:
    """The workspace's time zone (cohorts are months there), None for an unknown workspace."""
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        return session.scalar(select(Workspace.timezone).where(Workspace.key == workspace_key))


@hookimpl
def tradewinds_rows_changed(change: RowsChanged) -> None:
    inputs = COHORT_INPUTS | VISIT_INPUTS | TOUCH_INPUTS | ORDER_INPUTS
    if not change.workspace or change.table not in inputs:
        return
    timezone = _timezone(change.workspace)
    if timezone is None:
        return
    if change.table in COHORT_INPUTS:
        from tradewinds.analytics.cohort_rollup import warm

        warm(change.workspace, timezone)
    if change.table in VISIT_INPUTS:
        from tradewinds.analytics.visit_rollup import warm as warm_visits

        warm_visits(change.workspace)
    if change.table in TOUCH_INPUTS:
        from tradewinds.analytics.touch_rollup import warm as warm_touches

        warm_touches(change.workspace)
    if change.table in ORDER_INPUTS:
        from tradewinds.analytics.order_rollup import warm as warm_orders

        warm_orders(change.workspace)
