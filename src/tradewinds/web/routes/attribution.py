"""Attribution: every model side by side, with ROAS and the Markov transition heatmap."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tradewinds.analytics.calculations import change
from tradewinds.attribution.access import ATTRIBUTION
from tradewinds.attribution.models.catalog import MODEL_NAMES, ModelSettings
from tradewinds.attribution.models.names import MODELS
from tradewinds.attribution.service import attribute_workspace, transition_heatmap
from tradewinds.web import numbers, periods
from tradewinds.web.deps import WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _
from tradewinds.web.periods import Period

router = APIRouter(prefix="/attribution", include_in_schema=False)
AttributionPage = reading(ATTRIBUTION)

MODEL_LABELS = MODELS


def _params(period: Period, level: str, order: int, lookback: int) -> dict[str, Any]:
    if level not in ("channel", "campaign"):
        level = "channel"
    return {
        "start": period.start,
        "end": period.end,
        "level": level,
        "order": min(max(order, 1), 4),
        "lookback": min(max(lookback, 1), 365),
    }


def _compute(
    ctx: WebContext,
    request: Request,
    level: str,
    order: int,
    lookback: int,
    *,
    default_compare: str = "",
) -> tuple[Period, dict[str, Any], Any, Any]:
    """The page's period (``web/periods.py``), its settings, every model's attribution of
    it and, when a comparison is asked for and its period holds data, the Markov model's
    attribution of the comparison period (or None)."""
    from tradewinds.warehouse import open_warehouse

    tz = ctx.workspace.timezone
    with open_warehouse(ctx.workspace.key) as warehouse:
        period = periods.from_request(request, warehouse, tz, default_compare=default_compare)
        p = _params(period, level, order, lookback)

        def run(start: Any, end: Any, models: tuple[str, ...]) -> Any:
            return attribute_workspace(
                warehouse=warehouse,
                currency=ctx.workspace.currency,
                date_from=start,
                date_to=end,
                models=models,
                settings=ModelSettings(order=p["order"]),
                level=p["level"],
                lookback_days=p["lookback"],
                timezone=tz,
            )

        reports, paths = run(period.start, period.end, MODEL_NAMES)
        before = None
        if period.compare and not period.compare_empty:
            before = run(period.compare_start, period.compare_end, (COMPARED_MODEL,))[0][0]
    return period, p, (reports, paths), before


#: the model whose credit per row is compared with the comparison period's
COMPARED_MODEL = "markov"


def _totals(report: Any) -> dict[str, float | None]:
    """The headline figures of one attribution (the same for every model)."""
    orders, revenue = report.covers("orders"), report.covers("revenue")
    spend = report.total_spend
    return {
        "orders": orders.total if orders else None,
        "orders_credited": report.total_conversions,
        "revenue": revenue.total if revenue else None,
        "revenue_credited": report.total_value,
        "spend": spend,
        "roas": report.store_roas,
        "credited_roas": report.total_value / spend if spend else None,
        "journeys": float(report.journeys),
    }


def _compared(period: Period, now: float | None, before: float | None, *, lower: bool = False):
    """A figure's change against the comparison period, as the tiles and rows show it."""
    if not period.compare:
        return None
    if period.compare_empty:
        return {"text": periods.no_data_text(period), "cls": "muted", "before": ""}
    return periods.change(change(now, before), lower_is_better=lower) or {
        "text": "—",
        "cls": "muted",
    }


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
    level: str = "channel",
    order: int = 1,
    lookback: int = 30,
):
    ctx.nav = "attribution"
    period, p, (reports, paths), before = _compute(ctx, request, level, order, lookback)
    currency = ctx.workspace.currency
    base = {
        "params": p,
        "errors": {},
        "currency": currency,
        "period": period,
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
    now = _totals(first)
    then = _totals(before) if before is not None else {}
    money = lambda v: numbers.money(v, currency)  # noqa: E731
    ratio = lambda v: "—" if v is None else f"{numbers.number(v, 2)}×"  # noqa: E731
    labels = {
        "orders": (_("Orders in the period"), numbers.number),
        "orders_credited": (_("Orders credited (tracked journey)"), numbers.number),
        "revenue": (_("Revenue (%(currency)s)", currency=currency), money),
        "revenue_credited": (_("Revenue credited (%(currency)s)", currency=currency), money),
        "spend": (_("Ad spend (%(currency)s)", currency=currency), money),
        "roas": (_("ROAS (store)"), ratio),
        "credited_roas": (_("ROAS of credited revenue"), ratio),
        "journeys": (_("Journeys"), numbers.number),
    }
    tiles = [
        {
            "metric": metric,
            "label": label,
            "value": shown(now[metric]) if now[metric] is not None else "—",
            "before": (shown(then[metric]) if then.get(metric) is not None else "—")
            if then
            else "",
            "change": _compared(period, now[metric], then.get(metric), lower=metric == "spend"),
        }
        for metric, (label, shown) in labels.items()
    ]
    compared_rows = []
    if period.compare and not period.compare_empty:
        was = {r.key: r for r in before.rows} if before is not None and not before.error else {}
        for key in keys:
            conv, value = (
                cell(COMPARED_MODEL, key, "conversions"),
                cell(COMPARED_MODEL, key, "value"),
            )
            old = was.get(key)
            old_conv = old.conversions if old else (0.0 if was else None)
            old_value = old.value if old else (0.0 if was else None)
            compared_rows.append(
                {
                    "key": key,
                    "conversions": numbers.number(conv, 1),
                    "conversions_before": numbers.number(old_conv, 1)
                    if old_conv is not None
                    else "—",
                    "conversions_change": _compared(period, conv, old_conv),
                    "revenue": numbers.money(value, currency),
                    "revenue_before": numbers.money(old_value, currency)
                    if old_value is not None
                    else "—",
                    "revenue_change": _compared(period, value, old_value),
                }
            )
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
            compared_rows=compared_rows,
            no_comparison=periods.no_data_text(period) if period.compare_empty else "",
            compared_model=_(MODEL_LABELS[COMPARED_MODEL]),
            **base,
        ),
    )


@router.get(".csv")
def attribution_csv(
    request: Request,
    ctx: AttributionPage,
    level: str = "channel",
    order: int = 1,
    lookback: int = 30,
):
    _period, p, (reports, _paths), _before = _compute(ctx, request, level, order, lookback)
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
