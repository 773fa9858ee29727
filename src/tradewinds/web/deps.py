"""Who is signed in, in which workspace; CSRF protection for every form."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from tradewinds.api.deps import SessionDep
from tradewinds.auth import sessions
from tradewinds.auth.access import GATES, Grant, ReportAccess, check_permission, grant
from tradewinds.auth.permissions import allowed
from tradewinds.db.models.credentials import WebSession
from tradewinds.db.models.tenancy import User, Workspace
from tradewinds.errors import Forbidden
from tradewinds.web import i18n
from tradewinds.workspaces.service import workspaces_of

PRE_SESSION_COOKIE = "tw_csrf"
MFA_REQUIRED_ROLES = {"owner", "admin"}


class Redirect(Exception):
    """Raised by page dependencies to send the browser elsewhere (303)."""

    def __init__(self, location: str) -> None:
        self.location = location


@dataclass
class WebContext:
    user: User
    record: WebSession
    workspace: Workspace
    role: str
    workspaces: list[tuple[Workspace, str]]
    nav: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    grant: Grant | None = None  # set by ``reading``: the report this page shows

    @property
    def csrf_token(self) -> str:
        return self.record.csrf_token

    def can(self, permission: str) -> bool:
        return allowed(self.role, permission)

    def require(self, permission: str) -> None:
        check_permission(self.role, permission)

    def page(self, **context: Any) -> dict[str, Any]:
        """Template context for a page inside the frame; on a report page, money the role
        may not see reads "—" (and ``money_hidden`` holds the note saying why)."""
        if self.grant is not None:
            context = self.grant.mask(context)
        return {"ctx": self, "csrf_token": self.csrf_token, **context}

    def strip_csv(self, text: str) -> str:
        """A report page's CSV download without the money columns the role may not see."""
        assert self.grant is not None, "strip_csv() needs a page declared with reading(report)"
        return self.grant.strip_csv(text)


def mfa_enrolment_due(user: User, workspaces: list[tuple[Workspace, str]]) -> bool:
    return not user.mfa_enabled and any(
        ws.require_mfa and role in MFA_REQUIRED_ROLES for ws, role in workspaces
    )


def _login_redirect(request: Request) -> Redirect:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(f"/login?next={quote(target)}")


def signed_in(request: Request, session: SessionDep) -> WebContext:
    record = sessions.lookup(session=session, token=request.cookies.get(sessions.COOKIE))
    if record is None:
        raise _login_redirect(request)
    if not record.mfa_passed:
        raise Redirect("/login/mfa")
    user = session.get(User, record.user_id)
    if user is None or not user.is_active:
        raise _login_redirect(request)
    memberships = workspaces_of(session=session, user_id=user.id)
    if not memberships:
        raise Forbidden("you are not a member of any workspace; ask an owner to invite you")
    current = next(((ws, r) for ws, r in memberships if ws.id == record.workspace_id), None)
    if current is None:
        current = memberships[0]
        record.workspace_id = current[0].id
    i18n.adopt(user.locale, current[0].locale)
    ctx = WebContext(
        user=user, record=record, workspace=current[0], role=current[1], workspaces=memberships
    )
    if mfa_enrolment_due(user, memberships) and not request.url.path.startswith(
        "/settings/security"
    ):
        raise Redirect("/settings/security?required=1")
    return ctx


WebDep = Annotated[WebContext, Depends(signed_in)]


def needs(permission: str) -> Callable[[WebContext], WebContext]:
    """Page dependency: signed in, and the role grants ``permission`` (else 403).

    The dependency carries ``permission`` so tests can read what every page needs."""

    def check(ctx: WebDep) -> WebContext:
        ctx.require(permission)
        return ctx

    check.permission = permission  # type: ignore[attr-defined]
    return check


def reads(access: ReportAccess) -> Callable[[WebContext], WebContext]:
    """Page dependency for a report page: the same ``grant`` as the API's and the CLI's."""

    def check(ctx: WebDep) -> WebContext:
        ctx.grant = grant(ctx.role, access)
        return ctx

    check.permission = access.permission  # type: ignore[attr-defined]
    check.report = access  # type: ignore[attr-defined]
    return check


def needing(permission: str) -> Any:
    """``Annotated[WebContext, Depends(needs(permission))]`` for a page's signature."""
    return Annotated[WebContext, Depends(needs(permission))]


def reading(access: ReportAccess) -> Any:
    """``Annotated[WebContext, Depends(reads(access))]`` for a report page's signature."""
    return Annotated[WebContext, Depends(reads(access))]


def public() -> None:
    """Marks a page anyone may open, signed in or not (the sign-in pages)."""


public.permission = None  # type: ignore[attr-defined]


def gate(name: str) -> Any:
    """``needing(GATES[name])``: the page's side of the named check of ``auth.access.GATES``
    (the API declares the same names in ``api/deps.py``)."""
    return needing(GATES[name])


WorkspaceReader = gate("WorkspaceReader")
WorkspaceManager = gate("WorkspaceManager")
MembersReader = gate("MembersReader")
MembersManager = gate("MembersManager")
KeysManager = gate("KeysManager")
AuditReader = gate("AuditReader")
DataImporter = gate("DataImporter")
DataReader = gate("DataReader")
SqlRunner = gate("SqlRunner")
FinanceReader = gate("FinanceReader")
ComplianceChecker = gate("ComplianceChecker")
ComplianceManager = gate("ComplianceManager")
AudienceExporter = gate("AudienceExporter")
ContentWriter = gate("ContentWriter")

# Pages every member sees (every role has workspace.read).
MemberDep = WorkspaceReader


def _expected_token(request: Request, session: Session) -> str | None:
    record = sessions.lookup(session=session, token=request.cookies.get(sessions.COOKIE))
    if record is not None:
        return record.csrf_token
    return request.cookies.get(PRE_SESSION_COOKIE)


async def checked_form(request: Request, session: SessionDep) -> FormData:
    """The submitted form, after checking its CSRF token (every POST form uses this)."""
    form = await request.form()
    sent = str(form.get("csrf_token", ""))
    expected = _expected_token(request, session)
    if not expected or not sent or not secrets.compare_digest(sent, expected):
        raise Forbidden("the form expired or did not come from this site; reload and try again")
    return form


FormDep = Annotated[FormData, Depends(checked_form)]


def pre_session_token(request: Request) -> str:
    return request.cookies.get(PRE_SESSION_COOKIE) or secrets.token_urlsafe(32)
