"""The loading work that runs in the background, declared for the task queue.

* ``ingest.import`` — one uploaded import job (``ingest/history.py``);
* ``ingest.drain`` — one workspace's collected events into its warehouse, and
  ``ingest.drain_all`` every ``TRADEWINDS_DRAIN_SECONDS``, which asks for it for every
  workspace with an event log;
* ``ingest.sync`` — one live connector, and ``ingest.sync_all`` every
  ``TRADEWINDS_SYNC_MINUTES``, which asks for it for every connector not revoked.

Each task that writes a warehouse holds ``warehouse:<workspace key>`` while it runs, in
whichever process. Each is safe to run twice: an import skips the files it already
finished, a drain goes on from the event log's cursor, a sync from the connector's. A
drain of a workspace (a sync of a connector) waits on the queue at most once: asking again
while one waits adds nothing, since the waiting one will read everything new anyway.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from tradewinds.config import get_settings
from tradewinds.hooks import hookimpl

if TYPE_CHECKING:
    from tradewinds.ingest.files.base import ImportOptions
    from tradewinds.tasks import TaskRegistry

log = logging.getLogger("tradewinds.ingest")

WAREHOUSE = "warehouse:{workspace_key}"
ACTOR = "scheduler"


def import_job(*, job_id: int, workspace_key: str, options: ImportOptions | None = None) -> None:
    """Run import job ``job_id`` (``workspace_key`` names the warehouse it writes)."""
    from tradewinds.ingest.history import run_import

    run_import(job_id=job_id, options=options)


def drain(*, workspace_key: str) -> int:
    """Move one workspace's collected events into its warehouse; how many events."""
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.ingest.eventlog import drain_workspace
    from tradewinds.ingest.sources import storefront_for

    with session_scope() as session:
        ws = session.scalar(select(Workspace).where(Workspace.key == workspace_key))
        if ws is None:
            return 0
        storefront = storefront_for(session=session, workspace=ws)
    done = drain_workspace(workspace_key=workspace_key, storefront=storefront)
    if done.events:
        log.info("drained %d event(s) of %s", done.events, workspace_key)
    return done.events


def workspaces_with_events() -> list[str]:
    """The keys of the workspaces that have a collector event log, in key order."""
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.ingest.eventlog import EventLogs, default_root, safe_name

    root = default_root()
    if not root.is_dir():
        return []
    folders = {p.name for p in root.iterdir() if (p / EventLogs.FILE_NAME).exists()}
    with session_scope() as session:
        keys = session.scalars(select(Workspace.key).order_by(Workspace.key))
        return [key for key in keys if safe_name(key) in folders]


def drain_all() -> list[str]:
    """Ask for a drain of every workspace with collected events; their keys."""
    from tradewinds.tasks import enqueue

    keys = workspaces_with_events()
    for key in keys:
        try:
            enqueue("ingest.drain", workspace_key=key)
        except Exception:  # without a queue it ran at once: one workspace stops no other
            log.exception("draining the events of %s failed", key)
    return keys


def sync(*, source_id: int, workspace_key: str) -> int:
    """Read one live connector into its workspace's warehouse; how many records."""
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.ingest.sources import sync_connector

    with session_scope() as session:
        ws = session.scalar(select(Workspace).where(Workspace.key == workspace_key))
        if ws is None:
            return 0
        done: Any = sync_connector(
            session=session,
            workspace=ws,
            source_id=source_id,
            actor=ACTOR,
            today=datetime.now(UTC).date(),
        )
    return int(done.read)


def sync_all() -> list[int]:
    """Ask for a sync of every live connector that is not revoked; their source ids."""
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.sources import Source
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.ingest.sources import CONNECTOR_SETTINGS
    from tradewinds.tasks import enqueue

    with session_scope() as session:
        rows = list(
            session.execute(
                select(Source.id, Workspace.key)
                .join(Workspace, Workspace.id == Source.workspace_id)
                .where(Source.kind.in_(list(CONNECTOR_SETTINGS)), Source.revoked_at.is_(None))
                .order_by(Source.id)
            )
        )
    for source_id, key in rows:
        try:
            enqueue("ingest.sync", source_id=source_id, workspace_key=key)
        except Exception:  # without a queue it ran at once: one source stops no other
            log.exception("syncing source %s of %s failed", source_id, key)
    return [source_id for source_id, _ in rows]


def _drain_seconds() -> float:
    return get_settings().drain_seconds


def _sync_seconds() -> float:
    return get_settings().sync_minutes * 60


@hookimpl
def tradewinds_tasks(tasks: TaskRegistry) -> None:
    tasks.add("ingest.import", import_job, retries=2, retry_delay=10, exclusive=WAREHOUSE)
    tasks.add(
        "ingest.drain",
        drain,
        retries=3,
        retry_delay=30,
        exclusive=WAREHOUSE,
        unique="{workspace_key}",
    )
    tasks.add("ingest.drain_all", drain_all, every=_drain_seconds)
    tasks.add(
        "ingest.sync", sync, retries=3, retry_delay=60, exclusive=WAREHOUSE, unique="{source_id}"
    )
    tasks.add("ingest.sync_all", sync_all, every=_sync_seconds)
