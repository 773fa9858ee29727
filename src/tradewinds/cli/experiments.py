"""`tradewinds experiments …`: analyse an A/B test results file, today's bandit weights,
and which variation a unit gets.

The results file has the columns ``experiment,variation,units,metric,metric_type,sum,
sum_squares`` (and optionally ``weight``); the first variation of an experiment is its
control. A broken traffic split (sample-ratio mismatch) makes ``analyze`` exit non-zero.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from tradewinds.cli.context import WorkspaceName
from tradewinds.cli.language import gettext as _
from tradewinds.cli.output import JsonOption, emit_json, fail

experiments_group = typer.Typer(
    help=_("A/B tests: results with frequentist, sequential and Bayesian statistics; bandits."),
    no_args_is_help=True,
)

FileOption = typer.Option(
    ...,
    "--file",
    metavar="FILE.csv",
    help=_("experiment,variation,units,metric,metric_type,sum,sum_squares[,weight]"),
)


def _read(path: Path, as_json: bool):
    from tradewinds.experiments.csv_file import ExperimentFileError, read_file

    try:
        return read_file(path)
    except ExperimentFileError as exc:
        fail(str(exc), as_json=as_json, code="invalid_file")
        raise  # unreachable: fail() exits


def _print(result) -> None:
    for exp in result.experiments:
        typer.echo(
            _(
                "%(experiment)s (control: %(control)s), SRM p-value %(p)s",
                experiment=exp.experiment,
                control=exp.control,
                p=f"{exp.srm_p_value:.4g}",
            )
        )
        if exp.srm_warning:
            typer.echo(
                "  "
                + _("The traffic split does not match the weights: do not trust these results.")
            )
        for r in exp.results:
            ctw = "—" if r.chance_to_win is None else f"{r.chance_to_win * 100:.1f}%"
            p = "—" if r.p_value is None else f"{r.p_value:.4f}"
            typer.echo(
                f"  {r.metric[:24]:<24} {r.variation[:18]:<18} {_pct(r.relative_uplift):>8}"
                f"  [{_pct(r.ci_low)}, {_pct(r.ci_high)}]  p={p}"
                f"  seq [{_pct(r.sequential_ci_low)}, {_pct(r.sequential_ci_high)}]"
                f"  {_('chance to win')} {ctw}"
            )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}%"


@experiments_group.command("analyze", help=_("Results of each experiment in a CSV file."))
def analyze(path: Path = FileOption, as_json: bool = JsonOption) -> None:
    from tradewinds.experiments.service import report

    result = report(_read(path, as_json), source=path.name)
    if as_json:
        emit_json(result.model_dump(mode="json"))
    else:
        _print(result)
    if any(e.srm_warning for e in result.experiments):
        raise typer.Exit(1)


@experiments_group.command(
    "events", help=_("Results of the experiments in the collector's Experiment Viewed events.")
)
def events(
    workspace: WorkspaceName,
    date_from: str | None = typer.Option(
        None, "--from", help=_("first day, YYYY-MM-DD (default: 29 days before --to)")
    ),
    date_to: str | None = typer.Option(
        None, "--to", help=_("last day, YYYY-MM-DD (default: the last day with orders)")
    ),
    as_json: bool = JsonOption,
) -> None:
    from tradewinds.cli.context import report_period
    from tradewinds.errors import TradewindsError
    from tradewinds.experiments.service import events_report

    try:
        with report_period(workspace, date_from, date_to) as period:
            result = events_report(
                period.warehouse, period.scope, currency=period.currency, revenue=True
            )
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    if as_json:
        emit_json(result.model_dump(mode="json"))
    else:
        if not result.experiments:
            typer.echo(_("No Experiment Viewed events in this period."))
        _print(result)
    if any(e.srm_warning for e in result.experiments):
        raise typer.Exit(1)


@experiments_group.command(
    "bandit", help=_("Today's traffic weights per variation (Thompson sampling).")
)
def bandit(
    path: Path = FileOption,
    day: str | None = typer.Option(None, "--date", help=_("YYYY-MM-DD (default: today)")),
    floor: float = typer.Option(
        0.05, "--floor", help=_("the least share of traffic of each variation")
    ),
    as_json: bool = JsonOption,
) -> None:
    from tradewinds.experiments.service import bandits

    try:
        chosen = date.fromisoformat(day) if day else date.today()
    except ValueError:
        fail(_("--date must be a date, YYYY-MM-DD: %(value)s", value=day), as_json=as_json)
        return
    if not 0 <= floor < 1:
        fail(_("--floor must be at least 0 and below 1"), as_json=as_json, code="invalid_input")
    result = bandits(_read(path, as_json), day=chosen, floor=floor, source=path.name)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    for b in result.bandits:
        typer.echo(f"{b.experiment} · {b.metric} · {b.day}")
        for arm in b.arms:
            typer.echo(f"  {arm.variation[:24]:<24} {arm.weight * 100:6.1f}%")


@experiments_group.command("assign", help=_("The variation a unit gets (the same in the browser)."))
def assign(
    experiment: str = typer.Option(..., "--experiment", help=_("the experiment's key")),
    unit_id: str = typer.Option(..., "--unit", help=_("a visitor or customer id")),
    variations: str = typer.Option("control,treatment", "--variations", help=_("comma-separated")),
    weights: str | None = typer.Option(None, "--weights", help=_("comma-separated, e.g. 0.5,0.5")),
    salt: str | None = typer.Option(None, "--salt", help=_("default: the experiment's key")),
    as_json: bool = JsonOption,
) -> None:
    from tradewinds.experiments.service import assign as assign_unit

    names = [v.strip() for v in variations.split(",") if v.strip()]
    try:
        shares = [float(w) for w in weights.split(",")] if weights else None
        result = assign_unit(experiment, unit_id, names, shares, salt)
    except ValueError as exc:
        fail(str(exc), as_json=as_json, code="invalid_input")
        return
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    typer.echo(result.variation)


@experiments_group.command(
    "define", help=_("Keep a workspace's experiment definitions (YAML: salt, variations, weights).")
)
def define(
    workspace: WorkspaceName,
    path: Path = typer.Option(..., "--file", metavar="FILE.yaml", help=_("the definitions")),
    as_json: bool = JsonOption,
) -> None:
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.errors import TradewindsError
    from tradewinds.experiments.definitions import DefinitionError, save

    try:
        with session_scope() as session:
            key = resolve_workspace(session, workspace).key
        saved = save(key, path.read_text(encoding="utf-8"), name=path.name)
    except (DefinitionError, OSError) as exc:
        fail(str(exc), as_json=as_json, code="invalid_file")
        return
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    if as_json:
        emit_json(saved.model_dump(mode="json"))
        return
    for e in saved.experiments:
        shares = ", ".join(f"{v.key} {v.weight:g}" for v in e.variations)
        typer.echo(f"{e.key}\t{e.hash_salt}\t{shares}")


def register(app: typer.Typer) -> None:
    app.add_typer(experiments_group, name="experiments")
