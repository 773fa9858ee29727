"""The audit log's signed head: how far the log reached when it was last signed.

The chain shows an entry that was edited, removed or reordered *between* other entries, but
a log cut short at the end is still a valid chain. The head closes that gap: after every
commit that added entries, Tradewinds writes ``HOME/audit.head`` — the number of entries and
the last entry's id and hash, HMAC-signed with the instance secret — outside the database
that holds the rows, atomically and readable by the owner only.

The rule that keeps it free of false alarms: the head only ever moves *forward along the
chain*, and only over entries that are committed and verify. So it may lag behind the table
(entries committed but not yet signed in: another process is signing them, or the process
stopped between its commit and the head write; the next commit catches up) — that is "in
progress", never an error. It can never be ahead of the table: a rolled-back entry is never
signed in. A head whose last entry is missing, or different, means entries were removed from
the end (or the log was replaced). Once that happened the head stops moving, so later
entries cannot hide the gap.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from filelock import FileLock
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tradewinds.config import get_settings
from tradewinds.db.models.audit import AuditEntry

log = logging.getLogger("tradewinds.audit")

GENESIS = "0" * 64
FILE_NAME = "audit.head"
_DOMAIN = b"tradewinds-audit-head-v1|"


class HeadError(Exception):
    """The head file exists but cannot be trusted (unreadable, or its signature is wrong)."""


@dataclass(frozen=True)
class Head:
    entries: int
    last_id: int
    last_hash: str


EMPTY = Head(entries=0, last_id=0, last_hash=GENESIS)


def head_path() -> Path:
    return get_settings().home_dir / FILE_NAME


def _payload(head: Head) -> bytes:
    return json.dumps(asdict(head), sort_keys=True, separators=(",", ":")).encode()


def sign(head: Head) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, _DOMAIN + _payload(head), hashlib.sha256).hexdigest()


def read_head(path: Path | None = None) -> Head | None:
    """The signed head, ``None`` when there is none; HeadError when it cannot be trusted."""
    path = path or head_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise HeadError(f"the signed head {path} cannot be read: {exc.strerror}") from exc
    try:
        data = json.loads(raw)
        head = Head(
            entries=int(data["entries"]), last_id=int(data["last_id"]), last_hash=data["last_hash"]
        )
        mac = str(data["mac"])
    except (ValueError, KeyError, TypeError) as exc:
        raise HeadError(f"the signed head {path} is not a head Tradewinds wrote") from exc
    if not hmac.compare_digest(mac, sign(head)):
        raise HeadError(
            f"the signed head {path} does not carry a valid signature: it was edited "
            "or written without the instance key"
        )
    return head


def write_head(head: Head, path: Path | None = None) -> None:
    """Replace the head atomically (a reader sees the old head or the new one, never half)."""
    path = path or head_path()
    document = {**asdict(head), "mac": sign(head)}
    fd, tmp = tempfile.mkstemp(prefix=".audit.head.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(document, fh, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _lock(path: Path) -> FileLock:
    return FileLock(f"{path}.lock", timeout=60, mode=0o600)


def _walk(start: Head, rows: Iterable[AuditEntry]) -> Head:
    """Move ``start`` forward over rows that link on from it and verify; stop at the first
    that does not."""
    from tradewinds.auth.audit import chain_key, entry_hash

    head, key = start, chain_key()
    for entry in rows:
        if entry.prev_hash != head.last_hash or entry.hash != entry_hash(
            entry, head.last_hash, key
        ):
            break
        head = Head(entries=head.entries + 1, last_id=entry.id, last_hash=entry.hash)
    return head


def advance(engine: Engine, written_ids: Iterable[int] = ()) -> Head | None:
    """Sign the committed entries that follow the head into it; the head it leaves.

    Without a head file, one is started only when the log's first entry is among
    ``written_ids`` (a new installation's first commit): a non-empty log without a head
    stays without one until someone signs it on purpose (``tradewinds audit reset-head``),
    so deleting the file cannot be covered up by the next entry.
    """
    path = head_path()
    with _lock(path), Session(engine) as session:
        try:
            head = read_head(path)
        except HeadError as exc:
            log.warning("audit log: not signing new entries: %s", exc)
            return None
        if head is None:
            first = session.scalar(select(func.min(AuditEntry.id)))
            if first is None or first not in set(written_ids):
                if first is not None:
                    log.warning(
                        "audit log: no signed head at %s for a log that already has entries; "
                        "run `tradewinds audit verify`, then `tradewinds audit reset-head`",
                        path,
                    )
                return None
            start, rows = EMPTY, _rows_after(session, 0)
        else:
            at_head = session.get(AuditEntry, head.last_id) if head.entries else None
            if head.entries and (at_head is None or at_head.hash != head.last_hash):
                log.warning(
                    "audit log: entry %s, the last one the signed head records, is missing "
                    "or changed; not signing new entries (run `tradewinds audit verify`)",
                    head.last_id,
                )
                return head
            start, rows = head, _rows_after(session, head.last_id)
        new = _walk(start, rows)
        if new != head:
            write_head(new, path)
        return new


def rebuild(engine: Engine) -> Head:
    """Sign the whole log as it stands now (after checking it), replacing any head."""
    path = head_path()
    with _lock(path), Session(engine) as session:
        new = _walk(EMPTY, _rows_after(session, 0))
        write_head(new, path)
        return new


def _rows_after(session: Session, last_id: int) -> Iterable[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id)
    return session.scalars(query.execution_options(yield_per=500))
