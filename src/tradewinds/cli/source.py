"""`tradewinds source …`: event sources (Segment-compatible write keys) and their events."""

from __future__ import annotations

import typer

from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.errors import TradewindsError

group = typer.Typer(help="Event sources: write keys, collected events, failed events.",
                    no_args_is_help=True)

WorkspaceOption = typer.Option(..., "--workspace", help="workspace name or key")


@group.command("create")
def create(
    workspace: str = WorkspaceOption,
    kind: str = typer.Option("segment", "--kind", help="segment"),
    name: str | None = typer.Option(None, "--name"),
    storefront: str = typer.Option(
        "web", "--storefront", help="prefix for order ids from this source's events"
    ),
    as_json: bool = JsonOption,
) -> None:
    """Create a source and print its write key (shown only once)."""
    from tradewinds.cli.context import cli_actor, resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.ingest.sources import create_source

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            source, write_key = create_source(
                session=session, workspace=ws, kind=kind, name=name, storefront=storefront,
                actor=cli_actor(),
            )
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json({"write_key": write_key, "source_id": source.id, "kind": source.kind,
                   "name": source.name, "storefront": source.storefront})
        return
    typer.echo(f"Source {source.id} ({source.kind}) created. Write key (shown once):")
    typer.echo(write_key)
    typer.echo("Send events to POST /v1/track, /v1/batch … with it as the basic-auth user.")


@group.command("list")
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
        state = "revoked" if s.revoked else "live"
        typer.echo(f"{s.id}\t{s.kind}\t{s.name}\t{s.write_key_prefix}…\t{s.storefront}\t{state}")


@group.command("drain")
def drain(
    workspace: str = WorkspaceOption,
    prune: bool = typer.Option(True, help="forget drained events older than the dedup window"),
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
    tables = ", ".join(f"{t} {n}" for t, n in sorted((result.rows or {}).items())) or "none"
    typer.echo(f"Drained {result.events} event(s) into the warehouse ({tables}).")


@group.command("failed")
def failed(
    workspace: str = WorkspaceOption,
    limit: int = typer.Option(50, "--limit"),
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
    typer.echo(f"{total} failed event(s); latest {len(items)}:")
    for f in items:
        typer.echo(f"{f['received_at']}\t{f['endpoint']}\t#{f['batch_index']}\t"
                   f"{f['message_id'] or '-'}\t{f['reason']}")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="source")
