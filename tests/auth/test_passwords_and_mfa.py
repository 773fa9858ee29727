from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from tradewinds.auth import mfa
from tradewinds.auth.passwords import WeakPassword, check_strength, hash_password, verify_password
from tradewinds.db.engine import session_scope
from tradewinds.db.models.tenancy import User


def test_argon2id_hashes_verify():
    h = hash_password("correct horse battery")
    assert h.startswith("$argon2id$")
    assert verify_password(h, "correct horse battery")
    assert not verify_password(h, "wrong horse battery")


@pytest.mark.parametrize("pw", ["short", "1234567890123"])
def test_weak_passwords(pw):
    with pytest.raises(WeakPassword):
        check_strength(pw)


def test_totp_enrolment_and_replay(tenants):
    with session_scope() as session:
        user = session.scalar(select(User).where(User.email == tenants.a.owner_email))
        enrol = mfa.begin_enrolment(session=session, user=user)
        assert enrol.uri.startswith("otpauth://totp/Tradewinds:")
        assert "<svg" in enrol.qr_svg
        with pytest.raises(Exception, match="not valid"):
            mfa.confirm_enrolment(session=session, user=user, code="000000")
        codes = mfa.confirm_enrolment(
            session=session, user=user, code=pyotp.TOTP(enrol.secret).now()
        )
        assert len(codes) == 10 and user.mfa_enabled
        # The enrolment code's time step is spent: the same code cannot sign in again.
        assert not mfa.verify(session=session, user=user, code=pyotp.TOTP(enrol.secret).now())
        # A recovery code works once.
        assert mfa.verify(session=session, user=user, code=codes[0])
        assert not mfa.verify(session=session, user=user, code=codes[0])
        assert user.totp_secret_enc and enrol.secret not in user.totp_secret_enc
