"""TOTP multi-factor authentication (RFC 6238) with recovery codes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pyotp
import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.auth import audit
from tradewinds.auth.crypto import decrypt, encrypt, token_hash
from tradewinds.db.base import utcnow
from tradewinds.db.models.credentials import RecoveryCode
from tradewinds.db.models.tenancy import User
from tradewinds.errors import InvalidInput
from tradewinds.i18n_markers import Text

ISSUER = "Tradewinds"
PURPOSE = "totp-seed"
RECOVERY_CODES = 10


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str
    qr_svg: str


def begin_enrolment(*, session: Session, user: User) -> Enrolment:
    """Create a pending TOTP seed; it becomes active once a code from it is confirmed."""
    secret = pyotp.random_base32()
    user.totp_pending_enc = encrypt(secret, purpose=PURPOSE)
    session.flush()
    return enrolment_for(user.email, secret)


def enrolment_for(email: str, secret: str) -> Enrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff")
    return Enrolment(secret=secret, uri=uri, qr_svg=svg)


def pending_enrolment(user: User) -> Enrolment | None:
    if not user.totp_pending_enc:
        return None
    return enrolment_for(user.email, decrypt(user.totp_pending_enc, purpose=PURPOSE))


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step a code belongs to (±1 step of drift), refusing a replayed step."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    step_now = int(now.timestamp()) // totp.interval
    for step in (step_now, step_now - 1, step_now + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            if last_step is not None and step <= last_step:
                return None
            return step
    return None


def confirm_enrolment(*, session: Session, user: User, code: str) -> list[str]:
    """Activate the pending seed if the code matches; returns fresh recovery codes."""
    if not user.totp_pending_enc:
        raise InvalidInput(Text("start MFA setup first"))
    secret = decrypt(user.totp_pending_enc, purpose=PURPOSE)
    step = _matching_step(secret, code, None)
    if step is None:
        raise InvalidInput(
            Text("that code is not valid — check the time on your phone and try again")
        )
    user.totp_secret_enc = user.totp_pending_enc
    user.totp_pending_enc = None
    user.mfa_enabled = True
    user.last_totp_step = step
    codes = _new_recovery_codes(session=session, user=user)
    audit.record(session, action="mfa.enable", actor=user.email, target=f"user:{user.email}")
    return codes


def disable(*, session: Session, user: User, actor: str) -> None:
    user.totp_secret_enc = None
    user.totp_pending_enc = None
    user.mfa_enabled = False
    user.last_totp_step = None
    for rc in session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        session.delete(rc)
    audit.record(session, action="mfa.disable", actor=actor, target=f"user:{user.email}")


def _new_recovery_codes(*, session: Session, user: User) -> list[str]:
    for rc in session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        session.delete(rc)
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    for c in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=token_hash(c)))
    session.flush()
    return codes


def regenerate_recovery_codes(*, session: Session, user: User) -> list[str]:
    codes = _new_recovery_codes(session=session, user=user)
    audit.record(
        session, action="mfa.recovery_codes", actor=user.email, target=f"user:{user.email}"
    )
    return codes


def verify(*, session: Session, user: User, code: str) -> bool:
    """Check a TOTP code or an unused recovery code (which is then spent)."""
    if not user.mfa_enabled or not user.totp_secret_enc:
        return False
    secret = decrypt(user.totp_secret_enc, purpose=PURPOSE)
    step = _matching_step(secret, code, user.last_totp_step)
    if step is not None:
        user.last_totp_step = step
        return True
    rc = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == token_hash(code.strip().lower()),
            RecoveryCode.used_at.is_(None),
        )
    )
    if rc is not None:
        rc.used_at = utcnow()
        audit.record(
            session, action="mfa.recovery_code_used", actor=user.email, target=f"user:{user.email}"
        )
        return True
    return False
