"""`tradewinds audit …`"""

from __future__ import annotations

from typing import Any

import typer

from tradewinds.cli.output import JsonOption, emit_json, fail

group = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


def _head_json(head: Any) -> dict[str, Any] | None:
    if head is None:
        return None
    return {"entries": head.entries, "last_id": head.last_id, "last_hash": head.last_hash}


@group.command("verify")
def verify(as_json: bool = JsonOption) -> None:
    """Check every link of the audit chain and the signed head; exit 1 if anything is off."""
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
                "last_id": report.last_id,
                "head": _head_json(report.head),
                "unsigned_entries": report.unsigned_entries,
            }
        )
    elif report.ok:
        line = f"Audit log intact: {report.entries} entries, every link verified"
        if report.head is not None and report.head.entries:
            line += f"; the signed head matches entry {report.head.last_id}"
        typer.echo(line + ".")
        if report.unsigned_entries:
            newest = (
                "The newest entry is"
                if report.unsigned_entries == 1
                else f"The {report.unsigned_entries} newest entries are"
            )
            typer.echo(
                f"{newest} committed but not yet in the signed head (being signed; "
                "the next entry signs them too)."
            )
    elif report.first_broken_id is not None:
        typer.echo(
            f"Audit log BROKEN at entry {report.first_broken_id}: {report.reason}.", err=True
        )
    else:
        typer.echo(f"Audit log not intact: {report.reason}.", err=True)
    if not report.ok:
        raise typer.Exit(1)


@group.command("reset-head")
def reset_head(
    reason: str = typer.Option(
        ..., "--reason", help="why (kept in the audit log), e.g. 'upgraded' or 'restored backup'"
    ),
    yes: bool = typer.Option(False, "--yes", help="do not ask for confirmation"),
    as_json: bool = JsonOption,
) -> None:
    """Sign the audit log as it stands now (an upgrade, or a backup restored on purpose).

    Whatever the old head recorded is accepted as gone: use this only when you know why
    `tradewinds audit verify` fails. The reset itself is recorded in the log."""
    from tradewinds.auth import audit
    from tradewinds.auth.audit_head import HeadError
    from tradewinds.cli.context import cli_actor
    from tradewinds.db.engine import session_scope

    if not yes and not typer.confirm(
        "Sign the audit log as it stands now, accepting any entries the old head recorded as gone?"
    ):
        fail("nothing changed", as_json=as_json, code="cancelled")
    try:
        with session_scope() as session:
            head = audit.reset_head(session, actor=cli_actor(), reason=reason)
    except HeadError as exc:
        fail(str(exc), as_json=as_json, code="audit_broken")
    if as_json:
        emit_json({"head": _head_json(head)})
    else:
        typer.echo(f"Signed the audit log's head at entry {head.last_id} ({head.entries} entries).")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="audit")
