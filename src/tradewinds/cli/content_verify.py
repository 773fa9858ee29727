"""`tradewinds content verify TEXT --workspace W`: was this copy approved, when, by whom.

The commands are functions here; ``cli/content.py`` (the ``content`` group) registers them
with :func:`add_commands`. The answer comes from the tamper-evident audit log
(``content/fingerprint.py``): the text is normalised and hashed the same way as when it was
approved, so a copy pasted with other spaces, full-width letters or other capitals still
matches. "Never approved" exits 1 (a "no", as a blocked ad does).
"""

from __future__ import annotations

import typer

from tradewinds.cli.context import WorkspaceOption
from tradewinds.cli.language import gettext as _
from tradewinds.cli.output import JsonOption, emit_json, fail

NOT_APPROVED_EXIT = 1


def verify(
    text: str = typer.Argument(..., help=_("the ad copy to look up, as published")),
    workspace: str = WorkspaceOption,
    as_json: bool = JsonOption,
) -> None:
    """Say when TEXT was approved in the workspace and by whom (exit 1: never approved)."""
    from tradewinds.auth.audit import verify_chain
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.content.fingerprint import approvals_of, fingerprint
    from tradewinds.db.engine import session_scope
    from tradewinds.errors import TradewindsError

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            found = approvals_of(session, workspace_id=ws.id, text=text)
            chain = verify_chain(session) if found else None
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    digest = fingerprint(text)
    chain_ok = chain.ok if chain is not None else None
    if as_json:
        emit_json(
            {
                "sha256": digest,
                "approved": bool(found),
                "approvals": [a.as_json() for a in found],
                "audit_log_intact": chain_ok,
            }
        )
    elif not found:
        typer.echo(
            _("Never approved in %(workspace)s (SHA-256 %(sha)s).", workspace=ws.name, sha=digest)
        )
    else:
        for approval in found:
            where = " · ".join(
                str(approval.details[k])
                for k in ("market", "platform", "field", "product_id")
                if approval.details.get(k)
            )
            typer.echo(
                _(
                    "Approved on %(when)s by %(who)s (audit entry %(entry)s)",
                    when=approval.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                    who=approval.actor,
                    entry=approval.entry_id,
                )
                + (f" — {where}" if where else "")
            )
            if not approval.intact:
                typer.echo(_("This audit entry was altered after it was written."), err=True)
        typer.echo(_("SHA-256 of the normalised text: %(sha)s", sha=digest))
        if chain_ok:
            typer.echo(_("The audit log's chain is intact."))
        else:
            typer.echo(
                _("The audit log's chain is broken: run `tradewinds audit verify`."), err=True
            )
    if not found or not chain_ok or not all(a.intact for a in found):
        raise typer.Exit(NOT_APPROVED_EXIT)


def add_commands(group: typer.Typer) -> None:
    """Add ``verify`` to the ``content`` command group."""
    group.command("verify")(verify)
