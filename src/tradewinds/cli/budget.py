"""`tradewinds budget …`: fit media-mix response curves and plan a budget on them.

``fit`` reads a CSV file (one row a day: the date, the revenue, one spend column per
channel) or, without ``--file``, the workspace's own ad spend and revenue; ``optimize`` and
``forward`` plan on a saved model (``--model``) or on the workspace's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tradewinds.cli.context import AsOption, OptionalWorkspace, ReadAs, RoleOption
from tradewinds.cli.language import gettext as _
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.i18n_markers import Text

if TYPE_CHECKING:
    from tradewinds.budget.schemas import BudgetModel

budget_group = typer.Typer(
    help=_("Media-mix response curves per channel and a budget planner built on them."),
    no_args_is_help=True,
)


def _workspace_model(workspace: str, read_as: ReadAs) -> BudgetModel:
    """The workspace's model (fitted now when its figures changed), for a reader allowed
    to see it."""
    from tradewinds.budget import service
    from tradewinds.budget.access import BUDGET
    from tradewinds.cli.context import report_grant, resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.warehouse import open_warehouse

    with session_scope() as session:
        ws = resolve_workspace(session, workspace)
        report_grant(session, ws, BUDGET, read_as)
        key, currency, timezone = ws.key, ws.currency, ws.timezone
    with open_warehouse(key) as warehouse:
        return service.workspace_model(
            warehouse, workspace_key=key, currency=currency, timezone=timezone
        )


def _model(model: Path | None, workspace: str | None, read_as: ReadAs, as_json: bool):
    from tradewinds.budget import service
    from tradewinds.errors import TradewindsError

    try:
        if model is not None:
            return service.load(model)
        if not workspace:
            fail(
                Text("give --model MODEL.json or --workspace"),
                as_json=as_json,
                code="invalid_input",
            )
        return _workspace_model(workspace, read_as)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        raise  # unreachable: fail() exits


def _limits(values: list[str] | None, option: str, as_json: bool) -> dict[str, float]:
    out: dict[str, float] = {}
    for value in values or []:
        name, sep, amount = value.rpartition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            out[name.strip()] = float(amount)
        except ValueError:
            fail(
                Text(
                    "%(option)s must be CHANNEL=AMOUNT (e.g. google=500): %(value)s",
                    option=option,
                    value=value,
                ),
                as_json=as_json,
                code="invalid_input",
            )
    return out


@budget_group.command(
    "fit", help=_("Fit each channel's response curve from daily spend and revenue.")
)
def fit(
    file: Path | None = typer.Option(
        None, "--file", metavar="FILE.csv", help=_("daily CSV (default: the workspace's data)")
    ),
    date_column: str = typer.Option("date", "--date-column", help=_("the CSV's date column")),
    target: str = typer.Option("revenue", "--target", help=_("the CSV's revenue column")),
    currency: str = typer.Option(
        "USD", "--currency", help=_("the CSV's currency (the workspace's own otherwise)")
    ),
    market: str | None = typer.Option(
        None, "--market", help=_("ISO 3166 code whose holidays and festivals the fit uses")
    ),
    save: Path | None = typer.Option(
        None, "--save", metavar="MODEL.json", help=_("save the fitted model to this file")
    ),
    bootstrap: int = typer.Option(30, "--bootstrap", min=0, max=500, help=_("replicates")),
    workspace: str | None = OptionalWorkspace,
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """Fit each channel's response curve from daily spend and revenue."""
    from tradewinds.budget import service
    from tradewinds.budget.schemas import BudgetFitPublic
    from tradewinds.errors import TradewindsError

    try:
        if file is not None:
            model = service.fit_csv(
                file,
                date_column=date_column,
                target=target,
                currency=currency.upper(),
                market=market.upper() if market else None,
                bootstrap=bootstrap,
            )
        elif workspace:
            model = _workspace_model(workspace, ReadAs(as_email, role))
        else:
            fail(Text("give --file FILE.csv or --workspace"), as_json=as_json, code="invalid_input")
            return
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    if save is not None:
        service.save(model, save)
    public = BudgetFitPublic.model_validate(
        model.model_dump(include=set(BudgetFitPublic.model_fields))
    )
    if as_json:
        emit_json(public.model_dump(mode="json"))
        return
    typer.echo(
        _(
            "%(start)s – %(end)s, %(days)s days, money in %(currency)s: R² %(r2)s, "
            "hold-out error %(mape)s",
            start=public.start,
            end=public.end,
            days=public.fit.days,
            currency=public.currency,
            r2=f"{public.fit.r2:.2f}",
            mape="—" if public.fit.mape_holdout is None else f"{public.fit.mape_holdout:.1%}",
        )
    )
    header = (_("channel"), _("contribution"), _("ROI"), _("decay"), _("half-sat./day"))
    typer.echo(f"  {header[0]:<22} {header[1]:>16} {header[2]:>8} {header[3]:>7} {header[4]:>14}")
    for c in public.channels:
        # a channel whose spend the data cannot learn from shows no contribution (the page
        # does the same); its curve's parameters lean on the priors
        roi = "—" if c.roi is None or c.low_variation else f"{c.roi:.2f}"
        contribution = "—" if c.low_variation else f"{c.contribution:,.0f}"
        typer.echo(
            f"  {c.channel:<22} {contribution:>16} {roi:>8} "
            f"{c.adstock_decay:>7.2f} {c.half_saturation:>14,.0f}"
        )
    for warning in public.warnings:
        typer.echo(_("warning: %(message)s", message=warning))


