"""What audiences does when a workspace's orders or customers change: recount saved segments.

Subscribed to the load pipeline's "rows changed" event (``ingest/pipeline.py``), so an
upload, ``tradewinds import``, a connector sync and the event drain all recount, once per
load, in the thread that did it. Each saved segment's history gains a point only when the
figures its members are chosen by actually changed (``saved_segments.refresh_counts``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

from tradewinds.hooks import RowsChanged, hookimpl

if TYPE_CHECKING:
    from tradewinds.tasks import TaskRegistry

log = logging.getLogger("tradewinds.audiences")

#: the tables segment membership is computed from
SEGMENT_INPUTS = frozenset({"orders", "customers"})


def recount(workspace_key: str) -> int:
    """Recount the workspace's saved segments whose counts predate its data; how many."""
    from tradewinds.audiences.saved_segments import refresh_counts
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.warehouse import open_warehouse

    with session_scope() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.key == workspace_key))
        if workspace is None:
            return 0
        with open_warehouse(workspace_key) as warehouse:
            return refresh_counts(session=session, workspace=workspace, warehouse=warehouse)


@hookimpl
def tradewinds_rows_changed(change: RowsChanged) -> None:
    if change.workspace and change.table in SEGMENT_INPUTS:
        counted = recount(change.workspace)
        if counted:
            log.info(
                "recounted %s saved segment(s) of %s after %s rows of %s changed",
                counted,
                change.workspace,
                change.rows,
                change.table,
            )


@hookimpl
def tradewinds_tasks(tasks: TaskRegistry) -> None:
    from tradewinds.audiences.recommending import TASK, choose_for_workspace

    # the recommender is chosen on the workspace's own history (recommending.py)
    tasks.add(TASK, choose_for_workspace, retries=1, retry_delay=30, unique="{workspace_key}")
