"""`tradewinds sql --workspace W "SELECT …"`: the read-only SQL console."""

from __future__ import annotations

from decimal import Decimal

import typer

from tradewinds.cli.context import WorkspaceOption
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import ngettext
from tradewinds.cli.output import JsonOption, emit_json, fail


def sql_command(
    query: str = typer.Argument(..., help=_("one SELECT (or WITH … SELECT) over the warehouse")),
    workspace: str = WorkspaceOption,
    limit: int = typer.Option(10_000, "--limit", min=1, max=1_000_000, help=_("most rows shown")),
    as_json: bool = JsonOption,
) -> None:
    """Run a read-only query over the workspace's warehouse tables (see docs/warehouse.md)."""
    from tradewinds.auth import audit
    from tradewinds.cli.context import cli_actor, resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.errors import TradewindsError
    from tradewinds.warehouse.console import ConsoleBusy, run_workspace_sql
    from tradewinds.warehouse.errors import ReadOnlyViolation, WarehouseError

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            key, workspace_id = ws.key, ws.id
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    try:
        result = run_workspace_sql(workspace_key=key, sql=query, limit=limit)
    except ReadOnlyViolation as exc:
        fail(str(exc), as_json=as_json, code="read_only")
        return
    except ConsoleBusy as exc:
        fail(str(exc), as_json=as_json, code="busy")
        return
    except WarehouseError as exc:
        fail(str(exc), as_json=as_json, code="sql_error")
        return
    with session_scope() as session:  # the console can read customer data: keep a trail
        audit.record(
            session,
            action="sql.run",
            actor=cli_actor(),
            workspace_id=workspace_id,
            target="warehouse",
            details={"sql": query[:2000], "rows": len(result.rows)},
        )
    if result.truncated:
        typer.echo(
            _(
                "note: only the first %(limit)s rows are shown (use --limit)",
                limit=format(limit, ","),
            ),
            err=True,
        )
    if as_json:
        emit_json({"columns": result.columns, "rows": [list(r) for r in result.rows]})
        return
    _print_table(result.columns, result.rows)


def _print_table(columns: list[str], rows: list[tuple[object, ...]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for i, name in enumerate(columns):
        numeric = any(isinstance(r[i], int | float | Decimal) for r in rows[:50])
        table.add_column(name, justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    Console().print(table)
    typer.echo(ngettext("%(count)s row", "%(count)s rows", len(rows), count=format(len(rows), ",")))


def register(app: typer.Typer) -> None:
    app.command(
        "sql",
        help=_(
            "Run a read-only query over the workspace's warehouse tables (see docs/warehouse.md)."
        ),
    )(sql_command)
