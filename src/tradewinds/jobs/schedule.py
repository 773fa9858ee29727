"""Recurring work of a running server: collected events into the warehouse, live
connectors read again, the ECB's new exchange rates once a day.

Without it a shop's storefront events stay in the collector's log, and its Shopify orders
and Meta spend stop at the last manual ``tradewinds source drain`` / ``sync``. The server
starts one :class:`Scheduler` thread (``TRADEWINDS_DRAIN_SECONDS``, default 60;
``TRADEWINDS_SYNC_MINUTES``, default 60; 0 turns either off). Each workspace's work holds
the job runner's lock for its warehouse, so it never runs beside an import into the same
warehouse; rounds run one after another on the scheduler's own thread. With
``TRADEWINDS_FX_DAILY_URL`` set (the ECB's daily file by default; empty: off) the ECB's
reference rates are fetched when the server starts and every 24 hours after
(``markets/fx_refresh.py``).

A failing workspace is logged and retried at the next round; it does not stop the others.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from tradewinds.jobs.runner import get_runner

log = logging.getLogger("tradewinds.schedule")

ACTOR = "scheduler"


@dataclass
class RoundResult:
    """What one round did: events drained and connector records read, per workspace key."""

    drained: dict[str, int] = field(default_factory=dict)
    synced: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)


def _with_events(root: Path) -> set[str]:
    """Folder names under the collector root that hold an event log."""
    from tradewinds.ingest.eventlog import EventLogs

    if not root.is_dir():
        return set()
    return {p.name for p in root.iterdir() if (p / EventLogs.FILE_NAME).exists()}


def drain_all(result: RoundResult | None = None) -> RoundResult:
    """Drain every workspace's collected events into its warehouse (one at a time)."""
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.ingest.eventlog import default_root, drain_workspace, safe_name
    from tradewinds.ingest.sources import storefront_for

    result = result or RoundResult()
    folders = _with_events(default_root())
    if not folders:
        return result
    with session_scope() as session:
        targets = [(ws.key, storefront_for(session=session, workspace=ws))
                   for ws in session.scalars(select(Workspace))
                   if safe_name(ws.key) in folders]
    for key, storefront in targets:
        try:
            with get_runner().exclusive(f"warehouse:{key}"):
                done = drain_workspace(workspace_key=key, storefront=storefront)
        except Exception:
            log.exception("draining the events of %s failed; retrying next round", key)
            result.failed.append(f"drain:{key}")
            continue
        if done.events:
            log.info("drained %d event(s) of %s", done.events, key)
        result.drained[key] = done.events
    return result


def sync_all(result: RoundResult | None = None) -> RoundResult:
    """Read every live connector (not revoked) into its workspace's warehouse."""
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.sources import Source
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.ingest.sources import CONNECTOR_SETTINGS, sync_connector

    result = result or RoundResult()
    with session_scope() as session:
        sources = [(s.id, s.workspace_id) for s in session.scalars(
            select(Source).where(Source.kind.in_(list(CONNECTOR_SETTINGS)),
                                 Source.revoked_at.is_(None)).order_by(Source.id))]
    for source_id, workspace_id in sources:
        try:
            with session_scope() as session:
                ws = session.get(Workspace, workspace_id)
                if ws is None:
                    continue
                key = ws.key
                with get_runner().exclusive(f"warehouse:{key}"):
                    done = sync_connector(session=session, workspace=ws, source_id=source_id,
                                          actor=ACTOR, today=datetime.now(UTC).date())
        except Exception:
            log.exception("syncing source %s failed; retrying next round", source_id)
            result.failed.append(f"sync:{source_id}")
            continue
        result.synced[key] = result.synced.get(key, 0) + done.read
    return result


FX_SECONDS = 24 * 3600


def _fetch_fx() -> None:
    from tradewinds.markets.fx_refresh import fetch_for_all_workspaces

    fetch_for_all_workspaces()


class Scheduler:
    """A daemon thread running :func:`drain_all` and :func:`sync_all` on their intervals."""

    def __init__(self, *, drain_seconds: float, sync_minutes: float,
                 fx_seconds: float = 0) -> None:
        self.drain_seconds, self.sync_seconds = drain_seconds, sync_minutes * 60
        self.fx_seconds = fx_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.rounds = 0

    @property
    def enabled(self) -> bool:
        return self.drain_seconds > 0 or self.sync_seconds > 0 or self.fx_seconds > 0

    def start(self) -> None:
        if self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="tradewinds-schedule",
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        now = time.monotonic()
        next_drain = now + self.drain_seconds if self.drain_seconds > 0 else None
        next_sync = now + self.sync_seconds if self.sync_seconds > 0 else None
        next_fx = now if self.fx_seconds > 0 else None
        while True:
            due = [t for t in (next_drain, next_sync, next_fx) if t is not None]
            if self._stop.wait(max(0.0, min(due) - time.monotonic())):
                return
            now = time.monotonic()
            if next_drain is not None and now >= next_drain:
                self._run(drain_all)
                next_drain = time.monotonic() + self.drain_seconds
            if next_sync is not None and now >= next_sync:
                self._run(sync_all)
                next_sync = time.monotonic() + self.sync_seconds
            if next_fx is not None and now >= next_fx:
                self._run(_fetch_fx)
                next_fx = time.monotonic() + self.fx_seconds
            self.rounds += 1

    @staticmethod
    def _run(work: object) -> None:
        try:
            work()  # type: ignore[operator]
        except Exception:  # the app DB is away, say: try again next round
            log.exception("a scheduled round failed")


_scheduler: Scheduler | None = None


def start_scheduler() -> Scheduler:
    """Start the process's scheduler from the settings (idempotent)."""
    global _scheduler
    from tradewinds.config import get_settings

    if _scheduler is None:
        settings = get_settings()
        _scheduler = Scheduler(drain_seconds=settings.drain_seconds,
                               sync_minutes=settings.sync_minutes,
                               fx_seconds=FX_SECONDS if settings.fx_daily_url else 0)
        _scheduler.start()
    return _scheduler


def stop_scheduler() -> None:
    global _scheduler
    if _scheduler is not None:
        _scheduler.stop()
        _scheduler = None
