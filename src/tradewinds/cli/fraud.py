"""`tradewinds fraud …`: invalid clicks and click fraud — score a click file, a workspace's
wasted spend, exclusion lists and refund evidence."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from tradewinds.cli.context import ReportPeriod, WorkspaceName
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import translate
from tradewinds.cli.output import JsonOption, emit_json, fail

T = TypeVar("T")

group = typer.Typer(
    help=_("Invalid clicks and click fraud: scores, wasted spend, exclusion lists, evidence."),
    no_args_is_help=True,
)

FormatOption = typer.Option(
    "clicks", "--format", metavar="FORMAT", help=_("talkingdata or clicks (the collector's log)")
)


@group.command(
    "score",
    help=_(
        "Score every click of a file: one JSON object a line with --json (row, score, "
        "flagged, reasons), in file order."
    ),
)
def score_command(
    clicks_file: Annotated[
        Path, typer.Option("--clicks", metavar="FILE", help=_("the click file to score"))
    ],
    fmt: str = FormatOption,
    train: Annotated[
        Path | None,
        typer.Option(
            "--train", metavar="FILE", help=_("labelled clicks to train the model on first")
        ),
    ] = None,
    rules_file: Annotated[
        Path | None,
        typer.Option("--rules", metavar="FILE", help=_("your own rules file (YAML)")),
    ] = None,
    explain: Annotated[
        int,
        typer.Option(
            "--explain",
            min=0,
            help=_("explain the model's part of at most this many flagged clicks"),
        ),
    ] = 10_000,
    as_json: bool = JsonOption,
) -> None:
    """Score every click of a file."""
    from tradewinds.errors import TradewindsError
    from tradewinds.fraud import service

    try:
        log, scores, rule_set = service.score_file(
            clicks_file, fmt, train=train, rules_path=rules_file, explain=explain
        )
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    if as_json:
        write = sys.stdout.write
        for row in service.click_rows(scores):
            write(row.model_dump_json() + "\n")
        return
    report = service.summary(log, scores, rule_set, translate)
    typer.echo(
        _(
            "%(file)s: %(flagged)s of %(clicks)s clicks flagged as invalid (%(share)s)",
            file=report.source,
            flagged=f"{report.flagged:,}",
            clicks=f"{report.clicks:,}",
            share=f"{report.flagged_share:.1%}",
        )
    )
    for rule in report.by_rule:
        typer.echo(f"  {rule.clicks:>10,}  {rule.text}")
    if report.model is not None:
        typer.echo(
            _(
                "model trained on %(clicks)s clicks (%(share)s genuine)",
                clicks=f"{report.model.trained_on:,}",
                share=f"{report.model.genuine_rate:.2%}",
            )
        )


FromOption = typer.Option(
    None, "--from", help=_("first day, YYYY-MM-DD (default: 29 days before --to)")
)
ToOption = typer.Option(
    None, "--to", help=_("last day, YYYY-MM-DD (default: the last day with orders)")
)


@group.command(
    "report",
    help=_(
        "A workspace's invalid-click rate and wasted spend by campaign, placement, network "
        "and country."
    ),
)
def report_command(
    workspace: WorkspaceName,
    date_from: str | None = FromOption,
    date_to: str | None = ToOption,
    as_json: bool = JsonOption,
) -> None:
    """A workspace's invalid clicks and wasted spend in a period."""
    from tradewinds.fraud import service

    found = _in_period(
        workspace,
        date_from,
        date_to,
        as_json,
        lambda period, key: service.report(
            warehouse=period.warehouse,
            scope=period.scope,
            currency=period.currency,
            workspace_key=key,
            workspace_name=workspace,
            tr=translate,
        ),
    )
    if as_json:
        emit_json(found.public())
        return
    typer.echo(
        _(
            "%(start)s – %(end)s: %(invalid)s of %(clicks)s clicks invalid (%(rate)s); "
            "wasted spend %(wasted)s %(currency)s",
            start=found.start,
            end=found.end,
            invalid=f"{found.invalid_clicks:,}",
            clicks=f"{found.clicks:,}",
            rate=f"{found.invalid_rate:.1%}",
            wasted=found.wasted_spend if found.wasted_spend is not None else "—",
            currency=found.currency,
        )
    )
    typer.echo(f"  {found.wasted_definition}")
    for row in found.campaigns:
        wasted = row.wasted_spend if row.wasted_spend is not None else "—"
        typer.echo(f"  {row.key:<44} {row.invalid_clicks:>7,}/{row.clicks:<7,} {wasted:>12}")
    for note in found.notes:
        typer.echo(note)


