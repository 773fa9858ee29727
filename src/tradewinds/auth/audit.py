"""Tamper-evident audit log: every entry carries an HMAC chained to the previous entry.

Editing, deleting or reordering any row breaks the chain from that row on, and
``verify_chain`` reports the first broken link. The chain is keyed with the instance
secret, so rewriting every later hash is not possible without that secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tradewinds.config import get_settings
from tradewinds.db.base import utcnow
from tradewinds.db.models.audit import AuditEntry

GENESIS = "0" * 64
_lock = threading.Lock()


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


def entry_hash(entry: AuditEntry, prev_hash: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, prev_hash.encode() + b"|" + _canonical(entry), hashlib.sha256).hexdigest()


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

    with _lock:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(724211)"))
        last = session.execute(
            select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
        ).first()
        prev_hash = last.hash if last else GENESIS
        entry = AuditEntry(
            id=(last.id + 1) if last else 1,
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
        entry.hash = entry_hash(entry, prev_hash)
        session.add(entry)
        session.flush()
        return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_broken_id: int | None = None
    reason: str = ""


def verify_chain(session: Session) -> ChainReport:
    prev_hash = GENESIS
    expected_id = None
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        if expected_id is not None and entry.id != expected_id:
            return ChainReport(False, count, expected_id, f"entry {expected_id} is missing")
        if entry.prev_hash != prev_hash:
            return ChainReport(False, count, entry.id, "previous-hash link does not match")
        if entry.hash != entry_hash(entry, prev_hash):
            return ChainReport(False, count, entry.id, "entry was altered after it was written")
        prev_hash = entry.hash
        expected_id = entry.id + 1
    return ChainReport(True, count)


def entries(
    session: Session, *, workspace_id: int, limit: int = 100, before: datetime | None = None
) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
    if before is not None:
        query = query.where(AuditEntry.at < before)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))
