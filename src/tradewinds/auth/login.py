"""Password login with throttling and temporary lockout."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tradewinds.auth import audit
from tradewinds.auth.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from tradewinds.auth.users import normalise_email
from tradewinds.config import get_settings
from tradewinds.db.base import utcnow
from tradewinds.db.models.credentials import LoginAttempt
from tradewinds.db.models.tenancy import User
from tradewinds.errors import InvalidInput, TooManyRequests, Unauthorized

IP_FAILURE_LIMIT = 30  # failed logins from one address within the lockout window
GENERIC = "the email or password is not correct"


def authenticate(*, session: Session, email: str, password: str, ip: str) -> User:
    """Return the user if the password is right; lock the account after repeated failures.

    Raises Unauthorized (wrong credentials) or TooManyRequests (locked or throttled).
    Failures are committed by the caller even when this raises, so they always count.
    """
    settings = get_settings()
    now = utcnow()
    window = timedelta(minutes=settings.login_lockout_minutes)
    try:
        address = normalise_email(email)
    except InvalidInput:
        address = email.strip().lower()[:320]

    ip_failures = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.ip == ip, LoginAttempt.success.is_(False), LoginAttempt.at > now - window
        )
    )
    if ip_failures >= IP_FAILURE_LIMIT:
        raise TooManyRequests("too many failed logins from this address; try again later")

    user = session.scalar(select(User).where(User.email == address))
    if user is not None and user.locked_until is not None and user.locked_until > now:
        minutes = int((user.locked_until - now).total_seconds() // 60) + 1
        session.add(LoginAttempt(email=address, ip=ip, success=False))
        raise TooManyRequests(
            f"this account is locked after repeated failed logins; try again in {minutes} minutes"
        )

    ok = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if not ok or user is None or not user.is_active:
        session.add(LoginAttempt(email=address, ip=ip, success=False))
        details: dict[str, object] = {"ip": ip}
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= settings.login_max_failures:
                user.locked_until = now + window
                user.failed_logins = 0
                details["locked_until"] = user.locked_until.isoformat()
        audit.record(
            session,
            action="auth.login_failed",
            actor=address,
            target=f"user:{address}",
            details=details,
            ip=ip,
        )
        raise Unauthorized(GENERIC)

    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    session.add(LoginAttempt(email=address, ip=ip, success=True))
    return user
