"""Attribution: every model side by side, with ROAS and the Markov transition heatmap."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tradewinds.attribution.access import ATTRIBUTION
from tradewinds.attribution.models.catalog import MODEL_NAMES, ModelSettings
from tradewinds.attribution.models.names import MODELS
from tradewinds.attribution.service import attribute_workspace, transition_heatmap
from tradewinds.web import numbers
from tradewinds.web.deps import WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _

router = APIRouter(prefix="/attribution", include_in_schema=False)
AttributionPage = reading(ATTRIBUTION)

MODEL_LABELS = MODELS


def _day(text: str | None, default: date) -> tuple[date, str | None]:
    if not text:
        return default, None
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return default, _("%(text)s is not a date; use the form 2024-05-31", text=repr(text))


def _last_day_with_data(ctx: WebContext) -> date:
    """Default the period to end on the workspace's last day with data, as the overview does."""
    from tradewinds.analytics.service import default_end
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(ctx.workspace.key) as warehouse:
        return default_end(warehouse=warehouse, timezone=ctx.workspace.timezone)


def _params(
    date_from: str | None,
    date_to: str | None,
    level: str,
    order: int,
    lookback: int,
    default_end: date | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    end, err = _day(date_to, default_end or date.today())
    if err:
        errors["to"] = err
    start, err = _day(date_from, end - timedelta(days=29))
    if err:
        errors["from"] = err
    if start > end:
        errors["from"] = _("the first day is after the last day")
        start = end - timedelta(days=29)
    if level not in ("channel", "campaign"):
        level = "channel"
    order = min(max(order, 1), 4)
    lookback = min(max(lookback, 1), 365)
    return {
        "start": start,
        "end": end,
        "level": level,
        "order": order,
        "lookback": lookback,
    }, errors


def _compute(ctx: WebContext, p: dict[str, Any]):
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(ctx.workspace.key) as warehouse:
        return attribute_workspace(
            warehouse=warehouse,
            currency=ctx.workspace.currency,
            date_from=p["start"],
            date_to=p["end"],
            models=MODEL_NAMES,
            settings=ModelSettings(order=p["order"]),
            level=p["level"],
            lookback_days=p["lookback"],
            timezone=ctx.workspace.timezone,
        )


def _verdict(reports: list) -> str:
    leaders = {}
    for r in reports:
        if r.error or not r.rows or r.rows[0].value <= 0:
            continue
        leaders[r.model] = r.rows[0].key
    if not leaders:
        return _("No attributed revenue in this period.")
    names = set(leaders.values())
    if len(names) == 1:
        return _("%(name)s earns the most revenue under every model.", name=names.pop())
    markov = leaders.get("markov")
    last = leaders.get("last")
    if markov and last and markov != last:
        return _(
            "Models disagree: last touch credits %(last)s most, the Markov model "
            "%(markov)s — %(markov)s opens or carries journeys that others close.",
            last=last,
            markov=markov,
        )
    return _("Models disagree on the top channel: compare them below before moving budget.")


@router.get("")
def attribution_page(
    request: Request,
    ctx: AttributionPage,
    date_from: Annotated[str | None, Query(alias="from")] = None,
    date_to: Annotated[str | None, Query(alias="to")] = None,
    level: str = "channel",
    order: int = 1,
    lookback: int = 30,
):
    ctx.nav = "attribution"
    p, errors = _params(
        date_from,
        date_to,
        level,
        order,
        lookback,
        default_end=None if date_to else _last_day_with_data(ctx),
    )
    currency = ctx.workspace.currency
    reports, paths = _compute(ctx, p)
    base = {
        "params": p,
        "errors": errors,
        "currency": currency,
        "form": {"from": p["start"].isoformat(), "to": p["end"].isoformat()},
    }
    if paths.table.n_paths == 0 or reports[0].total_conversions == 0:
        return render(
            request,
            "attribution/index.html",
            ctx.page(empty=True, coverage=reports[0].coverage, **base),
        )
    by_model = {r.model: r for r in reports}
    keys = sorted(
        {row.key for r in reports for row in r.rows},
        key=lambda k: -next((row.value for row in by_model["markov"].rows if row.key == k), 0.0),
    )

    def cell(model: str, key: str, what: str) -> float | None:
        report = by_model[model]
        for row in report.rows:
            if row.key == key:
                return getattr(row, what)
        return None

    def roas_text(model: str, key: str) -> str:
        value = cell(model, key, "roas")
        return "—" if value is None else numbers.number(value, 2)

    rows = []
    not_attributed = []
    for key in keys:
        spend = cell("markov", key, "spend")
        note = cell("markov", key, "roas_note")
        if note:
            not_attributed.append({"key": key, "note": note})
        rows.append(
            {
                "key": key,
                "conversions": [
                    numbers.number(cell(m, key, "conversions"), 1) for m in MODEL_NAMES
                ],
                "conversions_raw": [cell(m, key, "conversions") or 0.0 for m in MODEL_NAMES],
                "revenue": [numbers.money(cell(m, key, "value"), currency) for m in MODEL_NAMES],
                "roas": [roas_text(m, key) for m in MODEL_NAMES],
                "roas_note": note or "",
                "spend": numbers.money(spend, currency) if spend is not None else "",
            }
        )
    first = reports[0]
    spend_total = first.total_spend
    orders, revenue = first.covers("orders"), first.covers("revenue")
    tiles = [
        ("orders", _("Orders in the period"), numbers.number(orders.total if orders else None)),
        (
            "orders_credited",
            _("Orders credited (tracked journey)"),
            numbers.number(first.total_conversions, 0),
        ),
        (
            "revenue",
            _("Revenue (%(currency)s)", currency=currency),
            numbers.money(revenue.total if revenue else None, currency),
        ),
        (
            "revenue_credited",
            _("Revenue credited (%(currency)s)", currency=currency),
            numbers.money(first.total_value, currency),
        ),
        (
            "spend",
            _("Ad spend (%(currency)s)", currency=currency),
            numbers.money(spend_total, currency),
        ),
        (
            "roas",
            _("ROAS (store)"),
            "—" if first.store_roas is None else f"{numbers.number(first.store_roas, 2)}×",
        ),
        (
            "credited_roas",
            _("ROAS of credited revenue"),
            numbers.number(first.total_value / spend_total, 2) if spend_total else "—",
        ),
        ("journeys", _("Journeys"), numbers.number(first.journeys, 0)),
    ]
    chart = {
        "models": [_(MODEL_LABELS[m]) for m in MODEL_NAMES],
        # the chart's words, in the page's language (static/attribution.js)
        "labels": {"axis": _("orders credited"), "orders": _("orders")},
        "keys": keys,
        "values": [[cell(m, k, "conversions") or 0.0 for k in keys] for m in MODEL_NAMES],
    }
    heat = transition_heatmap(paths.table, order=1)
    failed = [f"{_(MODEL_LABELS[r.model])}: {r.error}" for r in reports if r.error]
    return render(
        request,
        "attribution/index.html",
        ctx.page(
            empty=False,
            verdict=_verdict(reports),
            tiles=tiles,
            rows=rows,
            models=[_(MODEL_LABELS[m]) for m in MODEL_NAMES],
            chart=chart,
            heat=heat,
            failed=failed,
            missing_rates=first.missing_rates,
            total_conversions=first.total_conversions,
            coverage=first.coverage,
            not_attributed=not_attributed,
            **base,
        ),
    )


@router.get(".csv")
def attribution_csv(
    ctx: AttributionPage,
    date_from: Annotated[str | None, Query(alias="from")] = None,
    date_to: Annotated[str | None, Query(alias="to")] = None,
    level: str = "channel",
    order: int = 1,
    lookback: int = 30,
):
    p, _ = _params(
        date_from,
        date_to,
        level,
        order,
        lookback,
        default_end=None if date_to else _last_day_with_data(ctx),
    )
    reports, _ = _compute(ctx, p)
    out = io.StringIO()
    writer = csv.writer(out)
    currency = ctx.workspace.currency
    writer.writerow(
        ["model", p["level"], "conversions", f"revenue_{currency}", f"spend_{currency}", "roas"]
    )
    for r in reports:
        for row in r.rows:
            writer.writerow(
                [
                    r.model,
                    row.key,
                    f"{row.conversions:.4f}",
                    f"{row.value:.2f}",
                    "" if row.spend is None else f"{row.spend:.2f}",
                    "" if row.roas is None else f"{row.roas:.4f}",
                ]
            )
    name = f"attribution_{p['start']}_{p['end']}.csv"
    return Response(
        ctx.strip_csv(out.getvalue()),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
