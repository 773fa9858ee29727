"""Browser sessions: random tokens in Secure/HttpOnly/SameSite cookies, hashed at rest."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tradewinds.auth.crypto import token_hash
from tradewinds.config import get_settings
from tradewinds.db.base import utcnow
from tradewinds.db.models.credentials import WebSession
from tradewinds.db.models.tenancy import User

COOKIE = "tw_session"


@dataclass(frozen=True)
class IssuedSession:
    token: str
    record: WebSession


def issue(
    *,
    session: Session,
    user: User,
    workspace_id: int | None,
    mfa_passed: bool,
    ip: str,
    replaces: str | None = None,
) -> IssuedSession:
    """Start a session with a fresh token; the token it replaces (if any) stops working."""
    if replaces:
        revoke(session=session, token=replaces)
    token = secrets.token_urlsafe(32)
    record = WebSession(
        token_hash=token_hash(token),
        user_id=user.id,
        workspace_id=workspace_id,
        mfa_passed=mfa_passed,
        csrf_token=secrets.token_urlsafe(32),
        ip=ip,
    )
    session.add(record)
    session.flush()
    return IssuedSession(token, record)


def lookup(*, session: Session, token: str | None) -> WebSession | None:
    """The live session for a token, touching its idle timer; None when missing or expired."""
    if not token:
        return None
    record = session.scalar(select(WebSession).where(WebSession.token_hash == token_hash(token)))
    if record is None:
        return None
    settings = get_settings()
    now = utcnow()
    idle = timedelta(minutes=settings.session_idle_minutes)
    max_age = timedelta(hours=settings.session_max_hours)
    if record.last_seen_at + idle < now or record.created_at + max_age < now:
        session.delete(record)
        return None
    if (now - record.last_seen_at).total_seconds() > 30:
        record.last_seen_at = now
    return record


def revoke(*, session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))


def revoke_all(*, session: Session, user_id: int) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))
