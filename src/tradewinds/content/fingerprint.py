"""Creative fingerprints: each approved variant's SHA-256 in the tamper-evident audit log.

Approving a variant appends an entry ``content.approved`` to the audit log
(``auth/audit.py``, an HMAC chain keyed with the instance secret), in the approver's
transaction: its target is ``sha256:<hex>`` of the variant's *normalised* text, its details
the market, platform, field, product and the text itself. :func:`approvals_of` finds every
approval of a text in a workspace and says whether the entry is still the one written.

Normalising makes the same copy give the same fingerprint however it was typed or pasted:

1. Unicode NFKC (full-width ``ＡＢＣ１２３`` → ``ABC123``, ligatures ``ﬁ`` → ``fi``, the
   compatibility forms of CJK punctuation and Arabic presentation forms to their letters);
2. case folded (``Straße`` → ``strasse``, ``İ`` → ``i̇``);
3. every run of white space (spaces, tabs, line breaks, no-break and ideographic spaces)
   made one space, and none at either end.

Nothing else changes: punctuation, emoji, digits and word order still count, so an edited
variant is a different creative.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.auth import audit
from tradewinds.content.models import Variant
from tradewinds.db.models.audit import AuditEntry

ACTION = "content.approved"
PREFIX = "sha256:"
_SPACE = re.compile(r"\s+")
MAX_TEXT = 5_000


def normalise(text: str) -> str:
    """The text a fingerprint is taken of (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", folded).strip()


def fingerprint(text: str) -> str:
    """SHA-256 (hex) of the normalised text's UTF-8 bytes."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Approval:
    """One approval of a creative, as the audit log keeps it."""

    entry_id: int
    sha256: str
    at: datetime
    actor: str
    text: str
    details: dict[str, Any]
    intact: bool  # the entry's HMAC still matches what was written

    def as_json(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "sha256": self.sha256,
            "approved_at": self.at.isoformat(),
            "approved_by": self.actor,
            "text": self.text,
            "market": self.details.get("market"),
            "platform": self.details.get("platform"),
            "field": self.details.get("field"),
            "product_id": self.details.get("product_id"),
            "intact": self.intact,
        }


def approve(
    session: Session,
    *,
    workspace_id: int,
    actor: str,
    text: str,
    variant: Variant | None = None,
    ip: str | None = None,
) -> Approval:
    """Record that ``actor`` approved ``text`` (commits with the caller's transaction)."""
    if not text.strip():
        raise ValueError("an empty text cannot be approved")
    if len(text) > MAX_TEXT:
        raise ValueError(f"the text is longer than {MAX_TEXT} characters")
    digest = fingerprint(text)
    details: dict[str, Any] = {"sha256": digest, "text": text, "normalised": "nfkc-casefold-ws"}
    if variant is not None:
        details.update(
            product_id=variant.product_id,
            market=variant.market,
            language=variant.language,
            platform=variant.platform,
            field=variant.field,
            length=variant.length,
            limit=variant.limit,
            verdict=variant.verdict,
        )
    entry = audit.record(
        session,
        action=ACTION,
        actor=actor,
        workspace_id=workspace_id,
        target=PREFIX + digest,
        details=details,
        ip=ip,
    )
    return _approval(entry, intact=True)


def _approval(entry: AuditEntry, *, intact: bool) -> Approval:
    details = dict(entry.details or {})
    return Approval(
        entry_id=entry.id,
        sha256=entry.target[len(PREFIX) :],
        at=entry.at,
        actor=entry.actor,
        text=str(details.get("text", "")),
        details=details,
        intact=intact,
    )


def approvals_of(session: Session, *, workspace_id: int, text: str) -> list[Approval]:
    """Every approval of ``text`` (normalised) in the workspace, oldest first."""
    target = PREFIX + fingerprint(text)
    rows = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.workspace_id == workspace_id,
            AuditEntry.action == ACTION,
            AuditEntry.target == target,
        )
        .order_by(AuditEntry.id)
    )
    key = audit.chain_key()
    return [_approval(e, intact=e.hash == audit.entry_hash(e, e.prev_hash, key)) for e in rows]


def approved_hashes(session: Session, *, workspace_id: int, texts: list[str]) -> set[str]:
    """Which of ``texts`` were approved in the workspace: their fingerprints."""
    wanted = {PREFIX + fingerprint(t) for t in texts}
    if not wanted:
        return set()
    found = session.scalars(
        select(AuditEntry.target).where(
            AuditEntry.workspace_id == workspace_id,
            AuditEntry.action == ACTION,
            AuditEntry.target.in_(sorted(wanted)),
        )
    )
    return {t[len(PREFIX) :] for t in found}
