"""Settings: workspace, members, roles, API keys, and the user's own security (MFA)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.api.deps import SessionDep
from tradewinds.auth import apikeys, mfa, users
from tradewinds.auth.permissions import grantable_roles, matrix
from tradewinds.db.models.tenancy import Membership
from tradewinds.errors import TradewindsError
from tradewinds.markets.currencies import currency_choices
from tradewinds.web import i18n
from tradewinds.web.deps import (
    FormDep,
    KeysManager,
    MemberDep,
    MembersManager,
    MembersReader,
    WebContext,
    WorkspaceManager,
)
from tradewinds.web.frame import render
from tradewinds.web.texts import translate
from tradewinds.workspaces import service as workspace_service
from tradewinds.workspaces.schemas import WorkspaceUpdate, timezones

router = APIRouter(prefix="/settings", include_in_schema=False)


def _settings_page(
    request: Request, ctx: WebContext, template: str, status_code: int = 200, **context: object
):
    ctx.nav = "settings"
    return render(request, template, ctx.page(**context), status_code=status_code)


def _workspace_page(
    request: Request,
    ctx: WebContext,
    *,
    errors: dict[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
):
    return _settings_page(
        request,
        ctx,
        "settings/workspace.html",
        status_code=status_code,
        currencies=currency_choices(i18n.current().number_locale, keep=ctx.workspace.currency),
        timezones=sorted(timezones()),
        errors=errors or {},
        saved=saved,
    )


@router.get("")
def workspace_settings(request: Request, ctx: MemberDep):
    return _workspace_page(request, ctx)


@router.post("")
def save_workspace_settings(
    request: Request, session: SessionDep, ctx: WorkspaceManager, form: FormDep
):
    errors: dict[str, str] = {}
    try:
        update = WorkspaceUpdate(
            currency=str(form.get("currency", "")),
            timezone=str(form.get("timezone", "")),
            require_mfa=form.get("require_mfa") == "on",
        )
    except ValidationError as exc:
        for err in exc.errors():
            errors[str(err["loc"][0])] = str(err["msg"]).removeprefix("Value error, ")
    chosen = str(form.get("locale", "") or "")
    language = i18n.language_of(chosen)
    if chosen and language is None:
        errors["locale"] = i18n.gettext(
            "language: %(code)s is not one of the languages offered (%(known)s)",
            code=chosen[:40],
            known=", ".join(item.code for item in i18n.LANGUAGES),
        )
    if errors:
        return _workspace_page(request, ctx, errors=errors, status_code=422)
    # the members' default language (web/i18n.py); not part of the API's WorkspaceUpdate
    ctx.workspace.locale = language.code if language is not None else None
    workspace_service.update_workspace(
        session=session, workspace=ctx.workspace, workspace_in=update, actor=ctx.user.email
    )
    return _workspace_page(request, ctx, saved=True)


def _members(session: SessionDep, ctx: WebContext) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership)
            .where(Membership.workspace_id == ctx.workspace.id)
            .order_by(Membership.id)
        )
    )


def _members_page(
    request: Request,
    session: Session,
    ctx: WebContext,
    *,
    error: str | None = None,
    status_code: int = 200,
):
    return _settings_page(
        request,
        ctx,
        "settings/members.html",
        status_code=status_code,
        members=_members(session, ctx),
        roles=grantable_roles(ctx.role),
        error=error,
    )


@router.get("/members")
def members(request: Request, session: SessionDep, ctx: MembersReader):
    return _members_page(request, session, ctx)


@router.post("/members")
def add_member(request: Request, session: SessionDep, ctx: MembersManager, form: FormDep):
    try:
        users.create_user(
            session=session,
            email=str(form.get("email", "")),
            password=str(form.get("password", "")),
            workspace=ctx.workspace,
            role=str(form.get("role", "")),
            actor=ctx.user.email,
            actor_role=ctx.role,
        )
    except TradewindsError as exc:
        session.rollback()
        return _members_page(
            request, session, ctx, error=translate(exc.message), status_code=exc.status_code
        )
    return RedirectResponse("/settings/members", status_code=303)


@router.post("/members/{member_id}/role")
def change_member_role(
    member_id: int, request: Request, session: SessionDep, ctx: MembersManager, form: FormDep
):
    member = session.get(Membership, member_id)
    if member is None or member.workspace_id != ctx.workspace.id:
        return RedirectResponse("/settings/members", status_code=303)
    try:
        users.change_role(
            session=session,
            member=member,
            role=str(form.get("role", "")),
            actor=ctx.user.email,
            actor_role=ctx.role,
            actor_user_id=ctx.user.id,
        )
    except TradewindsError as exc:
        session.rollback()
        return _members_page(
            request, session, ctx, error=translate(exc.message), status_code=exc.status_code
        )
    return RedirectResponse("/settings/members", status_code=303)


@router.get("/roles")
def role_matrix(request: Request, ctx: MemberDep):
    return _settings_page(request, ctx, "settings/roles.html", matrix=matrix())


def _keys_page(
    request: Request,
    session: Session,
    ctx: WebContext,
    *,
    created: str | None = None,
    error: str | None = None,
    status_code: int = 200,
):
    return _settings_page(
        request,
        ctx,
        "settings/api_keys.html",
        status_code=status_code,
        created=created,
        error=error,
        roles=grantable_roles(ctx.role),
        keys=apikeys.list_keys(session=session, workspace_id=ctx.workspace.id),
    )


@router.get("/api-keys")
def api_keys(request: Request, session: SessionDep, ctx: KeysManager):
    return _keys_page(request, session, ctx)


@router.post("/api-keys")
def create_api_key(request: Request, session: SessionDep, ctx: KeysManager, form: FormDep):
    try:
        created = apikeys.create_key(
            session=session,
            workspace=ctx.workspace,
            role=str(form.get("role", "viewer")),
            name=str(form.get("name", "")).strip() or "API key",
            actor=ctx.user.email,
            actor_role=ctx.role,
        )
    except TradewindsError as exc:
        session.rollback()
        return _keys_page(
            request, session, ctx, error=translate(exc.message), status_code=exc.status_code
        )
    return _keys_page(request, session, ctx, created=created.key)


@router.post("/api-keys/{key_id}/revoke")
def revoke_api_key(key_id: int, session: SessionDep, ctx: KeysManager, form: FormDep):
    apikeys.revoke_key(
        session=session, workspace_id=ctx.workspace.id, key_id=key_id, actor=ctx.user.email
    )
    return RedirectResponse("/settings/api-keys", status_code=303)


@router.get("/security")
def security(request: Request, session: SessionDep, ctx: MemberDep):
    enrolment = None
    if not ctx.user.mfa_enabled:
        enrolment = mfa.pending_enrolment(ctx.user) or mfa.begin_enrolment(
            session=session, user=ctx.user
        )
    return _settings_page(
        request,
        ctx,
        "settings/security.html",
        enrolment=enrolment,
        codes=None,
        error=None,
        required=request.query_params.get("required") == "1",
    )


@router.post("/security/mfa")
def confirm_mfa(request: Request, session: SessionDep, ctx: MemberDep, form: FormDep):
    try:
        codes = mfa.confirm_enrolment(
            session=session, user=ctx.user, code=str(form.get("code", ""))
        )
    except TradewindsError as exc:
        return _settings_page(
            request,
            ctx,
            "settings/security.html",
            status_code=422,
            enrolment=mfa.pending_enrolment(ctx.user),
            codes=None,
            error=translate(exc.message),
            required=False,
        )
    return _settings_page(
        request,
        ctx,
        "settings/security.html",
        enrolment=None,
        codes=codes,
        error=None,
        required=False,
    )


@router.post("/security/recovery-codes")
def new_recovery_codes(request: Request, session: SessionDep, ctx: MemberDep, form: FormDep):
    codes = mfa.regenerate_recovery_codes(session=session, user=ctx.user)
    return _settings_page(
        request,
        ctx,
        "settings/security.html",
        enrolment=None,
        codes=codes,
        error=None,
        required=False,
    )
