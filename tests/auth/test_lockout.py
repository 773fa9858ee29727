"""Sign-in refusals look alike, back off per account and address, and never lock an owner
out of the browser they always use.

Time passes by moving the login log's timestamps back, never by sleeping.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tradewinds.auth import devices, login, throttle
from tradewinds.db.base import utcnow
from tradewinds.db.engine import session_scope
from tradewinds.db.models.credentials import LoginAttempt

from ..web.browser import csrf_from

ATTACKER = "203.0.113.66"
OWNER_HOME = "198.51.100.10"
ELSEWHERE = "192.0.2.44"
CAP = timedelta(minutes=15)


def browser(client: TestClient, ip: str) -> TestClient:
    """Another browser on the same server, coming from ``ip``."""
    return TestClient(client.app, base_url="https://testserver", client=(ip, 50000))


def sign_in(c: TestClient, email: str, password: str):
    page = c.get("/login")
    return c.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


def age_login_log(by: timedelta) -> None:
    """Let ``by`` pass for every attempt in the login log."""
    with session_scope() as session:
        for attempt in session.scalars(select(LoginAttempt)):
            attempt.at -= by


def verdict(email: str, ip: str, device: str | None = None) -> throttle.Verdict:
    with session_scope() as session:
        return throttle.check(
            session, email=email, source=throttle.Source(ip, device), now=utcnow()
        )


def fail_until_waiting_at_the_cap(
    c: TestClient, email: str, ip: str, device: str | None = None
) -> None:
    """Wrong passwords from ``ip`` (or ``device``), each after the previous wait is over,
    until the pair waits the longest (15 minutes)."""
    while True:
        assert sign_in(c, email, "a wrong password").status_code == 401
        state = verdict(email, ip, device)
        if state.retry_at is not None and state.retry_at - utcnow() > CAP - timedelta(minutes=1):
            return
        age_login_log(timedelta(hours=1))


def test_backoff_ladder():
    waits = [throttle.backoff(n, free=5, cap=CAP).total_seconds() for n in range(0, 18)]
    assert waits == [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
    assert throttle.backoff(10**6, free=5, cap=CAP) == CAP


def _comparable(response, email: str) -> tuple[int, dict[str, str], str]:
    """Status, headers and body, less what differs between any two responses (the date,
    the request id, a per-response CSP nonce) and the email the page shows back."""
    nonce = re.compile(r"nonce-[A-Za-z0-9+/=_-]+|nonce=\"[^\"]*\"")
    headers = {
        k: nonce.sub("nonce", v)
        for k, v in response.headers.items()
        if k.lower() not in ("date", "x-request-id")
    }
    return response.status_code, headers, nonce.sub("nonce", response.text).replace(email, "EMAIL")


def test_unknown_wrong_and_waiting_accounts_answer_alike(client, tenants, monkeypatch):
    unknown = "ghost@alpha-shop.example"
    assert len(unknown) == len(tenants.a.owner_email) == len(tenants.b.owner_email)
    attacker = browser(client, ATTACKER)
    fail_until_waiting_at_the_cap(attacker, tenants.a.owner_email, ATTACKER)

    checks: list[str] = []
    real_verify = login.verify_password

    def counting_verify(password_hash: str, password: str) -> bool:
        checks.append(password_hash)
        return real_verify(password_hash, password)

    monkeypatch.setattr(login, "verify_password", counting_verify)
    answers = {
        "unknown account": (sign_in(attacker, unknown, "whatever-password"), unknown),
        "wrong password": (
            sign_in(attacker, tenants.b.owner_email, "a wrong password"),
            tenants.b.owner_email,
        ),
        "waiting, right password": (
            sign_in(attacker, tenants.a.owner_email, tenants.a.owner_password),
            tenants.a.owner_email,
        ),
    }
    seen = {name: _comparable(r, email) for name, (r, email) in answers.items()}
    first = seen["unknown account"]
    assert (
        first[0] == 401 and "not correct" in first[2] and "try again in a few minutes" in first[2]
    )
    for name, answer in seen.items():
        assert answer == first, f"{name} answers differently from an unknown account"
    # every refusal ran one password hash check, the unknown account's too
    assert len(checks) == 3
    with session_scope() as session:
        failed = session.scalar(
            select(func.count()).select_from(LoginAttempt).where(LoginAttempt.email == unknown)
        )
    assert failed == 1  # an unknown email is counted like any other


def test_waiting_pair_is_refused_even_with_the_right_password_then_let_in(client, tenants):
    attacker = browser(client, ATTACKER)
    fail_until_waiting_at_the_cap(attacker, tenants.a.owner_email, ATTACKER)
    refused = sign_in(attacker, tenants.a.owner_email, tenants.a.owner_password)
    assert refused.status_code == 401 and attacker.cookies.get("tw_session") is None
    age_login_log(CAP + timedelta(seconds=1))
    allowed = sign_in(attacker, tenants.a.owner_email, tenants.a.owner_password)
    assert allowed.status_code == 303
    assert verdict(tenants.a.owner_email, ATTACKER).pair_failures == 0  # success ends the run


def test_back_off_grows_with_each_failure_of_the_pair(client, tenants):
    attacker = browser(client, ATTACKER)
    waits = []
    for _ in range(17):
        assert sign_in(attacker, tenants.a.owner_email, "a wrong password").status_code == 401
        with session_scope() as session:
            last = session.scalar(select(func.max(LoginAttempt.at)))
        state = verdict(tenants.a.owner_email, ATTACKER)
        waits.append(
            0 if state.retry_at is None else round((state.retry_at - last).total_seconds())
        )
        age_login_log(timedelta(hours=1))
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]


def test_attacker_cannot_lock_the_owner_out(client, tenants):
    owner = browser(client, OWNER_HOME)
    assert sign_in(owner, tenants.a.owner_email, tenants.a.owner_password).status_code == 303
    assert owner.cookies.get(devices.COOKIE), "a complete sign-in recognises the browser"

    attacker = browser(client, ATTACKER)
    fail_until_waiting_at_the_cap(attacker, tenants.a.owner_email, ATTACKER)
    # another address is not held back by the attacker's failures
    elsewhere = browser(client, ELSEWHERE)
    assert sign_in(elsewhere, tenants.a.owner_email, tenants.a.owner_password).status_code == 303

    # a botnet: many addresses, each failing a few times, trips the account-wide limit
    with session_scope() as session:
        for n in range(throttle.ACCOUNT_FACTOR * 5):
            session.add(
                LoginAttempt(
                    email=tenants.a.owner_email, ip=f"10.9.{n // 250}.{n % 250}", success=False
                )
            )
    new_browser = browser(client, "192.0.2.99")
    assert sign_in(new_browser, tenants.a.owner_email, tenants.a.owner_password).status_code == 401

    # the owner's recognised browser still gets in, at home and even from the attacker's
    # own address
    assert sign_in(owner, tenants.a.owner_email, tenants.a.owner_password).status_code == 303
    travelling = browser(client, ATTACKER)
    travelling.cookies.set(devices.COOKIE, owner.cookies.get(devices.COOKIE))
    assert sign_in(travelling, tenants.a.owner_email, tenants.a.owner_password).status_code == 303

    # once the window has passed, new browsers get in again
    age_login_log(CAP + timedelta(seconds=1))
    assert sign_in(new_browser, tenants.a.owner_email, tenants.a.owner_password).status_code == 303


def test_recognised_device_still_backs_off_on_its_own_failures(client, tenants):
    owner = browser(client, OWNER_HOME)
    assert sign_in(owner, tenants.a.owner_email, tenants.a.owner_password).status_code == 303
    device = devices.fingerprint(
        devices.recognised(owner.cookies.get(devices.COOKIE), tenants.a.owner_email)
    )
    fail_until_waiting_at_the_cap(owner, tenants.a.owner_email, OWNER_HOME, device)
    assert sign_in(owner, tenants.a.owner_email, tenants.a.owner_password).status_code == 401
    # those failures are the device's own: the address's count is untouched, and another
    # browser at the same address is not held back
    assert verdict(tenants.a.owner_email, OWNER_HOME).pair_failures == 0
    other = browser(client, OWNER_HOME)
    assert sign_in(other, tenants.a.owner_email, tenants.a.owner_password).status_code == 303


def test_device_cookie_works_only_for_its_account_and_only_unaltered(tw_home):
    cookie = devices.issue("owner@shop.example", None)
    device_id = devices.recognised(cookie, "owner@shop.example")
    assert device_id
    assert devices.recognised(cookie, "someone@else.example") is None
    assert (
        devices.recognised(cookie[:-1] + ("0" if cookie[-1] != "0" else "1"), "owner@shop.example")
        is None
    )
    assert devices.recognised("nonsense", "owner@shop.example") is None
    assert devices.recognised(None, "owner@shop.example") is None
    # signing in again keeps the same device
    assert (
        devices.recognised(devices.issue("owner@shop.example", cookie), "owner@shop.example")
        == device_id
    )
    device, issued, signature = cookie.split(".")
    old = int(issued) - int(devices.MAX_AGE.total_seconds()) - 1
    expired = f"{device}.{old}.{devices._signature('owner@shop.example', device, old)}"
    assert devices.recognised(expired, "owner@shop.example") is None


def test_wrong_two_step_codes_count_for_the_pair(client, tenants):
    import pyotp

    from tradewinds.auth import mfa
    from tradewinds.db.models.tenancy import User

    with session_scope() as session:
        user = session.scalar(select(User).where(User.email == tenants.a.owner_email))
        enrol = mfa.begin_enrolment(session=session, user=user)
        mfa.confirm_enrolment(session=session, user=user, code=pyotp.TOTP(enrol.secret).now())
    attacker = browser(client, ATTACKER)
    for _ in range(3):
        step = sign_in(attacker, tenants.a.owner_email, tenants.a.owner_password)
        assert step.headers["location"].startswith("/login/mfa")
        page = attacker.get("/login/mfa")
        attacker.post("/login/mfa", data={"code": "000000", "csrf_token": csrf_from(page.text)})
    # the right password does not wipe out the wrong codes before it
    assert verdict(tenants.a.owner_email, ATTACKER).pair_failures == 3
    assert attacker.cookies.get(devices.COOKIE) is None  # never recognised without the code


@pytest.mark.parametrize("cookie", ["", "x.y.z", "a.1.b"])
def test_a_bad_device_cookie_is_ignored(client, tenants, cookie):
    c = browser(client, OWNER_HOME)
    c.cookies.set(devices.COOKIE, cookie)
    assert sign_in(c, tenants.a.owner_email, tenants.a.owner_password).status_code == 303