@group.command("import", help=_("Keep a click file in the workspace, checked, for its reports."))
def import_command(
    file: Annotated[Path, typer.Argument(help=_("the click file"))],
    workspace: WorkspaceName,
    fmt: str = FormatOption,
    as_json: bool = JsonOption,
) -> None:
    """Keep a click file in the workspace."""
    from tradewinds.cli.context import workspace_or_exit
    from tradewinds.errors import TradewindsError
    from tradewinds.fraud import store

    _id, key = workspace_or_exit(workspace, as_json=as_json)
    try:
        log = store.import_file(key, file, fmt)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    if as_json:
        emit_json({"file": str(file), "format": fmt, "clicks": len(log)})
        return
    typer.echo(_("%(file)s: %(clicks)s clicks kept", file=file.name, clicks=f"{len(log):,}"))


@group.command(
    "export",
    help=_(
        "An exclusion list in a platform's upload format: google_ip, google_placements or "
        "meta_block_list."
    ),
)
def export_command(
    workspace: WorkspaceName,
    kind: Annotated[str, typer.Option("--list", metavar="LIST", help=_("which list"))],
    output: Annotated[
        Path | None, typer.Option("--output", metavar="FILE", help=_("write it here"))
    ] = None,
    date_from: str | None = FromOption,
    date_to: str | None = ToOption,
) -> None:
    """An exclusion list in a platform's upload format."""
    from tradewinds.fraud import service

    text = _in_period(
        workspace,
        date_from,
        date_to,
        False,
        lambda period, key: service.exclusion_list(
            warehouse=period.warehouse, scope=period.scope, workspace_key=key, kind=kind
        ),
    )
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@group.command(
    "evidence",
    help=_("A refund-claim evidence pack (ZIP: clicks.csv and summary.html) for one network."),
)
def evidence_command(
    workspace: WorkspaceName,
    network: Annotated[str, typer.Option("--network", help=_("e.g. google or meta"))],
    output: Annotated[Path, typer.Option("--output", metavar="FILE", help=_("the ZIP to write"))],
    date_from: str | None = FromOption,
    date_to: str | None = ToOption,
) -> None:
    """A refund-claim evidence pack for one network and period."""
    from tradewinds.fraud import service

    data = _in_period(
        workspace,
        date_from,
        date_to,
        False,
        lambda period, key: service.evidence_pack(
            warehouse=period.warehouse,
            scope=period.scope,
            currency=period.currency,
            workspace_key=key,
            workspace_name=workspace,
            network=network,
        ),
    )
    output.write_bytes(data)
    typer.echo(_("wrote %(file)s", file=str(output)))


def _in_period(
    workspace: str,
    date_from: str | None,
    date_to: str | None,
    as_json: bool,
    call: Callable[[ReportPeriod, str], T],
) -> T:
    """``call(period, workspace key)`` in the workspace's report period; a refusal is
    printed (as JSON with ``as_json``) and ends the command."""
    from tradewinds.cli.context import report_period, workspace_or_exit
    from tradewinds.errors import TradewindsError

    _id, key = workspace_or_exit(workspace, as_json=as_json)
    try:
        with report_period(workspace, date_from, date_to) as period:
            return call(period, key)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        raise typer.Exit(1) from exc


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="fraud")
