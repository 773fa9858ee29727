"""`tradewinds import FILE... --workspace W`: load export files into the warehouse.

The import holds the workspace's warehouse write lock (``locks.warehouse_lock``) from before
it opens the warehouse until it is done, as the worker's imports, drains and syncs do: when
one of them is running, the command says so and waits for it to finish.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from tradewinds.cli.context import WorkspaceOption
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import translate
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.i18n_markers import Text

if TYPE_CHECKING:
    from tradewinds.ingest.service import ImportReport
    from tradewinds.ingest.spec import RowError

# Same as tradewinds.ingest.service.DEFAULT_MAX_REJECTED_SHARE (kept literal so that
# `tradewinds --help` does not import pandas); a test checks they agree.
DEFAULT_MAX_REJECTED_SHARE = 0.1


def import_files(
    files: list[Path] = typer.Argument(
        ..., help=_("export files (.csv, .tsv, .txt, .xlsx, also .gz or .zip)")
    ),
    workspace: str = WorkspaceOption,
    format: str | None = typer.Option(
        None, "--format", "-f", help=_("skip detection: format name")
    ),
    mapping: Path | None = typer.Option(None, "--mapping", help=_("YAML mapping for other tables")),
    currency: str | None = typer.Option(
        None, "--currency", help=_("ISO 4217, if the file lacks it")
    ),
    timezone: str | None = typer.Option(None, "--timezone", help=_("zone of times without offset")),
    date_order: str | None = typer.Option(
        None, "--date-order", help=_("dates like 03/04/2024: dmy (day first), mdy or ymd")
    ),
    partial_orders: bool = typer.Option(
        False, "--partial-orders", help=_("import the good lines of orders that have a bad line")
    ),
    max_rejected: float = typer.Option(
        DEFAULT_MAX_REJECTED_SHARE, "--max-rejected", help=_("abort a file above this bad share")
    ),
    as_json: bool = JsonOption,
) -> None:
    """Import ad-spend and order exports; the format is recognised from the header."""
    from tradewinds.cli.context import cli_actor, resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.errors import TradewindsError
    from tradewinds.ingest.files.base import ImportOptions
    from tradewinds.ingest.history import import_options, record_command_line_import
    from tradewinds.ingest.spec import FileError
    from tradewinds.warehouse import WarehouseError, open_warehouse

    try:
        chosen = import_options(date_order=date_order, partial_orders=partial_orders)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    options = ImportOptions(
        currency=currency,
        timezone=timezone,
        date_order=chosen.date_order,
        partial_orders=partial_orders,
    )
    reports: list[ImportReport] = []
    console = Console(stderr=True)
    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            workspace_id, workspace_key = ws.id, ws.key
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    with _writing(workspace_key, console):
        try:
            warehouse = open_warehouse(workspace_key)
        except WarehouseError as exc:
            fail(str(exc), as_json=as_json)
            return
        with warehouse:
            for path in files:
                try:
                    if as_json:
                        report = _one(warehouse, path, format, mapping, options, max_rejected, None)
                    else:
                        with Progress(
                            TextColumn("{task.description}"),
                            BarColumn(),
                            TimeElapsedColumn(),
                            console=console,
                            transient=True,
                        ) as bar:
                            task = bar.add_task(path.name, total=1)

                            def tick(
                                stage: str,
                                done: int,
                                total: int,
                                task: int = task,
                                bar: Progress = bar,
                                name: str = path.name,
                            ) -> None:
                                bar.update(
                                    task,
                                    description=f"{name}: {stage}",
                                    completed=done,
                                    total=max(total, 1),
                                )

                            report = _one(
                                warehouse, path, format, mapping, options, max_rejected, tick
                            )
                except FileError as exc:
                    fail(exc.message, as_json=as_json, code="unreadable_file")
                    return
                except Exception as exc:  # a bug or a broken warehouse: say so, without a traceback
                    fail(
                        Text(
                            "%(name)s could not be imported (%(error)s: %(detail)s); "
                            "nothing from it was stored",
                            name=path.name,
                            error=type(exc).__name__,
                            detail=str(exc)[:300],
                        ),
                        as_json=as_json,
                        code="import_failed",
                    )
                    return
                record_command_line_import(
                    workspace_id=workspace_id, actor=cli_actor(), path=path, report=report
                )
                reports.append(report)
                if not as_json:
                    _print(report)
    if as_json:
        emit_json({"files": [r.to_dict() for r in reports]})


def say_waiting(console: Console, workspace_key: str) -> None:
    console.print(
        _(
            "waiting for other work on the warehouse of %(workspace)s (an import, a drain of "
            "collected events or a connector sync) to finish…",
            workspace=workspace_key,
        )
    )


@contextmanager
def _writing(workspace_key: str, console: Console) -> Iterator[None]:
    """Hold the workspace's warehouse write lock for the block, waiting as long as needed
    (and saying so when another process holds it)."""
    from tradewinds import locks

    name = locks.warehouse_lock(workspace_key)
    if locks.is_held(name):
        say_waiting(console, workspace_key)
    with locks.hold(name):
        yield


def _one(warehouse, path, format, mapping, options, max_rejected, tick) -> ImportReport:  # noqa: ANN001
    from tradewinds.ingest.service import import_file

    return import_file(
        warehouse=warehouse,
        path=path,
        format=format,
        mapping=mapping,
        options=options,
        max_rejected_share=max_rejected,
        progress=tick,
    )


def problem(error: RowError) -> Text:
    """A row error or warning as the command prints it (``RowError.__str__``'s words), a
    ``Text`` to translate: ``orders.csv:17 column 'Day' value '31/02': the date … ``."""
    where = error.file if error.row is None else f"{error.file}:{error.row}"
    values = {"where": where, "reason": error.reason}
    if error.field and error.value is not None:
        return Text(
            "%(where)s column %(field)s value %(value)s: %(reason)s",
            field=repr(error.field),
            value=repr(error.value),
            **values,
        )
    if error.field:
        return Text("%(where)s column %(field)s: %(reason)s", field=repr(error.field), **values)
    if error.value is not None:
        return Text("%(where)s value %(value)s: %(reason)s", value=repr(error.value), **values)
    return Text("%(where)s: %(reason)s", **values)


def _print(report: ImportReport) -> None:
    """The report in the command's language (``--json`` stays English)."""
    status = {"aborted": _("ABORTED"), "no_rows": _("NO ROWS")}.get(report.status, _("ok"))
    typer.echo(
        _(
            "%(file)s [%(format)s] %(status)s: read %(read)s, imported %(imported)s, "
            "duplicates %(duplicates)s, rejected %(rejected)s",
            file=report.file,
            format=report.format,
            status=status,
            read=report.read,
            imported=report.imported,
            duplicates=report.duplicates,
            rejected=report.rejected,
        )
    )
    for note in report.notes:
        typer.echo("  " + _("note: %(note)s", note=translate(note)))
    for err in report.errors[:20]:
        typer.echo("  " + translate(problem(err)))
    if len(report.errors) > 20:
        typer.echo(
            "  " + _("… %(more)s more errors (use --json for all)", more=len(report.errors) - 20)
        )
    for warning in report.warnings[:20]:
        typer.echo("  " + _("warning: %(warning)s", warning=translate(problem(warning))))
    if len(report.warnings) > 20:
        typer.echo(
            "  "
            + _("… %(more)s more warnings (use --json for all)", more=len(report.warnings) - 20)
        )


def register(app: typer.Typer) -> None:
    app.command(
        "import",
        help=_("Import ad-spend and order exports; the format is recognised from the header."),
    )(import_files)
