"""Recognised devices: a long-lived signed cookie set after a complete sign-in.

The cookie names one account (by its email) and a random device id, signed with the
instance key. A browser that carries it for the account it signs in to is throttled only
by its own failures, never by failures from other addresses — so nobody can lock an
owner out of the browser they always use. The cookie proves nothing else: the password
(and the two-step code) is still asked every time.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from tradewinds.auth.crypto import keyed_hash, token_hash
from tradewinds.db.base import utcnow

COOKIE = "tw_device"
PURPOSE = "recognised-device"
MAX_AGE = timedelta(days=365)


def _signature(email: str, device_id: str, issued: int) -> str:
    return keyed_hash(f"{email}|{device_id}|{issued}", purpose=PURPOSE)


def recognised(cookie: str | None, email: str) -> str | None:
    """The device id if ``cookie`` is a valid, unexpired device cookie for ``email``."""
    if not cookie:
        return None
    parts = cookie.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    device_id, issued, signature = parts[0], int(parts[1]), parts[2]
    if not secrets.compare_digest(signature, _signature(email, device_id, issued)):
        return None
    age = utcnow().timestamp() - issued
    if age < 0 or age > MAX_AGE.total_seconds():
        return None
    return device_id


def fingerprint(device_id: str | None) -> str | None:
    """What the login log stores for a device (never the id itself)."""
    return token_hash(device_id) if device_id else None


def issue(email: str, current: str | None) -> str:
    """A fresh device cookie for ``email``, keeping the device id the browser already has."""
    device_id = recognised(current, email) or secrets.token_urlsafe(16)
    issued = int(utcnow().timestamp())
    return f"{device_id}.{issued}.{_signature(email, device_id, issued)}"
