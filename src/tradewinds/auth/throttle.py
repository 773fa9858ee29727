"""Sign-in throttling: back-off per account and address, never a lockout of everyone.

Three counters, all read from the login log (``login_attempts``):

* **pair** — failures for one account from one address (or from one recognised device),
  since that pair last signed in successfully: the first ``free`` are free, then each
  further attempt waits 1 s, 2 s, 4 s … up to ``cap``;
* **account** — failures for one account from every unrecognised address within the
  window: past ``ACCOUNT_FACTOR × free`` the account is refused everywhere *except* on its
  recognised devices;
* **address** — failures from one address for any account within the window (password
  spraying), refused except on recognised devices.

Counters are kept by the email as typed (normalised), whether or not such an account
exists, so throttling never tells anyone which accounts exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tradewinds.config import get_settings
from tradewinds.db.models.credentials import LoginAttempt

ACCOUNT_FACTOR = 10  # the per-account limit is this many times the per-pair free failures
ADDRESS_LIMIT = 30  # failures from one address, any account, within the window
PAIR_MEMORY = timedelta(days=1)  # a pair's failures older than this are forgotten


@dataclass(frozen=True)
class Source:
    """Where an attempt comes from: an address, and the recognised device if there is one."""

    ip: str
    device: str | None = None  # fingerprint of the recognised device (auth.devices)


@dataclass(frozen=True)
class Verdict:
    blocked: bool
    reason: str | None  # "pair", "account" or "address"; for the audit log, never the page
    pair_failures: int
    retry_at: datetime | None  # when the pair may try again (None: now)


def backoff(failures: int, *, free: int, cap: timedelta) -> timedelta:
    """How long a pair waits after its ``failures``-th failure in a row."""
    if failures < free:
        return timedelta(0)
    exponent = failures - free
    if exponent >= 40:  # far past any cap; keeps the arithmetic small
        return cap
    return min(timedelta(seconds=2**exponent), cap)


def _pair(email: str, source: Source) -> list[ColumnElement[bool]]:
    if source.device is not None:
        return [LoginAttempt.email == email, LoginAttempt.device == source.device]
    return [
        LoginAttempt.email == email,
        LoginAttempt.ip == source.ip,
        LoginAttempt.device.is_(None),
    ]


def _failures(session: Session, *conditions: ColumnElement[bool]) -> int:
    return session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.success.is_(False), *conditions)
    )


def check(session: Session, *, email: str, source: Source, now: datetime) -> Verdict:
    """May this attempt be judged on its password, or must it wait?"""
    settings = get_settings()
    free = settings.login_max_failures
    cap = timedelta(minutes=settings.login_lockout_minutes)
    pair = _pair(email, source)
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.success.is_(True), *pair)
    )
    since = now - PAIR_MEMORY
    if last_success is not None and last_success > since:
        since = last_success
    failures, last_failure = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.success.is_(False), LoginAttempt.at > since, *pair
        )
    ).one()
    retry_at = None
    if failures and last_failure is not None:
        wait = backoff(failures, free=free, cap=cap)
        if wait and now < last_failure + wait:
            retry_at = last_failure + wait
    if retry_at is not None:
        return Verdict(True, "pair", failures, retry_at)
    if source.device is None:
        window = LoginAttempt.at > now - cap
        unrecognised = LoginAttempt.device.is_(None)
        if _failures(session, LoginAttempt.email == email, unrecognised, window) >= (
            ACCOUNT_FACTOR * free
        ):
            return Verdict(True, "account", failures, None)
        if _failures(session, LoginAttempt.ip == source.ip, unrecognised, window) >= ADDRESS_LIMIT:
            return Verdict(True, "address", failures, None)
    return Verdict(False, None, failures, None)


def record(session: Session, *, email: str, source: Source, success: bool) -> None:
    session.add(LoginAttempt(email=email, ip=source.ip, device=source.device, success=success))


def forget(session: Session, *, email: str) -> None:
    """Drop an account's past attempts, so every address starts afresh (the demo login)."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
