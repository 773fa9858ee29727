"""Secrets at rest (TOTP seeds, connector credentials) encrypted with the instance key."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken

from tradewinds.config import get_settings


def _fernet(purpose: str) -> Fernet:
    digest = hmac.new(get_settings().secret_key.encode(), purpose.encode(), hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(value: str, *, purpose: str) -> str:
    return _fernet(purpose).encrypt(value.encode()).decode()


def decrypt(token: str, *, purpose: str) -> str:
    try:
        return _fernet(purpose).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("secret cannot be decrypted with this instance's key") from exc


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a value under the instance key (hex)."""
    key = hmac.new(get_settings().secret_key.encode(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """SHA-256 of a high-entropy random token (session tokens, API keys, recovery codes)."""
    return hashlib.sha256(token.encode()).hexdigest()
