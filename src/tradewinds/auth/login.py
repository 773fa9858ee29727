"""Password sign-in with back-off per account and address (see auth.throttle).

Every refusal — unknown email, wrong password, disabled account, or an attempt that
has to wait — raises the same ``Unauthorized(GENERIC)``, after the same work (one
password hash check, one log entry, one audit entry), so neither the answer nor its
timing says whether an account exists or is being throttled.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.auth import audit, devices, throttle
from tradewinds.auth.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from tradewinds.auth.users import normalise_email
from tradewinds.db.base import utcnow
from tradewinds.db.models.tenancy import User
from tradewinds.errors import InvalidInput, Unauthorized
from tradewinds.i18n_markers import Text

GENERIC = Text(
    "The email or password is not correct. Check your details, or try again in a few minutes."
)


def address_of(email: str) -> str:
    """The email as the login log keys it (normalised when it is a valid address)."""
    try:
        return normalise_email(email)
    except InvalidInput:
        return email.strip().lower()[:320]


def source_of(*, email: str, ip: str, device_cookie: str | None) -> throttle.Source:
    """The attempt's address, and its device when the browser is recognised for ``email``."""
    device_id = devices.recognised(device_cookie, address_of(email))
    return throttle.Source(ip=ip, device=devices.fingerprint(device_id))


def authenticate(
    *, session: Session, email: str, password: str, ip: str, device_cookie: str | None = None
) -> User:
    """Return the user if the password is right and the attempt need not wait.

    Raises Unauthorized with one message for every refusal. Failures are committed by
    the caller even when this raises, so they always count.
    """
    now = utcnow()
    address = address_of(email)
    source = source_of(email=email, ip=ip, device_cookie=device_cookie)
    verdict = throttle.check(session, email=address, source=source, now=now)
    user = session.scalar(select(User).where(User.email == address))
    ok = verify_password(user.password_hash if user else DUMMY_HASH, password)

    if verdict.blocked or not ok or user is None or not user.is_active:
        details: dict[str, object] = {"ip": ip, "recognised_device": source.device is not None}
        if verdict.blocked:
            details["waiting"] = verdict.reason
            if verdict.retry_at is not None:
                details["retry_at"] = verdict.retry_at.isoformat()
        else:
            throttle.record(session, email=address, source=source, success=False)
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
    if not user.mfa_enabled:  # with two-step on, the sign-in succeeds only after the code
        throttle.record(session, email=address, source=source, success=True)
    return user


def second_step(
    *, session: Session, user: User, ip: str, device_cookie: str | None, passed: bool
) -> None:
    """Log the two-step check: a wrong code counts as a failure of the pair, like a wrong
    password, and only a right one ends the pair's run of failures."""
    source = source_of(email=user.email, ip=ip, device_cookie=device_cookie)
    throttle.record(session, email=user.email, source=source, success=passed)
