"""`tradewinds user …` and `tradewinds apikey …`"""

from __future__ import annotations

import sys

import typer

from tradewinds.cli.context import WorkspaceOption, cli_actor, resolve_workspace
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.db.engine import session_scope
from tradewinds.errors import TradewindsError

users_group = typer.Typer(help="Users and their roles.", no_args_is_help=True)
keys_group = typer.Typer(help="API keys.", no_args_is_help=True)


@users_group.command("create")
def create_user(
    email: str = typer.Argument(...),
    workspace: str = WorkspaceOption,
    role: str = typer.Option(
        ..., "--role", help="owner, admin, marketer, analyst, finance, viewer"
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="read the password from standard input"
    ),
    as_json: bool = JsonOption,
) -> None:
    """Create a user (or add an existing one) as a member of a workspace."""
    from tradewinds.auth import users

    password = sys.stdin.readline().rstrip("\n") if password_stdin else ""
    if not password_stdin:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
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
        typer.echo(f"{result['email']} is now {role} of {result['workspace']}.")


def _membership(session, workspace: str, email: str):
    from tradewinds.auth import users
    from tradewinds.errors import NotFound

    ws = resolve_workspace(session, workspace)
    user = users.get_user(session=session, email=email)
    if user is None:
        raise NotFound(f"no user {email!r}")
    try:
        return ws, users.membership(session=session, workspace_id=ws.id, user_id=user.id)
    except NotFound as exc:
        raise NotFound(f"{user.email} is not a member of {ws.name}") from exc


@users_group.command("set-role")
def set_role(
    email: str = typer.Argument(...),
    workspace: str = WorkspaceOption,
    role: str = typer.Option(
        ..., "--role", help="owner, admin, marketer, analyst, finance, viewer"
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
        typer.echo(f"{result['email']} is now {result['role']} of {result['workspace']}.")


@users_group.command("remove")
def remove_member(
    email: str = typer.Argument(...),
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
        typer.echo(f"{result['email']} is no longer a member of {result['workspace']}.")


@keys_group.command("create")
def create_key(
    workspace: str = WorkspaceOption,
    role: str = typer.Option(..., "--role"),
    name: str = typer.Option("CLI key", "--name"),
    as_json: bool = JsonOption,
) -> None:
    """Create an API key; it is printed once and stored only as a hash."""
    from tradewinds.auth import apikeys

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            created = apikeys.create_key(
                session=session, workspace=ws, role=role, name=name, actor=cli_actor()
            )
            result = {
                "key": created.key,
                "id": created.record.id,
                "prefix": created.record.prefix,
                "workspace": ws.name,
                "role": role,
            }
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json(result)
    else:
        typer.echo(result["key"])
        typer.echo(f"(role {role} in {result['workspace']}; shown once — store it now)", err=True)


@keys_group.command("revoke")
def revoke_key(
    prefix: str = typer.Argument(..., help="the key's prefix (the part after 'tw_')"),
    workspace: str = WorkspaceOption,
    as_json: bool = JsonOption,
) -> None:
    """Revoke an API key."""
    from sqlalchemy import select

    from tradewinds.auth import apikeys
    from tradewinds.db.models.credentials import ApiKey

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            key_id = session.scalar(
                select(ApiKey.id).where(ApiKey.prefix == prefix, ApiKey.workspace_id == ws.id)
            )
            if key_id is None:
                fail(f"no API key {prefix!r} in {ws.name}", as_json=as_json, code="not_found")
            apikeys.revoke_key(
                session=session, workspace_id=ws.id, key_id=key_id, actor=cli_actor()
            )
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json({"revoked": prefix})
    else:
        typer.echo(f"Revoked tw_{prefix}_…")


def register(app: typer.Typer) -> None:
    app.add_typer(users_group, name="user")
    app.add_typer(keys_group, name="apikey")
