"""Durable, deduplicating store of collected events: one SQLite file per workspace.

Why SQLite: in WAL mode with ``synchronous=FULL`` a committed transaction has been
fsync'd, survives ``kill -9`` (and power loss), and a ``UNIQUE`` ``message_id`` gives
Segment-style dedup for free. The collector acknowledges an event only after the
transaction holding it has committed.

Group commit: :class:`GroupCommitter` owns the only connection that writes, in its own
thread. Requests hand it their events and wait; the thread takes everything that queued up
while the previous commit was running and writes it in one transaction, so many requests
share one fsync. Throughput grows with load instead of being capped by fsync latency.

Retention: an event stays in the log (and so blocks its ``messageId`` from being stored
again) until it has been drained to the warehouse *and* is older than the dedup window
(7 days by default). The warehouse ``events`` table has ``message_id`` as primary key too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from pathlib import Path
from typing import Any

import orjson

from tradewinds.ingest import ecommerce
from tradewinds.ingest.events import DEDUP_WINDOW, Accepted, Rejected
from tradewinds.ingest.pipeline import Batch, Loader, loading
from tradewinds.warehouse.backend import Warehouse

_log = logging.getLogger("tradewinds.eventlog")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    body BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS failed_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at INTEGER NOT NULL,
    endpoint TEXT NOT NULL,
    batch_index INTEGER,
    message_id TEXT,
    reason TEXT NOT NULL,
    raw BLOB
);
CREATE TABLE IF NOT EXISTS cursors (
    name TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS order_states (
    order_id TEXT PRIMARY KEY,
    state BLOB NOT NULL
);
"""

_INSERT_ARRAY = (
    "INSERT OR IGNORE INTO events (message_id, type, received_at, body) "
    "SELECT json_extract(value, '$.messageId'), json_extract(value, '$.type'), ?, value "
    "FROM json_each(?)"
)

# A failed request body is kept up to this size; the rest is cut (the reason says so).
MAX_FAILED_RAW_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Failure:
    """An invalid event or request body, as kept in ``failed_events``."""

    endpoint: str
    reason: str
    raw: bytes
    message_id: str | None = None
    batch_index: int | None = None

    @classmethod
    def from_rejected(cls, rejected: Rejected, *, endpoint: str) -> Failure:
        return cls(endpoint, rejected.reason, rejected.raw, rejected.message_id, rejected.index)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    seq: int
    message_id: str
    type: str
    received_at: datetime
    body: bytes


