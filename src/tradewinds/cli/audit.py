"""`tradewinds audit …`"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import typer

from tradewinds.cli.context import OptionalWorkspace
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import ngettext, translate
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.i18n_markers import Text

group = typer.Typer(help=_("The tamper-evident audit log."), no_args_is_help=True)


def _head_json(head: Any) -> dict[str, Any] | None:
    if head is None:
        return None
    return {"entries": head.entries, "last_id": head.last_id, "last_hash": head.last_hash}


@group.command(
    "verify",
    help=_("Check every link of the audit chain and the signed head; exit 1 if anything is off."),
)
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
        if report.head is not None and report.head.entries:
            line = _(
                "Audit log intact: %(entries)s entries, every link verified; the signed head "
                "matches entry %(last_id)s.",
                entries=report.entries,
                last_id=report.head.last_id,
            )
        else:
            line = _(
                "Audit log intact: %(entries)s entries, every link verified.",
                entries=report.entries,
            )
        typer.echo(line)
        if report.unsigned_entries:
            typer.echo(
                ngettext(
                    "The newest entry is committed but not yet in the signed head (being "
                    "signed; the next entry signs it too).",
                    "The %(num)s newest entries are committed but not yet in the signed head "
                    "(being signed; the next entry signs them too).",
                    report.unsigned_entries,
                )
            )
    elif report.first_broken_id is not None:
        typer.echo(
            _(
                "Audit log BROKEN at entry %(entry)s: %(reason)s.",
                entry=report.first_broken_id,
                reason=translate(report.reason),
            ),
            err=True,
        )
    else:
        typer.echo(
            _("Audit log not intact: %(reason)s.", reason=translate(report.reason)), err=True
        )
    if not report.ok:
        raise typer.Exit(1)


@group.command(
    "reset-head",
    help=_(
        "Sign the audit log as it stands now (an upgrade, or a backup restored "
        "on purpose).\n\n"
        "Whatever the old head recorded is accepted as gone: use this only when "
        "you know why `tradewinds audit verify` fails. The reset itself is "
        "recorded in the log."
    ),
)
def reset_head(
    reason: str = typer.Option(
        ..., "--reason", help=_("why (kept in the audit log), e.g. 'upgraded' or 'restored backup'")
    ),
    yes: bool = typer.Option(False, "--yes", help=_("do not ask for confirmation")),
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
        _(
            "Sign the audit log as it stands now, accepting any entries the old head recorded "
            "as gone?"
        )
    ):
        fail(Text("nothing changed"), as_json=as_json, code="cancelled")
    try:
        with session_scope() as session:
            head = audit.reset_head(session, actor=cli_actor(), reason=reason)
    except HeadError as exc:
        fail(str(exc), as_json=as_json, code="audit_broken")
    if as_json:
        emit_json({"head": _head_json(head)})
    else:
        typer.echo(
            _(
                "Signed the audit log's head at entry %(last_id)s (%(entries)s entries).",
                last_id=head.last_id,
                entries=head.entries,
            )
        )


_AGO = re.compile(r"(\d{1,5})([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """``2026-11-01``, ``2026-11-01T08:00`` (UTC unless an offset is given), or an age:
    ``30m``, ``12h``, ``7d``, ``2w``. Raises ValueError naming what is accepted."""
    value = text.strip().lower()
    match = _AGO.fullmatch(value)
    if match:
        amount, unit = int(match.group(1)), _UNITS[match.group(2)]
        return (now or datetime.now(UTC)) - timedelta(**{unit: amount})
    try:
        moment = datetime.fromisoformat(value.upper() if "t" in value else value)
    except ValueError:
        raise ValueError(
            Text(
                "--since: %(value)s is neither a date (2026-11-01, 2026-11-01T08:00) "
                "nor an age (30m, 12h, 7d, 2w)",
                value=repr(text),
            )
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@group.command(
    "list",
    help=_("Show audit entries since a date or age, newest first (all workspaces unless -w)."),
)
def list_entries(
    since: str = typer.Option(
        "7d",
        "--since",
        metavar="WHEN",
        help=_("a date (2026-11-01, UTC) or an age: 30m, 12h, 7d, 2w"),
    ),
    workspace: str | None = OptionalWorkspace,
    action: str | None = typer.Option(
        None, "--action", metavar="ACTION", help=_("only this action, e.g. source.create")
    ),
    limit: int = typer.Option(1000, "--limit", min=1, max=100_000, help=_("most entries shown")),
    as_json: bool = JsonOption,
) -> None:
    """Show audit entries since a date or age, newest first (all workspaces unless -w)."""
    from sqlalchemy import select

    from tradewinds.cli.context import resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.audit import AuditEntry
    from tradewinds.errors import TradewindsError

    try:
        start = parse_since(since)
    except ValueError as exc:
        fail(exc.args[0], as_json=as_json, code="invalid_input")
    try:
        with session_scope() as session:
            query = select(AuditEntry).where(AuditEntry.at >= start)
            if workspace:
                ws = resolve_workspace(session, workspace)
                query = query.where(AuditEntry.workspace_id == ws.id)
            if action:
                query = query.where(AuditEntry.action == action)
            rows = [
                {
                    "id": e.id,
                    "at": e.at.isoformat(timespec="seconds"),
                    "workspace_id": e.workspace_id,
                    "actor": e.actor,
                    "action": e.action,
                    "target": e.target,
                    "details": e.details,
                    "ip": e.ip,
                }
                for e in session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit))
            ]
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json({"since": start.isoformat(timespec="seconds"), "entries": rows})
        return
    typer.echo(
        ngettext(
            "%(num)s audit entry since %(start)s UTC:",
            "%(num)s audit entries since %(start)s UTC:",
            len(rows),
            start=format(start, "%Y-%m-%d %H:%M"),
        )
    )
    for r in rows:
        typer.echo(f"{r['at']}\t{r['actor']}\t{r['action']}\t{r['target'] or '-'}")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="audit")
