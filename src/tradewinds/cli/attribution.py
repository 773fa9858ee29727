"""`tradewinds attribution …`: multi-touch attribution from path files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from tradewinds.analytics.periods import PRESETS
from tradewinds.attribution.models.names import EVERY_MODEL, MODEL_NAMES
from tradewinds.cli.context import AsOption, ReadAs, RoleOption, WorkspaceName
from tradewinds.cli.output import JsonOption, emit_json, fail

group = typer.Typer(help="Multi-touch attribution: which channels earned the conversions.")


def _check_model(model: str) -> str:
    if model not in MODEL_NAMES:
        raise typer.BadParameter(f"choose one of {', '.join(MODEL_NAMES)}")
    return model


@group.command("paths")
def paths_command(
    file: Annotated[Path, typer.Argument(help="path file: path;total_conversions;...")],
    model: Annotated[
        str,
        typer.Option("--model", help=f"one of {', '.join(MODEL_NAMES)}", callback=_check_model),
    ] = "markov",
    order: Annotated[int, typer.Option("--order", min=1, max=4, help="Markov order")] = 1,
    sep: Annotated[str, typer.Option("--sep", help="field separator of the file")] = ";",
    path_sep: Annotated[str, typer.Option("--path-sep", help="separator between channels")] = ">",
    half_life: Annotated[
        float | None,
        typer.Option("--half-life", help="time decay: days, or touches when the file has no times"),
    ] = None,
    first: Annotated[float, typer.Option("--first", help="position: share of first touch")] = 0.4,
    last: Annotated[float, typer.Option("--last", help="position: share of last touch")] = 0.4,
    shapley: Annotated[
        str, typer.Option("--shapley", help="exact | simplified | ordered")
    ] = "exact",
    worth: Annotated[
        str, typer.Option("--worth", help="Shapley coalition worth: conversions | conversion_rate")
    ] = "conversions",
    collapse_repeats: Annotated[
        bool, typer.Option("--collapse-repeats", help="merge consecutive touches of one channel")
    ] = False,
    as_json: bool = JsonOption,
) -> None:
    """Attribute a ChannelAttribution-style path file with one model."""
    from tradewinds.attribution.models.catalog import ModelSettings
    from tradewinds.attribution.pathfile import PathFileError
    from tradewinds.attribution.service import (
        attribute_path_file,
        credit_payload,
        ordered_shapley_file,
    )

    if len(sep) != 1:
        fail("--sep must be a single character", as_json=as_json, code="bad_option")
    if shapley not in ("exact", "simplified", "ordered"):
        fail("--shapley must be exact, simplified or ordered", as_json=as_json, code="bad_option")
    if worth not in ("conversions", "conversion_rate"):
        fail("--worth must be conversions or conversion_rate", as_json=as_json, code="bad_option")
    settings = ModelSettings(
        order=order,
        half_life=half_life,
        position_first=first,
        position_last=last,
        shapley_variant=shapley,  # type: ignore[arg-type]
        shapley_worth=worth,  # type: ignore[arg-type]
    )
    if model == "shapley" and shapley == "ordered" and as_json:
        try:
            emit_json(
                ordered_shapley_file(
                    file=file, sep=sep, path_sep=path_sep, collapse_repeats=collapse_repeats
                )
            )
        except PathFileError as exc:
            fail(str(exc), as_json=as_json, code="bad_input")
        return
    try:
        credit = attribute_path_file(
            file=file,
            model=model,
            settings=settings,
            sep=sep,
            path_sep=path_sep,
            collapse_repeats=collapse_repeats,
        )
    except PathFileError as exc:
        fail(str(exc), as_json=as_json, code="bad_input")
    except ValueError as exc:
        fail(str(exc), as_json=as_json, code="bad_option")
    if as_json:
        emit_json(credit_payload(credit))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{model} attribution of {file.name}")
    table.add_column("channel")
    table.add_column("conversions", justify="right")
    table.add_column("value", justify="right")
    for row in credit.as_rows():
        table.add_row(str(row["channel"]), f"{row['conversions']:,.2f}", f"{row['value']:,.2f}")
    Console().print(table)


def _parse_day(text: str, option: str, as_json: bool) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(
            f"{option}: {text!r} is not a date like 2024-05-31", as_json=as_json, code="bad_option"
        )
        raise  # unreachable: fail exits


@group.command("run")
def run_command(
    workspace: WorkspaceName,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            help=f"one of {', '.join(MODEL_NAMES)}, or {EVERY_MODEL}",
        ),
    ] = "markov",
    date_from: Annotated[
        str | None, typer.Option("--from", help="first day (default: 29 days before --to)")
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help="last day (default: the last day with orders, else today)"),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="a named period instead of --from/--to: " + ", ".join(PRESETS),
        ),
    ] = None,
    order: Annotated[int, typer.Option("--order", min=1, max=4, help="Markov order")] = 1,
    level: Annotated[str, typer.Option("--level", help="channel | campaign")] = "channel",
    lookback: Annotated[int, typer.Option("--lookback", min=1, help="lookback window, days")] = 30,
    collapse_repeats: Annotated[
        bool, typer.Option("--collapse-repeats", help="merge consecutive touches of one channel")
    ] = False,
    channel_rules: Annotated[
        Path | None, typer.Option("--channel-rules", help="your own channel grouping YAML")
    ] = None,
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """Attribute a workspace's orders to channels (or campaigns), with ROAS from ad spend."""
    from tradewinds.analytics import periods
    from tradewinds.analytics.service import data_days, default_end
    from tradewinds.attribution.access import ATTRIBUTION
    from tradewinds.attribution.channels import ChannelRulesError, load_rules
    from tradewinds.attribution.models.catalog import ModelSettings
    from tradewinds.attribution.schemas import attribution_public
    from tradewinds.attribution.service import attribute_workspace
    from tradewinds.cli.context import report_grant, resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.errors import TradewindsError
    from tradewinds.warehouse import open_warehouse

    models = list(MODEL_NAMES) if model == EVERY_MODEL else [model]
    if model != EVERY_MODEL and model not in MODEL_NAMES:
        fail(
            f"--model: choose one of {', '.join(MODEL_NAMES)} or {EVERY_MODEL}",
            as_json=as_json,
            code="bad_option",
        )
    if level not in ("channel", "campaign"):
        fail("--level must be channel or campaign", as_json=as_json, code="bad_option")
    if preset is not None and preset not in PRESETS:
        fail(f"--period: choose one of {', '.join(PRESETS)}", as_json=as_json, code="bad_option")
    if preset is not None and (date_from or date_to):
        fail("--period cannot be combined with --from or --to", as_json=as_json, code="bad_option")
    end = _parse_day(date_to, "--to", as_json) if date_to else None
    start = _parse_day(date_from, "--from", as_json) if date_from else None
    try:
        rules = load_rules(channel_rules)
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            grant = report_grant(session, ws, ATTRIBUTION, ReadAs(as_email, role))
            key, currency, timezone = ws.key, ws.currency, ws.timezone
        with open_warehouse(key) as warehouse:
            if preset is not None:  # the pages' presets (analytics/periods.py)
                start, end = periods.resolve(
                    preset, data_days(warehouse=warehouse, timezone=timezone)
                )
            # the pages' default period: 30 days to the last day with orders (or today)
            end = end or default_end(warehouse=warehouse, timezone=timezone)
            start = start or periods.last_days(end, periods.DEFAULT_DAYS)[0]
            reports, _ = attribute_workspace(
                warehouse=warehouse,
                currency=currency,
                date_from=start,
                date_to=end,
                models=models,
                settings=ModelSettings(order=order),
                level=level,  # type: ignore[arg-type]
                lookback_days=lookback,
                collapse_repeats=collapse_repeats,
                rules=rules,
                timezone=timezone,
            )
    except ChannelRulesError as exc:
        fail(str(exc), as_json=as_json, code="bad_input")
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    except ValueError as exc:
        fail(str(exc), as_json=as_json, code="bad_option")
    if as_json:
        emit_json(grant.strip(attribution_public(reports, model).public()))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for report in reports:
        title = (
            f"{report.model} attribution, {report.date_from} to {report.date_to} "
            f"({report.currency})"
        )
        if report.error:
            console.print(f"{title}: {report.error}")
            continue
        for cover in report.coverage:
            if cover.metric != "revenue" or grant.finance:  # revenue is money
                console.print(cover.note)
        table = Table(title=title)
        money = grant.finance
        columns = (
            level,
            "conversions",
            f"revenue ({report.currency})",
            f"spend ({report.currency})",
            "ROAS",
        )
        for name in columns if money else columns[:2]:
            table.add_column(name, justify="left" if name == level else "right")
        for row in report.rows:
            cells = [
                row.key,
                f"{row.conversions:,.1f}",
                f"{row.value:,.2f}",
                "" if row.spend is None else f"{row.spend:,.2f}",
                ("—" if row.roas_note else "") if row.roas is None else f"{row.roas:,.2f}",
            ]
            table.add_row(*(cells if money else cells[:2]))
        console.print(table)
        if not money:
            console.print("Revenue, spend and ROAS are hidden: the role has no finance figures.")
        console.print(f"{report.converting_journeys:,} orders, {report.journeys:,} journeys")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="attribution")