@dataclass(frozen=True, slots=True)
class StoredFailure:
    id: int
    received_at: datetime
    endpoint: str
    batch_index: int | None
    message_id: str | None
    reason: str
    raw: bytes


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def safe_name(workspace_key: str) -> str:
    """A file-system-safe, stable directory name for a workspace key."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", workspace_key):
        return workspace_key
    return "ws-" + sha256(workspace_key.encode()).hexdigest()[:24]


class EventLog:
    """One workspace's store. Not thread-safe: one instance per thread."""

    def __init__(self, path: Path, *, auto_checkpoint: bool = True) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA busy_timeout=10000")
        if not auto_checkpoint:
            self._conn.execute("PRAGMA wal_autocheckpoint=0")
        self._conn.executescript(_SCHEMA)

    def checkpoint(self) -> None:
        """Copy committed WAL content into the database file without blocking writers."""
        self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        self._conn.close()

    # -- writing ---------------------------------------------------------------------------

    def write(
        self, events: Sequence[Accepted], failures: Sequence[Failure] = (), *, received_at: datetime
    ) -> int:
        """Store events (ignoring known message ids) and failures in one durable transaction.

        Returns how many events were new.
        """
        return self.write_group([(events, failures, received_at)])

    def write_group(
        self, group: Sequence[tuple[Sequence[Accepted], Sequence[Failure], datetime]]
    ) -> int:
        """Several requests' writes in one transaction (one fsync); how many events were new.

        All events of the group go in ONE statement over a JSON array that SQLite walks
        itself. The writing thread then needs the GIL a couple of times per group instead of
        once per request or per event, each of which can cost a wait for a busy event loop.
        Events are stamped with the group's earliest receive time (used for retention only).
        """
        bodies = [e.body for events, _, _ in group for e in events]
        failures = [(f, at) for _, fs, at in group for f in fs]
        conn = self._conn
        before = conn.total_changes
        at = _ms(min(received_at for _, _, received_at in group))
        # text, not bytes: newer SQLite versions read a BLOB argument as binary JSONB
        array = (b"[" + b",".join(bodies) + b"]").decode() if bodies else None
        if not failures:
            if array is not None:
                conn.execute(_INSERT_ARRAY, (at, array))  # autocommit: its own transaction
            return conn.total_changes - before
        conn.execute("BEGIN IMMEDIATE")
        try:
            if array is not None:
                conn.execute(_INSERT_ARRAY, (at, array))
            inserted = conn.total_changes - before
            conn.executemany(
                "INSERT INTO failed_events "
                "(received_at, endpoint, batch_index, message_id, reason, raw) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        _ms(received),
                        f.endpoint,
                        f.batch_index,
                        f.message_id,
                        f.reason,
                        f.raw[:MAX_FAILED_RAW_BYTES],
                    )
                    for f, received in failures
                ],
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return inserted

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM events").fetchone()[0]

    def message_ids(self) -> Iterator[str]:
        for (mid,) in self._conn.execute("SELECT message_id FROM events ORDER BY seq"):
            yield mid

    def read_after(self, seq: int, *, limit: int = 10_000) -> list[StoredEvent]:
        rows = self._conn.execute(
            "SELECT seq, message_id, type, received_at, body FROM events "
            "WHERE seq > ? ORDER BY seq LIMIT ?",
            (seq, limit),
        ).fetchall()
        return [
            StoredEvent(s, m, t, _from_ms(r), b.encode() if isinstance(b, str) else bytes(b))
            for s, m, t, r, b in rows
        ]

    def failures(self, *, limit: int = 100, after_id: int = 0) -> list[StoredFailure]:
        rows = self._conn.execute(
            "SELECT id, received_at, endpoint, batch_index, message_id, reason, raw "
            "FROM failed_events WHERE id > ? ORDER BY id LIMIT ?",
            (after_id, limit),
        ).fetchall()
        return [
            StoredFailure(i, _from_ms(r), e, b, m, reason, bytes(raw or b""))
            for i, r, e, b, m, reason, raw in rows
        ]

    def latest_failures(self, *, limit: int = 50) -> list[StoredFailure]:
        rows = self._conn.execute(
            "SELECT id, received_at, endpoint, batch_index, message_id, reason, raw "
            "FROM failed_events ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            StoredFailure(i, _from_ms(r), e, b, m, reason, bytes(raw or b""))
            for i, r, e, b, m, reason, raw in rows
        ]

    def latest_events(self, *, limit: int = 50) -> list[StoredEvent]:
        """The newest stored events, newest first (what the live view shows)."""
        rows = self._conn.execute(
            "SELECT seq, message_id, type, received_at, body FROM events ORDER BY seq DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            StoredEvent(s, m, t, _from_ms(r), b.encode() if isinstance(b, str) else bytes(b))
            for s, m, t, r, b in rows
        ]

    def failure_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM failed_events").fetchone()[0]

    # -- drain cursors and retention -------------------------------------------------------

    def cursor(self, name: str) -> int:
        row = self._conn.execute("SELECT seq FROM cursors WHERE name = ?", (name,)).fetchone()
        return row[0] if row else 0

    def set_cursor(self, name: str, seq: int) -> None:
        self._conn.execute(
            "INSERT INTO cursors (name, seq) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET seq = excluded.seq",
            (name, seq),
        )

    def order_states(self, order_ids: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        ids = list(dict.fromkeys(order_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for order_id, state in self._conn.execute(
                f"SELECT order_id, state FROM order_states WHERE order_id IN ({marks})", chunk
            ):
                found[order_id] = bytes(state)
        return found

    def advance(self, cursor_name: str, seq: int, order_states: dict[str, bytes]) -> None:
        """Move a drain cursor and save the order states it produced, atomically."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "INSERT INTO order_states (order_id, state) VALUES (?, ?) "
                "ON CONFLICT(order_id) DO UPDATE SET state = excluded.state",
                list(order_states.items()),
            )
            self.set_cursor(cursor_name, seq)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def prune(self, *, now: datetime, cursor_name: str, window: timedelta = DEDUP_WINDOW) -> int:
        """Delete events already drained under ``cursor_name`` and older than ``window``."""
        drained = self.cursor(cursor_name)
        before = self._conn.total_changes
        self._conn.execute(
            "DELETE FROM events WHERE seq <= ? AND received_at < ?",
            (drained, _ms(now - window)),
        )
        return self._conn.total_changes - before


@dataclass
class _Pending:
    events: Sequence[Accepted]
    failures: Sequence[Failure]
    received_at: datetime
    future: asyncio.Future[int]
    loop: asyncio.AbstractEventLoop


def _settle(items: list[tuple[asyncio.Future[int], int | None, BaseException | None]]) -> None:
    for fut, inserted, error in items:
        if fut.done():
            continue
        if error is not None:
            fut.set_exception(error)
        else:
            fut.set_result(inserted or 0)


class GroupCommitter:
    """The single writer of one event log, committing queued writes together."""

    def __init__(
        self, path: Path, *, max_group: int = 20_000, checkpoint_every: float = 1.0
    ) -> None:
        self.path = path
        self.max_group = max_group
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        # The writer never checkpoints (a checkpoint would stall every waiting request);
        # a second connection does, in its own thread, concurrently with the writer.
        self._log = EventLog(path, auto_checkpoint=False)
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"eventlog-{path.parent.name}", daemon=True
        )
        self._checkpointer = threading.Thread(
            target=self._checkpoint_loop,
            args=(checkpoint_every,),
            daemon=True,
            name=f"eventlog-checkpoint-{path.parent.name}",
        )
        self.commits = 0
        self._thread.start()
        self._checkpointer.start()

    def _checkpoint_loop(self, every: float) -> None:
        log = EventLog(self.path, auto_checkpoint=False)
        try:
            while not self._stopped.wait(every):
                with contextlib.suppress(sqlite3.Error):
                    log.checkpoint()
            with contextlib.suppress(sqlite3.Error):
                log.checkpoint()
        finally:
            log.close()

    async def append(
        self,
        events: Sequence[Accepted],
        failures: Sequence[Failure] = (),
        *,
        received_at: datetime,
    ) -> None:
        """Return once ``events`` and ``failures`` are durably stored (known ids skipped)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        self._queue.put(_Pending(events, failures, received_at, future, loop))
        await future

    def close(self, timeout: float = 5.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout)
        self._stopped.set()
        self._checkpointer.join(timeout)

    def _run(self) -> None:
        stop = False
        while not stop:
            first = self._queue.get()
            if first is None:
                break
            group = [first]
            size = len(first.events) + len(first.failures)
            while size < self.max_group:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                group.append(item)
                size += len(item.events) + len(item.failures)
            self._commit(group)
        self._log.close()

    def _commit(self, group: list[_Pending]) -> None:
        error: BaseException | None = None
        try:
            self._log.write_group(
                [(item.events, item.failures, item.received_at) for item in group]
            )
            self.commits += 1
        except Exception as exc:  # noqa: BLE001 - every waiter must hear about it
            error = exc
        by_loop: dict[asyncio.AbstractEventLoop, list] = {}
        for item in group:
            by_loop.setdefault(item.loop, []).append((item.future, 0, error))
        for loop, entries in by_loop.items():
            # RuntimeError: the loop has closed, so nobody is waiting any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, entries)


class EventLogs:
    """Per-workspace group committers under one root directory, opened on first use."""

    FILE_NAME = "events.sqlite"

    def __init__(self, root: Path) -> None:
        self.root = root
        self._writers: dict[str, GroupCommitter] = {}
        self._lock = threading.Lock()

    def path_for(self, workspace_key: str) -> Path:
        return self.root / safe_name(workspace_key) / self.FILE_NAME

    def writer(self, workspace_key: str) -> GroupCommitter:
        writer = self._writers.get(workspace_key)
        if writer is None:
            with self._lock:
                writer = self._writers.get(workspace_key)
                if writer is None:
                    writer = GroupCommitter(self.path_for(workspace_key))
                    self._writers[workspace_key] = writer
        return writer

    def close(self) -> None:
        with self._lock:
            for writer in self._writers.values():
                writer.close()
            self._writers.clear()


def open_log(root: Path, workspace_key: str) -> EventLog:
    """A reading/draining handle on one workspace's log (safe beside a running collector)."""
    return EventLog(root / safe_name(workspace_key) / EventLogs.FILE_NAME)


# -- draining to the warehouse --------------------------------------------------------------

DRAIN_CURSOR = "warehouse"


@dataclass
class DrainResult:
    events: int = 0
    rows: dict[str, int] | None = None
    cursor: int = 0


def _stored_countries(warehouse: Warehouse, customer_ids: list[str]) -> dict[str, str]:
    """Customer id -> the country already stored for that customer (from earlier identify
    calls or imports)."""
    out: dict[str, str] = {}
    for start in range(0, len(customer_ids), 500):
        chunk = customer_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        result = warehouse.query(
            "SELECT customer_id, country FROM customers "
            f"WHERE country IS NOT NULL AND country <> '' AND customer_id IN ({marks})",
            chunk,
        )
        out.update({cid: country for cid, country in result.rows})
    return out


def drain_to_warehouse(
    *,
    log: EventLog,
    warehouse: Warehouse,
    storefront: str = "web",
    batch_size: int = 5_000,
    cursor_name: str = DRAIN_CURSOR,
) -> DrainResult:
    """Move stored events not yet drained into the warehouse, with the rows they imply.

    Each run of events is committed by the load pipeline in one warehouse transaction
    (rows merged by primary key with each table's policy: events and identity sightings
    first seen, customers updated by the values a call carries, orders replaced as their
    refunds come in), then the cursor and order states move in one event-log transaction.
    A crash in between re-loads the same rows next time, which changes nothing: the step is
    idempotent. The tables whose rows changed are announced once, after the last commit.
    """
    result = DrainResult(rows={})
    assert result.rows is not None
    with loading(warehouse, origin="events") as loader:
        _drain(
            log,
            loader,
            result,
            storefront=storefront,
            batch_size=batch_size,
            cursor_name=cursor_name,
        )
    for error in loader.report.errors[:20]:
        _log.warning(
            "%s: a row drained from the events was left out: %s", warehouse.workspace_key, error
        )
    return result


def _drain(
    log: EventLog,
    loader: Loader,
    result: DrainResult,
    *,
    storefront: str,
    batch_size: int,
    cursor_name: str,
) -> None:
    assert result.rows is not None
    warehouse = loader.warehouse
    while True:
        start = log.cursor(cursor_name)
        stored = log.read_after(start, limit=batch_size)
        if not stored:
            break
        events = [orjson.loads(item.body) for item in stored]
        keys = [
            k
            for e in events
            if ecommerce.is_order_event(e)
            and (k := ecommerce.order_key(e, storefront=storefront)) is not None
        ]
        states = {
            key: ecommerce.OrderState.from_json(orjson.loads(raw))
            for key, raw in log.order_states(keys).items()
        }
        rows, new_states = ecommerce.map_events(
            events,
            states,
            storefront=storefront,
            known_countries=lambda ids: _stored_countries(warehouse, ids),
        )
        loader.commit(Batch(table, data, "events") for table, data in rows.tables.items())
        for table, data in rows.tables.items():
            result.rows[table] = result.rows.get(table, 0) + len(data)
        changed = {
            key: orjson.dumps(state.to_json())
            for key, state in new_states.items()
            if states.get(key) is not state
        }
        log.advance(cursor_name, stored[-1].seq, changed)
        result.events += len(stored)
        result.cursor = stored[-1].seq


def default_root() -> Path:
    """Where event logs live: ``TRADEWINDS_HOME/collector``."""
    from tradewinds.config import get_settings

    return get_settings().home_dir / "collector"


@dataclass
class WorkspaceDrain(DrainResult):
    pruned: int = 0


def drain_workspace(
    *, workspace_key: str, storefront: str = "web", prune: bool = True, root: Path | None = None
) -> WorkspaceDrain:
    """Drain one workspace's event log into its warehouse, then forget old drained events."""
    from tradewinds.warehouse.factory import open_warehouse

    log = open_log(root or default_root(), workspace_key)
    try:
        with open_warehouse(workspace_key) as warehouse:
            done = drain_to_warehouse(log=log, warehouse=warehouse, storefront=storefront)
        pruned = 0
        if prune:
            pruned = log.prune(now=datetime.now(UTC), cursor_name=DRAIN_CURSOR)
    finally:
        log.close()
    return WorkspaceDrain(events=done.events, rows=done.rows, cursor=done.cursor, pruned=pruned)


@dataclass(frozen=True)
class Activity:
    """What the collector recorded last for a workspace: stored and refused events."""

    events: list[dict[str, Any]]
    refused: list[dict[str, Any]]
    stored_total: int
    refused_total: int


def _fields(body: bytes) -> dict[str, Any]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)[:200]


def recent_activity(*, workspace_key: str, limit: int = 50, root: Path | None = None) -> Activity:
    """The newest ``limit`` stored events and refusals of a workspace's event log, newest
    first, as the collector wrote them (an empty answer when nothing was ever collected)."""
    path = (root or default_root()) / safe_name(workspace_key) / EventLogs.FILE_NAME
    if not path.exists():
        return Activity([], [], 0, 0)
    log = EventLog(path)
    try:
        events = []
        for e in log.latest_events(limit=limit):
            body = _fields(e.body)
            events.append(
                {
                    "received_at": e.received_at,
                    "type": e.type,
                    "event": _text(body.get("event") or body.get("name")),
                    "user_id": _text(body.get("userId")),
                    "anonymous_id": _text(body.get("anonymousId")),
                    "message_id": e.message_id,
                }
            )
        refused = []
        for f in log.latest_failures(limit=limit):
            body = _fields(f.raw)
            refused.append(
                {
                    "received_at": f.received_at,
                    "type": _text(body.get("type")) or f.endpoint,
                    "event": _text(body.get("event") or body.get("name")),
                    "user_id": _text(body.get("userId")),
                    "anonymous_id": _text(body.get("anonymousId")),
                    "message_id": f.message_id,
                    "reason": f.reason,
                }
            )
        return Activity(events, refused, log.count(), log.failure_count())
    finally:
        log.close()


def failed_events(
    *, workspace_key: str, limit: int = 50, root: Path | None = None
) -> tuple[list[dict[str, Any]], int]:
    """The latest failed events (newest first) and how many there are in all."""
    log = open_log(root or default_root(), workspace_key)
    try:
        items = [
            {
                "id": f.id,
                "received_at": f.received_at.isoformat(),
                "endpoint": f.endpoint,
                "batch_index": f.batch_index,
                "message_id": f.message_id,
                "reason": f.reason,
                "raw": f.raw[:2000].decode("utf-8", "replace"),
            }
            for f in log.latest_failures(limit=limit)
        ]
        return items, log.failure_count()
    finally:
        log.close()
