"""Tamper-evident audit log: every entry carries an HMAC chained to the previous entry.

Editing, deleting or reordering any row breaks the chain from that row on, and
``verify_chain`` reports the first broken link. The chain is keyed with the instance
secret, so rewriting every later hash is not possible without that secret. Rows removed
from the *end* leave a shorter but valid chain; the signed head (``audit_head``) catches
that, and ``verify_chain`` checks it too.

Ids come from the database (an autoincrement column), so any number of processes can
append at once. Each append first takes the log's write lock — PostgreSQL's advisory lock,
SQLite's database write lock — and holds it until its transaction ends, so entries are
chained in the order they commit, ids rise in that order, and no two entries ever link to
the same predecessor. A rolled-back append leaves no entry (PostgreSQL may skip its id).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session

from tradewinds.auth import audit_head
from tradewinds.auth.audit_head import GENESIS, Head, HeadError
from tradewinds.config import get_settings
from tradewinds.db.base import utcnow
from tradewinds.db.models.audit import AuditEntry

__all__ = [
    "GENESIS",
    "ChainReport",
    "chain_key",
    "entries",
    "entry_hash",
    "record",
    "reset_head",
    "verify_chain",
]

log = logging.getLogger("tradewinds.audit")

_ADVISORY_LOCK = 724211
_WRITTEN = "tradewinds.audit.written"  # session.info key: ids appended in this transaction


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "id": entry.id,
        "at": entry.at.isoformat(timespec="microseconds"),
        "workspace_id": entry.workspace_id,
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "details": entry.details,
        "ip": entry.ip,
        "request_id": entry.request_id,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def chain_key() -> bytes:
    return get_settings().secret_key.encode()


def entry_hash(entry: AuditEntry, prev_hash: str, key: bytes | None = None) -> str:
    key = key or chain_key()
    return hmac.new(key, prev_hash.encode() + b"|" + _canonical(entry), hashlib.sha256).hexdigest()


def _lock_log(session: Session) -> None:
    """Hold the log's write lock until this transaction ends (see the module docstring)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
    elif dialect == "sqlite":
        # A write that changes nothing still makes SQLite begin a write transaction, so the
        # last entry is read under the database's write lock (waiting for other writers).
        # This relies on the driver opening transactions at the first write, not at the
        # first read (the default of Python's sqlite3): a read snapshot taken earlier could
        # not be upgraded to a write once another process had committed.
        session.execute(text("UPDATE audit_log SET id = id WHERE 0 = 1"))


