"""`tradewinds apikey …`: REST API keys (created, listed, revoked)."""

from __future__ import annotations

import typer

from tradewinds.cli.context import WorkspaceOption, cli_actor, resolve_workspace
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import ngettext
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.db.engine import session_scope
from tradewinds.errors import TradewindsError
from tradewinds.i18n_markers import Text

group = typer.Typer(help=_("API keys."), no_args_is_help=True)


def _stamp(moment) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


@group.command(
    "list",
    help=_("List a workspace's API keys: prefix, name, role, created, last used (never the key)."),
)
def list_keys(
    workspace: str = WorkspaceOption,
    all_keys: bool = typer.Option(False, "--all", help=_("include revoked keys")),
    as_json: bool = JsonOption,
) -> None:
    """List a workspace's API keys: prefix, name, role, created, last used (never the key)."""
    from tradewinds.auth import apikeys

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            rows = [
                {
                    "id": k.id,
                    "prefix": k.prefix,
                    "name": k.name,
                    "role": k.role,
                    "created_by": k.created_by,
                    "created_at": _stamp(k.created_at),
                    "last_used_at": _stamp(k.last_used_at),
                    "revoked_at": _stamp(k.revoked_at),
                }
                for k in apikeys.list_keys(session=session, workspace_id=ws.id)
                if all_keys or k.revoked_at is None
            ]
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json({"workspace": ws.name, "keys": rows})
        return
    typer.echo(
        ngettext(
            "%(num)s API key of %(workspace)s:",
            "%(num)s API keys of %(workspace)s:",
            len(rows),
            workspace=ws.name,
        )
    )
    for r in rows:
        used = (r["last_used_at"] or _("never used"))[:19]
        state = "\t" + _("revoked %(day)s", day=r["revoked_at"][:10]) if r["revoked_at"] else ""
        created = _("created %(day)s", day=r["created_at"][:10])
        typer.echo(f"tw_{r['prefix']}_…\t{r['name']}\t{r['role']}\t{created}\t{used}{state}")


@group.command("create", help=_("Create an API key; it is printed once and stored only as a hash."))
def create_key(
    workspace: str = WorkspaceOption,
    role: str = typer.Option(
        ..., "--role", help=_("owner, admin, marketer, analyst, finance, viewer")
    ),
    name: str = typer.Option("CLI key", "--name", help=_("a name to tell the key by")),
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
        typer.echo(
            _(
                "(role %(role)s in %(workspace)s; shown once — store it now)",
                role=role,
                workspace=result["workspace"],
            ),
            err=True,
        )


@group.command("revoke", help=_("Revoke an API key."))
def revoke_key(
    prefix: str = typer.Argument(..., help=_("the key's prefix (the part after 'tw_')")),
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
                fail(
                    Text(
                        "no API key %(prefix)s in %(workspace)s",
                        prefix=repr(prefix),
                        workspace=ws.name,
                    ),
                    as_json=as_json,
                    code="not_found",
                )
            apikeys.revoke_key(
                session=session, workspace_id=ws.id, key_id=key_id, actor=cli_actor()
            )
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json({"revoked": prefix})
    else:
        typer.echo(_("Revoked %(key)s", key="tw_" + prefix + "_…"))


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="apikey")
