"""Sign in (password, then TOTP when enabled), sign out, switch workspace."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from tradewinds.api.deps import SessionDep, client_ip
from tradewinds.auth import audit, devices, login, mfa, sessions
from tradewinds.db.engine import session_factory
from tradewinds.db.models.tenancy import User
from tradewinds.errors import Unauthorized
from tradewinds.web.cookies import clear_session_cookie, set_cookie, set_session_cookie
from tradewinds.web.deps import PRE_SESSION_COOKIE, FormDep, MemberDep, pre_session_token, public
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _
from tradewinds.web.texts import translate
from tradewinds.workspaces.service import workspaces_of

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _login_page(
    request: Request,
    session: Session,
    *,
    error: str | None = None,
    email: str = "",
    status_code: int = 200,
):
    current = sessions.lookup(session=session, token=request.cookies.get(sessions.COOKIE))
    token = current.csrf_token if current is not None else pre_session_token(request)
    response = render(
        request,
        "auth/login.html",
        {
            "csrf_token": token,
            "error": error,
            "email": email,
            "next": _safe_next(request.query_params.get("next")),
        },
        status_code=status_code,
    )
    set_cookie(response, PRE_SESSION_COOKIE, token, max_age=3600)
    return response


@router.get("/login", dependencies=[Depends(public)])
def login_form(request: Request, session: SessionDep):
    return _login_page(request, session)


@router.post("/login", dependencies=[Depends(public)])
def login_submit(request: Request, session: SessionDep, form: FormDep):
    email = str(form.get("email", ""))
    password = str(form.get("password", ""))
    ip = client_ip(request)
    # The attempt is committed in its own transaction, so failures count even when refused.
    attempt = session_factory()()
    device_cookie = request.cookies.get(devices.COOKIE)
    try:
        user_id = login.authenticate(
            session=attempt, email=email, password=password, ip=ip, device_cookie=device_cookie
        ).id
    except Unauthorized as exc:
        attempt.commit()
        return _login_page(
            request, session, error=translate(exc.message), email=email, status_code=exc.status_code
        )
    else:
        attempt.commit()
    finally:
        attempt.close()
    user = session.get(User, user_id)
    assert user is not None
    memberships = workspaces_of(session=session, user_id=user.id)
    # Start in the oldest of the user's workspaces (the switcher lists them by name).
    workspace_id = min((ws.id for ws, _ in memberships), default=None)
    issued = sessions.issue(
        session=session,
        user=user,
        workspace_id=workspace_id,
        mfa_passed=not user.mfa_enabled,
        ip=ip,
        replaces=request.cookies.get(sessions.COOKIE),
    )
    next_url = _safe_next(str(form.get("next", "/")))
    if user.mfa_enabled:
        location = f"/login/mfa?next={next_url}"
    else:
        audit.record(
            session,
            action="auth.login",
            actor=user.email,
            workspace_id=workspace_id,
            target=f"user:{user.email}",
            ip=ip,
        )
        location = next_url
    response = RedirectResponse(location, status_code=303)
    set_session_cookie(response, issued.token)
    response.delete_cookie(PRE_SESSION_COOKIE, path="/")
    if not user.mfa_enabled:
        _recognise_device(request, response, user)
    return response


def _recognise_device(request: Request, response: Response, user: User) -> None:
    """After a complete sign-in, remember this browser for the account (see auth.devices)."""
    value = devices.issue(user.email, request.cookies.get(devices.COOKIE))
    set_cookie(response, devices.COOKIE, value, max_age=int(devices.MAX_AGE.total_seconds()))


def _pending(request: Request, session: SessionDep):
    record = sessions.lookup(session=session, token=request.cookies.get(sessions.COOKIE))
    if record is None:
        return None, None
    return record, session.get(User, record.user_id)


@router.get("/login/mfa", dependencies=[Depends(public)])
def mfa_form(request: Request, session: SessionDep):
    record, user = _pending(request, session)
    if record is None or user is None:
        return RedirectResponse("/login", status_code=303)
    if record.mfa_passed:
        return RedirectResponse("/", status_code=303)
    return render(
        request,
        "auth/mfa.html",
        {
            "csrf_token": record.csrf_token,
            "error": None,
            "next": _safe_next(request.query_params.get("next")),
        },
    )


@router.post("/login/mfa", dependencies=[Depends(public)])
def mfa_submit(request: Request, session: SessionDep, form: FormDep):
    record, user = _pending(request, session)
    if record is None or user is None:
        return RedirectResponse("/login", status_code=303)
    ip = client_ip(request)
    code = str(form.get("code", ""))
    device_cookie = request.cookies.get(devices.COOKIE)
    passed = mfa.verify(session=session, user=user, code=code)
    login.second_step(session=session, user=user, ip=ip, device_cookie=device_cookie, passed=passed)
    if not passed:
        audit.record(
            session, action="auth.mfa_failed", actor=user.email, target=f"user:{user.email}", ip=ip
        )
        user.failed_logins += 1
        if user.failed_logins >= 5:
            sessions.revoke(session=session, token=request.cookies.get(sessions.COOKIE, ""))
            response = RedirectResponse("/login", status_code=303)
            clear_session_cookie(response)
            return response
        return render(
            request,
            "auth/mfa.html",
            {
                "csrf_token": record.csrf_token,
                "next": str(form.get("next", "/")),
                "error": _(
                    "That code is not valid. Use the current code from your "
                    "authenticator app, or one of your recovery codes."
                ),
            },
            status_code=401,
        )
    user.failed_logins = 0
    issued = sessions.issue(
        session=session,
        user=user,
        workspace_id=record.workspace_id,
        mfa_passed=True,
        ip=ip,
        replaces=request.cookies.get(sessions.COOKIE),
    )
    audit.record(
        session,
        action="auth.login",
        actor=user.email,
        workspace_id=record.workspace_id,
        target=f"user:{user.email}",
        ip=ip,
        details={"mfa": True},
    )
    response = RedirectResponse(_safe_next(str(form.get("next", "/"))), status_code=303)
    set_session_cookie(response, issued.token)
    _recognise_device(request, response, user)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, ctx: MemberDep, form: FormDep):
    audit.record(
        session,
        action="auth.logout",
        actor=ctx.user.email,
        workspace_id=ctx.workspace.id,
        target=f"user:{ctx.user.email}",
        ip=client_ip(request),
    )
    sessions.revoke(session=session, token=request.cookies.get(sessions.COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response


@router.post("/workspace/switch")
def switch_workspace(request: Request, ctx: MemberDep, form: FormDep):
    wanted = str(form.get("workspace_id", ""))
    for ws, _role in ctx.workspaces:
        if str(ws.id) == wanted:
            ctx.record.workspace_id = ws.id
            break
    back = _safe_next(str(form.get("next", "/")))
    return RedirectResponse(back, status_code=303)
