"""A person signs in with a password and a TOTP code, switches workspace, looks around."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

pytestmark = pytest.mark.e2e


def _seed_user_with_mfa() -> tuple[str, str, str]:
    from tradewinds.auth import mfa, users
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import User
    from tradewinds.workspaces import service
    from tradewinds.workspaces.schemas import WorkspaceCreate

    email, password = "owner@shop.example", "a-long-password-1"
    with session_scope() as session:
        shop = service.create_workspace(
            session=session,
            actor="test",
            workspace_in=WorkspaceCreate(
                name="Lantern Gifts UK", currency="GBP", timezone="Europe/London", region="uk"
            ),
        )
        eu = service.create_workspace(
            session=session,
            actor="test",
            workspace_in=WorkspaceCreate(
                name="Lantern Gifts EU", currency="EUR", timezone="Europe/Berlin", region="eu"
            ),
        )
        users.create_user(
            session=session,
            email=email,
            password=password,
            workspace=shop,
            role="owner",
            actor="test",
        )
        user = session.scalar(select(User).where(User.email == email))
        users.add_member(session=session, workspace=eu, user=user, role="analyst", actor="test")
        enrol = mfa.begin_enrolment(session=session, user=user)
        mfa.confirm_enrolment(session=session, user=user, code=pyotp.TOTP(enrol.secret).now())
        user.last_totp_step = None  # let the next sign-in use the current code again
    return email, password, enrol.secret


def test_sign_in_with_totp_and_switch_workspace(live_server, browser, shots):
    email, password, secret = _seed_user_with_mfa()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")
    assert "/login" in page.url
    page.screenshot(path=str(shots / "login-laptop.png"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/login/mfa**")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("button[type=submit]")
    page.wait_for_selector("nav#nav")
    assert page.locator("#workspace-switch option:checked").inner_text().startswith(
        "Lantern Gifts EU"
    ) or page.locator("#workspace-switch option:checked").inner_text().startswith(
        "Lantern Gifts UK"
    )
    page.goto(f"{live_server.url}/settings")
    page.wait_for_selector("h2")
    first = page.locator("section.card h2").first.inner_text()
    other = "Lantern Gifts UK" if first == "Lantern Gifts EU" else "Lantern Gifts EU"
    page.select_option(
        "#workspace-switch", label=f"{other} ({'owner' if 'UK' in other else 'analyst'})"
    )
    page.wait_for_function(
        "name => document.querySelector('section.card h2').innerText === name", arg=other
    )
    assert page.locator("section.card h2").first.inner_text() == other
    page.screenshot(path=str(shots / "settings-laptop.png"), full_page=True)
    page.goto(f"{live_server.url}/settings/roles")
    page.screenshot(path=str(shots / "roles-laptop.png"), full_page=True)

    phone = browser.new_page(viewport={"width": 360, "height": 740})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/settings/members")
    assert phone.locator("nav#nav").is_hidden()
    phone.click("[data-nav-toggle]")
    assert phone.locator("nav#nav").is_visible()
    phone.screenshot(path=str(shots / "members-phone.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px phone"
    phone.screenshot(path=str(shots / "members-phone.png"), full_page=True)


def test_wrong_code_is_explained(live_server, browser):
    email, password, _secret = _seed_user_with_mfa()
    page = browser.new_page()
    page.goto(f"{live_server.url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/login/mfa**")
    page.fill("#code", "000000")
    page.click("button[type=submit]")
    assert "not valid" in page.locator(".error").inner_text()