@budget_group.command(
    "optimize", help=_("The best split of a daily budget across channels, within limits.")
)
def optimize(
    model: Path | None = typer.Option(
        None, "--model", metavar="MODEL.json", help=_("a model saved by `budget fit --save`")
    ),
    total_per_day: float | None = typer.Option(
        None, "--total-per-day", help=_("budget per day (default: the current spend)")
    ),
    objective: str = typer.Option("revenue", "--objective", help=_("revenue or profit")),
    margin: float = typer.Option(1.0, "--margin", help=_("profit margin on revenue (profit)")),
    minimum: list[str] | None = typer.Option(
        None, "--min", metavar="CHANNEL=AMOUNT", help=_("a channel's least spend per day")
    ),
    maximum: list[str] | None = typer.Option(
        None, "--max", metavar="CHANNEL=AMOUNT", help=_("a channel's most spend per day")
    ),
    fixed: list[str] | None = typer.Option(
        None, "--fixed", metavar="CHANNEL=AMOUNT", help=_("a committed spend per day")
    ),
    max_change: float | None = typer.Option(
        None, "--max-change", help=_("largest change from the current spend, e.g. 0.2")
    ),
    workspace: str | None = OptionalWorkspace,
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """The best split of a daily budget across channels, within limits."""
    from tradewinds.budget import service
    from tradewinds.errors import TradewindsError

    if objective not in ("revenue", "profit"):
        fail(Text("--objective must be revenue or profit"), as_json=as_json, code="invalid_input")
    fitted = _model(model, workspace, ReadAs(as_email, role), as_json)
    try:
        plan = service.plan(
            fitted,
            total_per_day=total_per_day,
            objective="profit" if objective == "profit" else "revenue",
            margin=margin,
            minimum=_limits(minimum, "--min", as_json),
            maximum=_limits(maximum, "--max", as_json),
            fixed=_limits(fixed, "--fixed", as_json),
            max_change=max_change,
        )
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    if as_json:
        emit_json(plan.model_dump(mode="json"))
        return
    typer.echo(
        _(
            "Plan: %(total)s a day in %(currency)s → media revenue %(expected)s a day "
            "(90%%: %(low)s – %(high)s); the current allocation: %(current)s",
            total=f"{plan.total_per_day:,.2f}",
            currency=plan.currency,
            expected=f"{plan.expected:,.0f}",
            low=_amount(plan.expected_low),
            high=_amount(plan.expected_high),
            current=f"{plan.current:,.0f}",
        )
    )
    for row in plan.rows:
        change = "—" if row.change is None else f"{row.change:+.0%}"
        typer.echo(f"  {row.channel:<22} {row.current:>12,.2f} → {row.planned:>12,.2f}  {change}")


def _amount(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


@budget_group.command(
    "forward", help=_("A week-by-week plan ahead, with the market's holidays and festivals.")
)
def forward(
    model: Path | None = typer.Option(
        None, "--model", metavar="MODEL.json", help=_("a model saved by `budget fit --save`")
    ),
    weeks: int = typer.Option(12, "--weeks", min=1, max=104, help=_("how many weeks")),
    start: str | None = typer.Option(
        None, "--start", help=_("first day, YYYY-MM-DD (default: the day after the data)")
    ),
    total_per_day: float | None = typer.Option(
        None, "--total-per-day", help=_("budget per day (default: the current spend)")
    ),
    market: str | None = typer.Option(None, "--market", help=_("ISO 3166 code")),
    uplift: float = typer.Option(
        0.0, "--uplift", help=_("extra budget in festival weeks, e.g. 0.3 for +30%")
    ),
    workspace: str | None = OptionalWorkspace,
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """A week-by-week plan ahead, with the market's holidays and festivals."""
    from datetime import date

    from tradewinds.budget import service
    from tradewinds.errors import TradewindsError

    first = None
    if start:
        try:
            first = date.fromisoformat(start)
        except ValueError:
            fail(
                Text(
                    "%(option)s must be a date, YYYY-MM-DD: %(value)s",
                    option="--start",
                    value=start,
                ),
                as_json=as_json,
                code="invalid_input",
            )
    fitted = _model(model, workspace, ReadAs(as_email, role), as_json)
    try:
        plan = service.forward(
            fitted,
            start=first,
            weeks=weeks,
            total_per_day=total_per_day,
            market=market.upper() if market else None,
            uplift=uplift,
        )
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    if as_json:
        emit_json(plan.model_dump(mode="json"))
        return
    typer.echo(_("Money in %(currency)s", currency=plan.currency))
    for week in plan.weeks:
        names = ", ".join(e.name for e in week.events)
        typer.echo(
            f"  {week.start} {week.budget:>12,.0f} {week.expected:>14,.0f}"
            f"  ({_amount(week.expected_low)} – {_amount(week.expected_high)})  {names}"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(budget_group, name="budget")
