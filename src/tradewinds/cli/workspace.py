"""`tradewinds workspace …`"""

from __future__ import annotations

import typer
from pydantic import ValidationError

from tradewinds.cli.context import cli_actor
from tradewinds.cli.language import gettext as _
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.db.engine import session_scope
from tradewinds.errors import TradewindsError
from tradewinds.workspaces import service
from tradewinds.workspaces.schemas import WorkspaceCreate, WorkspacePublic

group = typer.Typer(help=_("Workspaces (one per shop or brand)."), no_args_is_help=True)


def validation_message(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {str(e['msg']).removeprefix('Value error, ')}"
        for e in exc.errors()
    )


@group.command("create", help=_("Create a workspace."))
def create(
    name: str = typer.Argument(..., help=_("workspace name")),
    currency: str = typer.Option(..., "--currency", help=_("reporting currency, ISO 4217")),
    timezone: str = typer.Option(..., "--timezone", help=_("IANA timezone, e.g. Europe/London")),
    region: str = typer.Option(..., "--region", help=_("data region: eu, uk, us, apac, cn, …")),
    require_mfa: bool = typer.Option(False, "--require-mfa", help=_("owners/admins must use MFA")),
    as_json: bool = JsonOption,
) -> None:
    """Create a workspace."""
    try:
        ws_in = WorkspaceCreate(
            name=name, currency=currency, timezone=timezone, region=region, require_mfa=require_mfa
        )
    except ValidationError as exc:
        fail(validation_message(exc), as_json=as_json, code="invalid_input")
    try:
        with session_scope() as session:
            ws = service.create_workspace(session=session, workspace_in=ws_in, actor=cli_actor())
            public = WorkspacePublic.model_validate(ws)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json(public.model_dump(mode="json"))
    else:
        typer.echo(
            _(
                "Created workspace %(name)s (key %(key)s, %(currency)s, %(timezone)s, "
                "region %(region)s).",
                name=repr(public.name),
                key=public.key,
                currency=public.currency,
                timezone=public.timezone,
                region=public.region,
            )
        )


@group.command("list", help=_("List workspaces."))
def list_workspaces(as_json: bool = JsonOption) -> None:
    """List workspaces."""
    from sqlalchemy import select

    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        rows = [
            WorkspacePublic.model_validate(w).model_dump(mode="json")
            for w in session.scalars(select(Workspace).order_by(Workspace.name))
        ]
    if as_json:
        emit_json(rows)
        return
    for w in rows:
        typer.echo(
            f"{w['name']:<30} {w['key']:<24} {w['currency']}  {w['timezone']}  {w['region']}"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="workspace")
