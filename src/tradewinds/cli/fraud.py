"""`tradewinds fraud …`: invalid clicks and click fraud — score a click file, a workspace's
wasted spend, exclusion lists and refund evidence."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import translate
from tradewinds.cli.output import JsonOption, fail

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


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="fraud")