def record(
    session: Session,
    *,
    action: str,
    actor: str,
    workspace_id: int | None = None,
    target: str = "",
    details: dict[str, Any] | None = None,
    ip: str | None = None,
    request_id: str | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction (it commits with the action it records)."""
    from tradewinds.observability import current_request_id

    _lock_log(session)
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    prev_hash = last.hash if last else GENESIS
    entry = AuditEntry(
        at=utcnow(),
        workspace_id=workspace_id,
        actor=actor,
        action=action,
        target=target,
        details=details or {},
        ip=ip,
        request_id=request_id or current_request_id(),
        prev_hash=prev_hash,
        hash="",
    )
    session.add(entry)
    session.flush()  # the database assigns the id, which the hash covers
    entry.hash = entry_hash(entry, prev_hash)
    session.flush()
    session.info.setdefault(_WRITTEN, []).append(entry.id)
    return entry


def _engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


@event.listens_for(Session, "after_commit")
def _sign_committed_entries(session: Session) -> None:
    """Move the signed head over what this commit appended (never before the commit)."""
    written = session.info.pop(_WRITTEN, None)
    if not written:
        return
    try:
        audit_head.advance(_engine_of(session), written)
    except Exception:  # noqa: BLE001 - the action is committed; the next commit catches up
        log.exception("audit log: could not update the signed head; the next entry will")


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_entries(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_broken_id: int | None = None
    reason: str = ""
    last_id: int | None = None
    head: Head | None = None
    unsigned_entries: int = 0  # committed after the head was last signed (in progress)


def verify_chain(session: Session, *, check_head: bool = True) -> ChainReport:
    """Check every link and every entry's HMAC, then the signed head (unless told not to)."""
    prev_hash = GENESIS
    prev_id: int | None = None
    count = 0
    key = chain_key()
    at_head: tuple[int, str] | None = None  # (position, hash) of the head's last entry
    try:  # the head first, the rows after: a head read now can only be behind them
        head = audit_head.read_head() if check_head else None
        head_problem = ""
    except HeadError as exc:
        head, head_problem = None, str(exc)
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        if entry.prev_hash != prev_hash:
            after = f"entry {prev_id}" if prev_id is not None else "the start of the log"
            return ChainReport(
                False,
                count,
                entry.id,
                f"it does not link to {after}: entries before it were removed, "
                "reordered or changed",
            )
        if entry.hash != entry_hash(entry, prev_hash, key):
            return ChainReport(False, count, entry.id, "entry was altered after it was written")
        if head is not None and entry.id == head.last_id:
            at_head = (count, entry.hash)
        prev_hash, prev_id = entry.hash, entry.id
    if not check_head:
        return ChainReport(True, count, last_id=prev_id)
    return _check_head(count, prev_id, head, head_problem, at_head)


def _check_head(
    count: int,
    last_id: int | None,
    head: Head | None,
    head_problem: str,
    at_head: tuple[int, str] | None,
) -> ChainReport:
    if head_problem:
        return ChainReport(False, count, reason=head_problem, last_id=last_id)
    if head is None:
        if count == 0:
            return ChainReport(True, 0)
        return ChainReport(
            False,
            count,
            reason=(
                f"there is no signed head ({audit_head.head_path()}), so entries removed "
                "from the end could not be noticed; if this installation never had one "
                "(it was upgraded), sign the log as it stands with "
                "`tradewinds audit reset-head`"
            ),
            last_id=last_id,
        )
    if head.entries == 0 or at_head == (head.entries, head.last_hash):
        return ChainReport(
            True, count, last_id=last_id, head=head, unsigned_entries=count - head.entries
        )
    ends = f"ends at entry {last_id} ({_entries(count)})" if count else "is empty"
    return ChainReport(
        False,
        count,
        reason=(
            f"the log {ends} but the signed head says {_entries(head.entries)}, the last "
            f"being entry {head.last_id} (hash {head.last_hash[:16]}…): entries were "
            "removed from the end, or the log was replaced"
        ),
        last_id=last_id,
        head=head,
    )


def _entries(n: int) -> str:
    return "1 entry" if n == 1 else f"{n} entries"


def reset_head(session: Session, *, actor: str, reason: str) -> Head:
    """Sign the log as it stands now, after checking its chain, and record that it was done.

    For an upgraded installation that never had a head, or after restoring the app
    database from a backup on purpose. Refuses a log whose chain is broken."""
    report = verify_chain(session, check_head=False)
    if not report.ok:
        raise HeadError(
            f"the audit log is broken at entry {report.first_broken_id} ({report.reason}); "
            "a head is signed only over an intact log"
        )
    try:
        previous = audit_head.read_head()
    except HeadError as exc:
        previous, unreadable = None, str(exc)
    else:
        unreadable = ""
    details: dict[str, Any] = {"reason": reason, "entries_before": report.entries}
    details["previous_head"] = (
        {"entries": previous.entries, "last_id": previous.last_id, "last_hash": previous.last_hash}
        if previous
        else unreadable or None
    )
    record(session, action="audit.head_reset", actor=actor, details=details)
    session.info.pop(_WRITTEN, None)  # signed below, from the whole log
    session.commit()
    return audit_head.rebuild(_engine_of(session))


def entries(
    session: Session, *, workspace_id: int, limit: int = 100, before: datetime | None = None
) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
    if before is not None:
        query = query.where(AuditEntry.at < before)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))
