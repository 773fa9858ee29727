"""Sign-in, MFA, lockout, CSRF, sessions and workspace switching through the web pages."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import sqlalchemy as sa

from tradewinds.db.engine import get_engine, session_scope
from tradewinds.db.models.credentials import LoginAttempt
from tradewinds.db.models.tenancy import Membership, User, Workspace

from .browser import csrf_from, login, post_form


def test_login_sets_a_hardened_cookie_and_shows_the_frame(client, tenants):
    response = login(client, tenants.a.owner_email, tenants.a.owner_password)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert "tw_session=" in cookie and "httponly" in cookie and "secure" in cookie
    assert "samesite=lax" in cookie
    page = client.get("/")
    assert page.status_code == 200
    assert "Alpha Shop" in page.text and "Overview" in page.text


def test_session_is_rotated_at_login(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    first = client.cookies.get("tw_session")
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    second = client.cookies.get("tw_session")
    assert first and second and first != second
    # the old token no longer works
    client.cookies.set("tw_session", first, domain="testserver.local")
    client.cookies.clear()
    client.cookies.set("tw_session", first)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_wrong_passwords_answer_alike_and_are_audited(client, tenants):
    for _ in range(5):
        response = login(client, tenants.a.owner_email, "not the password")
        assert response.status_code == 401
        assert "not correct" in response.text and "try again in a few minutes" in response.text
    assert client.cookies.get("tw_session") is None
    with session_scope() as session:
        actions = session.scalars(sa.text("SELECT action FROM audit_log")).all()
        for attempt in session.scalars(sa.select(LoginAttempt)):
            attempt.at -= timedelta(hours=1)  # the back-off (tests/auth/test_lockout.py) is over
    assert actions.count("auth.login_failed") == 5
    assert login(client, tenants.a.owner_email, tenants.a.owner_password).status_code == 303


def test_forms_without_csrf_token_are_refused(client, tenants):
    response = client.post(
        "/login", data={"email": tenants.a.owner_email, "password": tenants.a.owner_password}
    )
    assert response.status_code == 403
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    for path in [
        "/logout",
        "/workspace/switch",
        "/settings",
        "/settings/members",
        "/settings/api-keys",
        "/settings/security/mfa",
    ]:
        assert client.post(path, data={"csrf_token": "forged"}).status_code == 403, path


def test_every_web_post_route_checks_csrf(client, tenants):
    """Walks the app's POST routes outside the API: each refuses a forged token."""
    from fastapi.routing import APIRoute  # noqa: F401  (documented route type)

    login(client, tenants.a.owner_email, tenants.a.owner_password)
    posts = []

    def walk(routes, prefix=""):
        for route in routes:
            path = getattr(route, "path", None)
            methods = getattr(route, "methods", None) or set()
            if path and "POST" in methods:
                posts.append(path)
            inner = getattr(route, "original_router", None)
            if inner is not None:
                ctx = getattr(route, "include_context", None)
                walk(inner.routes, getattr(ctx, "prefix", "") or "")

    walk(client.app.routes)
    web_posts = [p for p in posts if not p.startswith(("/api/", "/v1/"))]
    assert "/login" in web_posts or any(p.endswith("/login") for p in web_posts)
    for path in web_posts:
        url = path.replace("{member_id}", "1").replace("{key_id}", "1")
        url = url.replace("{", "").replace("}", "")
        status = client.post(url, data={"csrf_token": "forged"}).status_code
        assert status in (403, 404, 405), f"POST {path} answered {status} to a forged token"


def test_mfa_enrolment_then_two_step_login(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/settings/security")
    assert "otpauth" not in page.text  # the URI is in the QR code, the key is shown
    with session_scope() as session:
        user = session.scalar(sa.select(User).where(User.email == tenants.a.owner_email))
        from tradewinds.auth import mfa

        secret = mfa.pending_enrolment(user).secret
    done = client.post(
        "/settings/security/mfa",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(page.text)},
    )
    assert done.status_code == 200 and "Recovery codes" in done.text
    post_form(client, "/", "/logout", {})
    step1 = login(client, tenants.a.owner_email, tenants.a.owner_password)
    assert step1.headers["location"].startswith("/login/mfa")
    assert client.get("/", follow_redirects=False).headers["location"] == "/login/mfa"
    mfa_page = client.get("/login/mfa")
    bad = client.post("/login/mfa", data={"code": "123456", "csrf_token": csrf_from(mfa_page.text)})
    assert bad.status_code == 401
    # a fresh time step is needed (the enrolment used the current one)
    with session_scope() as session:
        user = session.scalar(sa.select(User).where(User.email == tenants.a.owner_email))
        user.last_totp_step -= 2
    code = pyotp.TOTP(secret).now()
    ok = client.post(
        "/login/mfa",
        data={"code": code, "csrf_token": csrf_from(mfa_page.text)},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert client.get("/").status_code == 200


def test_workspace_requiring_mfa_sends_owner_to_setup(client, tenants):
    with session_scope() as session:
        session.get(Workspace, tenants.a.workspace_id).require_mfa = True
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    response = client.get("/settings", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/settings/security?required=1"


def test_switch_between_workspaces(client, tenants):
    with session_scope() as session:
        user = session.scalar(sa.select(User).where(User.email == tenants.a.owner_email))
        session.add(
            Membership(workspace_id=tenants.b.workspace_id, user_id=user.id, role="analyst")
        )
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/settings")
    assert "<h2>Alpha Shop</h2>" in page.text
    client.post(
        "/workspace/switch",
        data={
            "workspace_id": str(tenants.b.workspace_id),
            "csrf_token": csrf_from(page.text),
            "next": "/settings",
        },
    )
    page = client.get("/settings")
    assert "<h2>Bravo Shop</h2>" in page.text and "analyst" in page.text
    # an analyst may not manage keys in B
    assert client.get("/settings/api-keys").status_code == 403


def test_idle_session_expires(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    assert client.get("/", follow_redirects=False).status_code == 200
    with get_engine().begin() as conn:
        from tradewinds.db.base import utcnow

        conn.execute(
            sa.text("UPDATE web_sessions SET last_seen_at = :t"),
            {"t": utcnow() - timedelta(hours=3)},
        )
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_api_key_page_shows_key_once_and_revokes(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    created = post_form(
        client, "/settings/api-keys", "/settings/api-keys", {"name": "nightly", "role": "analyst"}
    )
    assert "shown only this once" in created.text
    import re

    key = re.search(r'data-testid="new-key">([^<]+)<', created.text).group(1)
    assert (
        client.get("/api/v1/workspace", headers={"Authorization": f"Bearer {key}"}).status_code
        == 200
    )
    listing = client.get("/settings/api-keys")
    assert key not in listing.text
    key_id = re.findall(r"/settings/api-keys/(\d+)/revoke", listing.text)[-1]
    post_form(client, "/settings/api-keys", f"/settings/api-keys/{key_id}/revoke", {})
    assert (
        client.get("/api/v1/workspace", headers={"Authorization": f"Bearer {key}"}).status_code
        == 401
    )


def test_pages_render_for_every_nav_section(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    from tradewinds.web.frame import navigation

    for item in navigation():
        response = client.get(item.path)
        assert response.status_code == 200, item.path
        assert 'aria-current="page"' in response.text
