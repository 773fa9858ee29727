"""`tradewinds user …`: the members of a workspace and their roles."""

from __future__ import annotations

import sys

import typer

from tradewinds.cli.context import WorkspaceOption, cli_actor, resolve_workspace
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import ngettext
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.db.engine import session_scope
from tradewinds.errors import TradewindsError
from tradewinds.i18n_markers import Text

users_group = typer.Typer(help=_("Users and their roles."), no_args_is_help=True)


@users_group.command(
    "list", help=_("List a workspace's members: e-mail, role, two-step sign-in, since when.")
)
def list_members(workspace: str = WorkspaceOption, as_json: bool = JsonOption) -> None:
    """List a workspace's members: e-mail, role, two-step sign-in, since when."""
    from sqlalchemy import select

    from tradewinds.db.models.tenancy import Membership

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            rows = [
                {
                    "email": m.user.email,
                    "role": m.role,
                    "mfa": bool(m.user.mfa_enabled),
                    "active": bool(m.user.is_active),
                    "member_since": m.created_at.isoformat(timespec="seconds"),
                }
                for m in session.scalars(
                    select(Membership)
                    .where(Membership.workspace_id == ws.id)
                    .order_by(Membership.id)
                )
            ]
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json({"workspace": ws.name, "members": rows})
        return
    typer.echo(
        ngettext(
            "%(num)s member of %(workspace)s:",
            "%(num)s members of %(workspace)s:",
            len(rows),
            workspace=ws.name,
        )
    )
    for r in rows:
        mfa = "mfa" if r["mfa"] else "no-mfa"
        state = "" if r["active"] else "\t" + _("disabled")
        typer.echo(f"{r['email']}\t{r['role']}\t{mfa}\t{r['member_since'][:10]}{state}")


@users_group.command(
    "create", help=_("Create a user (or add an existing one) as a member of a workspace.")
)
def create_user(
    email: str = typer.Argument(..., help=_("the user's e-mail address")),
    workspace: str = WorkspaceOption,
    role: str = typer.Option(
        ..., "--role", help=_("owner, admin, marketer, analyst, finance, viewer")
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help=_("read the password from standard input")
    ),
    as_json: bool = JsonOption,
) -> None:
    """Create a user (or add an existing one) as a member of a workspace."""
    from tradewinds.auth import users

    password = sys.stdin.readline().rstrip("\n") if password_stdin else ""
    if not password_stdin:
        password = typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            user = users.create_user(
                session=session,
                email=email,
                password=password,
                workspace=ws,
                role=role,
                actor=cli_actor(),
            )
            result = {"email": user.email, "workspace": ws.name, "role": role}
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json(result)
    else:
        typer.echo(
            _(
                "%(email)s is now %(role)s of %(workspace)s.",
                email=result["email"],
                role=role,
                workspace=result["workspace"],
            )
        )


def _membership(session, workspace: str, email: str):
    from tradewinds.auth import users
    from tradewinds.errors import NotFound

    ws = resolve_workspace(session, workspace)
    user = users.get_user(session=session, email=email)
    if user is None:
        raise NotFound(Text("no user %(email)s", email=repr(email)))
    try:
        return ws, users.membership(session=session, workspace_id=ws.id, user_id=user.id)
    except NotFound as exc:
        raise NotFound(
            Text("%(email)s is not a member of %(workspace)s", email=user.email, workspace=ws.name)
        ) from exc


@users_group.command(
    "set-role", help=_("Change a member's role (the workspace must keep at least one owner).")
)
def set_role(
    email: str = typer.Argument(..., help=_("the member's e-mail address")),
    workspace: str = WorkspaceOption,
    role: str = typer.Option(
        ..., "--role", help=_("owner, admin, marketer, analyst, finance, viewer")
    ),
    as_json: bool = JsonOption,
) -> None:
    """Change a member's role (the workspace must keep at least one owner)."""
    from tradewinds.auth import users

    try:
        with session_scope() as session:
            ws, member = _membership(session, workspace, email)
            users.change_role(
                session=session, member=member, role=role, actor=cli_actor(), actor_role=None
            )
            result = {"email": member.user.email, "workspace": ws.name, "role": member.role}
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json(result)
    else:
        typer.echo(
            _(
                "%(email)s is now %(role)s of %(workspace)s.",
                email=result["email"],
                role=result["role"],
                workspace=result["workspace"],
            )
        )


@users_group.command(
    "remove",
    help=_("Remove a member from a workspace (never its last owner); their API keys stop."),
)
def remove_member(
    email: str = typer.Argument(..., help=_("the member's e-mail address")),
    workspace: str = WorkspaceOption,
    as_json: bool = JsonOption,
) -> None:
    """Remove a member from a workspace (never its last owner); their API keys stop."""
    from tradewinds.auth import users

    try:
        with session_scope() as session:
            ws, member = _membership(session, workspace, email)
            result = {"email": member.user.email, "workspace": ws.name, "removed": True}
            users.remove_member(session=session, member=member, actor=cli_actor(), actor_role=None)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json(result)
    else:
        typer.echo(
            _(
                "%(email)s is no longer a member of %(workspace)s.",
                email=result["email"],
                workspace=result["workspace"],
            )
        )


def register(app: typer.Typer) -> None:
    app.add_typer(users_group, name="user")
