"""`tradewinds attribution …`: multi-touch attribution from path files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from tradewinds.analytics.periods import PRESETS
from tradewinds.attribution.models.names import EVERY_MODEL, MODEL_NAMES
from tradewinds.cli.context import AsOption, ReadAs, RoleOption, WorkspaceName
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import translate
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.i18n_markers import Text

group = typer.Typer(help=_("Multi-touch attribution: which channels earned the conversions."))


def _check_model(model: str) -> str:
    if model not in MODEL_NAMES:
        raise typer.BadParameter(_("choose one of %(models)s", models=", ".join(MODEL_NAMES)))
    return model


@group.command("paths", help=_("Attribute a ChannelAttribution-style path file with one model."))
def paths_command(
    file: Annotated[Path, typer.Argument(help=_("path file: path;total_conversions;..."))],
    model: Annotated[
        str,
        typer.Option(
            "--model",
            help=_("one of %(models)s", models=", ".join(MODEL_NAMES)),
            callback=_check_model,
        ),
    ] = "markov",
    order: Annotated[int, typer.Option("--order", min=1, max=4, help=_("Markov order"))] = 1,
    sep: Annotated[str, typer.Option("--sep", help=_("field separator of the file"))] = ";",
    path_sep: Annotated[
        str, typer.Option("--path-sep", help=_("separator between channels"))
    ] = ">",
    half_life: Annotated[
        float | None,
        typer.Option(
            "--half-life", help=_("time decay: days, or touches when the file has no times")
        ),
    ] = None,
    first: Annotated[
        float, typer.Option("--first", help=_("position: share of first touch"))
    ] = 0.4,
    last: Annotated[float, typer.Option("--last", help=_("position: share of last touch"))] = 0.4,
    shapley: Annotated[
        str, typer.Option("--shapley", help=_("exact | simplified | ordered"))
    ] = "exact",
    worth: Annotated[
        str,
        typer.Option("--worth", help=_("Shapley coalition worth: conversions | conversion_rate")),
    ] = "conversions",
    collapse_repeats: Annotated[
        bool, typer.Option("--collapse-repeats", help=_("merge consecutive touches of one channel"))
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
        fail(Text("--sep must be a single character"), as_json=as_json, code="bad_option")
    if shapley not in ("exact", "simplified", "ordered"):
        fail(
            Text("--shapley must be exact, simplified or ordered"),
            as_json=as_json,
            code="bad_option",
        )
    if worth not in ("conversions", "conversion_rate"):
        fail(
            Text("--worth must be conversions or conversion_rate"),
            as_json=as_json,
            code="bad_option",
        )
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

    table = Table(title=_("%(model)s attribution of %(file)s", model=model, file=file.name))
    table.add_column(_("channel"))
    table.add_column(_("conversions"), justify="right")
    table.add_column(_("value"), justify="right")
    for row in credit.as_rows():
        table.add_row(str(row["channel"]), f"{row['conversions']:,.2f}", f"{row['value']:,.2f}")
    Console().print(table)


def _parse_day(text: str, option: str, as_json: bool) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(
            Text(
                "%(option)s: %(value)s is not a date like 2024-05-31",
                option=option,
                value=repr(text),
            ),
            as_json=as_json,
            code="bad_option",
        )
        raise  # unreachable: fail exits


@group.command(
    "run",
    help=_("Attribute a workspace's orders to channels (or campaigns), with ROAS from ad spend."),
)
def run_command(
    workspace: WorkspaceName,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            help=_(
                "one of %(models)s, or %(every)s", models=", ".join(MODEL_NAMES), every=EVERY_MODEL
            ),
        ),
    ] = "markov",
    date_from: Annotated[
        str | None, typer.Option("--from", help=_("first day (default: 29 days before --to)"))
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help=_("last day (default: the last day with orders, else today)")),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            "--period",
            help=_(
                "a named period instead of --from/--to: %(periods)s", periods=", ".join(PRESETS)
            ),
        ),
    ] = None,
    order: Annotated[int, typer.Option("--order", min=1, max=4, help=_("Markov order"))] = 1,
    level: Annotated[str, typer.Option("--level", help=_("channel | campaign"))] = "channel",
    lookback: Annotated[
        int, typer.Option("--lookback", min=1, help=_("lookback window, days"))
    ] = 30,
    collapse_repeats: Annotated[
        bool, typer.Option("--collapse-repeats", help=_("merge consecutive touches of one channel"))
    ] = False,
    channel_rules: Annotated[
        Path | None, typer.Option("--channel-rules", help=_("your own channel grouping YAML"))
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
            Text(
                "--model: choose one of %(models)s or %(every)s",
                models=", ".join(MODEL_NAMES),
                every=EVERY_MODEL,
            ),
            as_json=as_json,
            code="bad_option",
        )
    if level not in ("channel", "campaign"):
        fail(Text("--level must be channel or campaign"), as_json=as_json, code="bad_option")
    if preset is not None and preset not in PRESETS:
        fail(
            Text("--period: choose one of %(periods)s", periods=", ".join(PRESETS)),
            as_json=as_json,
            code="bad_option",
        )
    if preset is not None and (date_from or date_to):
        fail(
            Text("--period cannot be combined with --from or --to"),
            as_json=as_json,
            code="bad_option",
        )
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
            reports, _journeys = attribute_workspace(
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
        title = _(
            "%(model)s attribution, %(start)s to %(end)s (%(currency)s)",
            model=report.model,
            start=report.date_from,
            end=report.date_to,
            currency=report.currency,
        )
        if report.error:
            console.print(f"{title}: {translate(report.error)}")
            continue
        for cover in report.coverage:
            if cover.metric != "revenue" or grant.finance:  # revenue is money
                console.print(translate(cover.note))
        table = Table(title=title)
        money = grant.finance
        columns = (
            _("channel") if level == "channel" else _("campaign"),
            _("conversions"),
            _("revenue (%(currency)s)", currency=report.currency),
            _("spend (%(currency)s)", currency=report.currency),
            _("ROAS"),
        )
        for i, name in enumerate(columns if money else columns[:2]):
            table.add_column(name, justify="left" if i == 0 else "right")
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
            console.print(_("Revenue, spend and ROAS are hidden: the role has no finance figures."))
        console.print(
            _(
                "%(orders)s orders, %(journeys)s journeys",
                orders=format(report.converting_journeys, ","),
                journeys=format(report.journeys, ","),
            )
        )


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="attribution")
