"""What to bring up to date once a workspace's orders have changed.

Imports (uploads and ``tradewinds import``) and the server's event drain call
:func:`after_orders_changed` when they finish, so the next person to look does not wait:

* the cohort report's rollup (``analytics/cohort_rollup.py``), the visit and session-start
  rollups of the funnel, visitor and session counts (``analytics/visit_rollup.py``) and
  each order's last touch (``analytics/touch_rollup.py``) and the orders' own rollup
  (``analytics/order_rollup.py``);
* the member counts of saved segments (``audiences/saved_segments.py``), whose history
  gains a point per change of the data.

Each step checks for itself whether anything changed, so calling this when nothing did
costs a fingerprint query or two. It never fails its caller: a problem is logged, and the
page that needs the figure recomputes it when it is opened.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

log = logging.getLogger("tradewinds.refresh")


def after_orders_changed(workspace_key: str) -> int:
    """Refresh what depends on the orders; returns how many saved segments were recounted."""
    from tradewinds.analytics.cohort_rollup import warm
    from tradewinds.analytics.order_rollup import warm as warm_orders
    from tradewinds.analytics.touch_rollup import warm as warm_touches
    from tradewinds.analytics.visit_rollup import warm as warm_visits
    from tradewinds.audiences.saved_segments import refresh_counts
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.warehouse import open_warehouse

    try:
        with session_scope() as session:
            ws = session.scalar(select(Workspace).where(Workspace.key == workspace_key))
            if ws is None:
                return 0
            timezone = ws.timezone
        warm(workspace_key, timezone)
        warm_visits(workspace_key)
        warm_touches(workspace_key)
        warm_orders(workspace_key)
        with session_scope() as session, open_warehouse(workspace_key) as warehouse:
            ws = session.scalar(select(Workspace).where(Workspace.key == workspace_key))
            return refresh_counts(session=session, workspace=ws, warehouse=warehouse)
    except Exception:
        log.exception("could not refresh the reports of %s after its orders changed",
                      workspace_key)
        return 0
