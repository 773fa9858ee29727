"""`tradewinds source …`: event sources (Segment-compatible write keys) and their events."""

from __future__ import annotations

import typer

from tradewinds.cli.context import WorkspaceOption
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import ngettext, translate
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.errors import TradewindsError
from tradewinds.ingest.sources import CONNECTOR_SETTINGS, KINDS

group = typer.Typer(
    help=_("Event sources: write keys, collected events, failed events."), no_args_is_help=True
)


@group.command(
    "create",
    help=_(
        "Create a source. Segment: prints its write key (shown only once). "
        "Shopify and Meta: stores the access token encrypted; run `tradewinds "
        "source sync` to read data."
    ),
)
def create(
    workspace: str = WorkspaceOption,
    kind: str = typer.Option(
        "segment", "--kind", help=_("kind of source: %(kinds)s", kinds=" | ".join(KINDS))
    ),
    name: str | None = typer.Option(None, "--name", help=_("a name to tell the source by")),
    storefront: str = typer.Option(
        "web", "--storefront", help=_("prefix for order ids from this source's events")
    ),
    shop_url: str | None = typer.Option(
        None, "--shop-url", help=_("shopify: my-shop.myshopify.com")
    ),
    ad_account: str | None = typer.Option(None, "--ad-account", help=_("meta: act_1234…")),
    token_stdin: bool = typer.Option(
        False, "--token-stdin", help=_("shopify/meta: read the access token from standard input")
    ),
    as_json: bool = JsonOption,
) -> None:
    """Create a source. Segment: prints its write key (shown only once). Shopify and Meta:
    stores the access token encrypted; run `tradewinds source sync` to read data."""
    import sys

    from tradewinds.cli.context import cli_actor, resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.ingest.sources import create_source

    settings: dict[str, str] | None = None
    if kind in CONNECTOR_SETTINGS:
        token = sys.stdin.readline().strip() if token_stdin else ""
        if not token_stdin:
            token = typer.prompt(_("Access token"), hide_input=True)
        settings = {"access_token": token}
        if shop_url:
            settings["shop_url"] = shop_url
        if ad_account:
            settings["ad_account_id"] = ad_account
    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            source, write_key = create_source(
                session=session,
                workspace=ws,
                kind=kind,
                name=name,
                storefront=storefront,
                actor=cli_actor(),
                settings=settings,
            )
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if settings is not None:
        if as_json:
            emit_json({"source_id": source.id, "kind": source.kind, "name": source.name})
        else:
            command = f"tradewinds source sync --workspace {workspace!r} --id {source.id}"
            typer.echo(
                _(
                    "Source %(id)s (%(kind)s) created; its token is stored encrypted. Read "
                    "data with: %(command)s",
                    id=source.id,
                    kind=source.kind,
                    command=command,
                )
            )
        return
    if as_json:
        emit_json({"write_key": write_key})
        return
    typer.echo(
        _(
            "Source %(id)s (%(kind)s) created. Write key (shown once):",
            id=source.id,
            kind=source.kind,
        )
    )
    typer.echo(write_key)
    typer.echo(_("Send events to POST /v1/track, /v1/batch … with it as the basic-auth user."))


@group.command("list", help=_("List the workspace's sources."))
def list_(workspace: str = WorkspaceOption, as_json: bool = JsonOption) -> None:
    """List the workspace's sources."""
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.ingest.sources import list_sources

    try:
        with session_scope() as session:
            items = list_sources(session=session, workspace=resolve_workspace(session, workspace))
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json({"sources": [vars(s) for s in items]})
        return
    for s in items:
        state = _("revoked") if s.revoked else _("live")
        typer.echo(f"{s.id}\t{s.kind}\t{s.name}\t{s.write_key_prefix}…\t{s.storefront}\t{state}")


@group.command(
    "drain",
    help=_("Move collected events into the warehouse (events, orders, touchpoints, identities)."),
)
def drain(
    workspace: str = WorkspaceOption,
    prune: bool = typer.Option(True, help=_("forget drained events older than the dedup window")),
    as_json: bool = JsonOption,
) -> None:
    """Move collected events into the warehouse (events, orders, touchpoints, identities)."""
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.ingest.eventlog import drain_workspace
    from tradewinds.ingest.sources import storefront_for

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            key, storefront = ws.key, storefront_for(session=session, workspace=ws)
        result = drain_workspace(workspace_key=key, storefront=storefront, prune=prune)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json({"events": result.events, "rows": result.rows, "pruned": result.pruned})
        return
    tables = ", ".join(f"{t} {n}" for t, n in sorted((result.rows or {}).items())) or _("none")
    typer.echo(
        ngettext(
            "Drained %(num)s event into the warehouse (%(tables)s).",
            "Drained %(num)s events into the warehouse (%(tables)s).",
            result.events,
            tables=tables,
        )
    )


@group.command(
    "sync", help=_("Read new data from a live connector (Shopify, Meta) into the warehouse.")
)
def sync(
    workspace: str = WorkspaceOption,
    source_id: int = typer.Option(..., "--id", help=_("source id (see `tradewinds source list`)")),
    as_json: bool = JsonOption,
) -> None:
    """Read new data from a live connector (Shopify, Meta) into the warehouse."""
    from datetime import UTC, datetime

    from tradewinds.cli.context import cli_actor, resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.ingest.sources import sync_connector

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            result = sync_connector(
                session=session,
                workspace=ws,
                source_id=source_id,
                actor=cli_actor(),
                today=datetime.now(UTC).date(),
            )
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json({"read": result.read, "tables": result.tables, "errors": result.errors})
        return
    tables = ", ".join(
        _(
            "%(table)s %(inserted)s new / %(updated)s changed",
            table=t,
            inserted=c["inserted"],
            updated=c["updated"],
        )
        for t, c in result.tables.items()
    ) or _("nothing")
    typer.echo(
        ngettext(
            "Read %(num)s record: %(tables)s.",
            "Read %(num)s records: %(tables)s.",
            result.read,
            tables=tables,
        )
    )
    for error in result.errors[:20]:
        typer.echo("  " + _("skipped: %(error)s", error=translate(error)), err=True)


@group.command("failed", help=_("Show events the collector refused, with the reason."))
def failed(
    workspace: str = WorkspaceOption,
    limit: int = typer.Option(50, "--limit", help=_("most events shown")),
    as_json: bool = JsonOption,
) -> None:
    """Show events the collector refused, with the reason."""
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.ingest.eventlog import failed_events

    try:
        with session_scope() as session:
            key = resolve_workspace(session, workspace).key
        items, total = failed_events(workspace_key=key, limit=limit)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json({"total": total, "failed": items})
        return
    typer.echo(
        ngettext(
            "%(num)s failed event; latest %(shown)s:",
            "%(num)s failed events; latest %(shown)s:",
            total,
            shown=len(items),
        )
    )
    for f in items:
        typer.echo(
            f"{f['received_at']}\t{f['endpoint']}\t#{f['batch_index']}\t"
            f"{f['message_id'] or '-'}\t{f['reason']}"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="source")
