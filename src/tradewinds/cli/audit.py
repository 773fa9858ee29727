"""`tradewinds audit …`"""

from __future__ import annotations

import typer

from tradewinds.cli.output import JsonOption, emit_json

group = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@group.command("verify")
def verify(as_json: bool = JsonOption) -> None:
    """Check every link of the audit chain; exit 1 at the first broken one."""
    from tradewinds.auth.audit import verify_chain
    from tradewinds.db.engine import session_scope

    with session_scope() as session:
        report = verify_chain(session)
    if as_json:
        emit_json(
            {
                "ok": report.ok,
                "entries": report.entries,
                "first_broken_id": report.first_broken_id,
                "reason": report.reason,
            }
        )
    elif report.ok:
        typer.echo(f"Audit log intact: {report.entries} entries, every link verified.")
    else:
        typer.echo(
            f"Audit log BROKEN at entry {report.first_broken_id}: {report.reason}.", err=True
        )
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="audit")
