"""Password hashing with argon2id."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from tradewinds.i18n_markers import Text

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile defaults

MIN_LENGTH = 10


class WeakPassword(ValueError):
    pass


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            Text("the password must be at least %(length)s characters long", length=MIN_LENGTH)
        )
    if password.isdigit():
        raise WeakPassword(Text("the password must not be only digits"))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# Verified against when the email is unknown, so response time does not reveal accounts.
DUMMY_HASH = _hasher.hash("not-a-real-password")
