"""`tradewinds metrics`: a period's KPI figures, as the Overview and the metrics API show them."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tradewinds.cli.context import WorkspaceName
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import translate
from tradewinds.cli.output import JsonOption, emit_json, fail


def metrics_command(
    workspace: WorkspaceName,
    date_from: Annotated[
        str | None,
        typer.Option("--from", help=_("first day, YYYY-MM-DD (default: 29 days before --to)")),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help=_("last day, YYYY-MM-DD (default: the last day with orders)")),
    ] = None,
    definitions: Annotated[
        bool, typer.Option("--definitions", help=_("also print how each figure is defined"))
    ] = False,
    as_json: bool = JsonOption,
) -> None:
    """Orders, revenue, net revenue, customers, new customers, ad spend, ROAS, CAC and the
    storefront conversion rate of a period, from the same service as the Overview."""
    from tradewinds.analytics import service
    from tradewinds.cli.context import report_period
    from tradewinds.errors import TradewindsError

    try:
        with report_period(workspace, date_from, date_to) as period:
            warehouse, scope, currency = period.warehouse, period.scope, period.currency
            summary = service.kpi_summary(warehouse=warehouse, currency=currency, scope=scope)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json(summary.model_dump(mode="json", by_alias=True))
        return
    typer.echo(
        _(
            "%(start)s – %(end)s (%(timezone)s days), money in %(currency)s",
            start=summary.start,
            end=summary.end,
            timezone=summary.timezone,
            currency=summary.currency,
        )
    )
    for figure in summary.figures:
        label = _(figure.label)  # the figures' labels are in the catalogs (analytics/metrics.py)
        typer.echo(f"  {label:<48} {_text(figure.unit, figure.value):>16}")
        if definitions:
            typer.echo(f"      = {figure.formula}: {figure.counts}")
    for line in [c.note for c in summary.coverage] + summary.notes:
        typer.echo(translate(line))


def _text(unit: str, value: Any) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:.2%}"
    if unit == "ratio":
        return f"{value:,.2f}×"
    if unit in ("money", "money_per"):
        return f"{value:,.2f}"
    return f"{value:,}"


def register(app: typer.Typer) -> None:
    app.command(
        "metrics",
        help=_(
            "Orders, revenue, net revenue, customers, new customers, ad spend, "
            "ROAS, CAC and the storefront conversion rate of a period, from the "
            "same service as the Overview."
        ),
    )(metrics_command)
