"""Invalid traffic: invalid-click rate and wasted spend by campaign, placement, network and
country, the exclusion lists and the refund-claim evidence packs. The page reads the same
report as ``tradewinds fraud report`` and ``GET /api/v1/fraud/report`` (fraud/service.py)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tradewinds.fraud.access import FRAUD, FRAUD_EVIDENCE
from tradewinds.web import numbers, periods
from tradewinds.web.deps import WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.i18n import N_
from tradewinds.web.i18n import gettext as _

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

router = APIRouter(prefix="/fraud", include_in_schema=False)
FraudPage = reading(FRAUD)
EvidencePage = reading(FRAUD_EVIDENCE)

DIMENSIONS = {
    "campaigns": N_("Campaign"),
    "placements": N_("Placement"),
    "networks": N_("Network"),
    "countries": N_("Country"),
}
LISTS = {
    "google_ip": N_("Google Ads IP exclusions"),
    "google_placements": N_("Google Ads placement exclusions"),
    "meta_block_list": N_("Meta block list"),
}


def _period(ctx: WebContext, request: Request, warehouse: Warehouse) -> tuple[Any, Any]:
    from tradewinds.analytics.filters import scope_from_query

    ws = ctx.workspace
    period = periods.from_request(request, warehouse, ws.timezone)
    scope = scope_from_query(
        {"from": period.start.isoformat(), "to": period.end.isoformat()},
        timezone=ws.timezone,
        group_by="",
        default_end=period.end,
    )
    return period, scope


def _load(ctx: WebContext, request: Request) -> tuple[Any, Any, Any]:
    from tradewinds.fraud import service
    from tradewinds.warehouse import open_warehouse
    from tradewinds.web.texts import translate

    ws = ctx.workspace
    with open_warehouse(ws.key) as warehouse:
        period, scope = _period(ctx, request, warehouse)
        found = service.report(
            warehouse=warehouse,
            scope=scope,
            currency=ws.currency,
            workspace_key=ws.key,
            workspace_name=ws.name,
            tr=translate,
        )
    return period, scope, found


def _rows(items: list[Any], currency: str) -> list[dict[str, Any]]:
    return [
        {
            "key": r.key,
            "clicks": numbers.number(r.clicks),
            "clicks_raw": r.clicks,
            "invalid": numbers.number(r.invalid_clicks),
            "invalid_raw": r.invalid_clicks,
            "rate": numbers.percent(r.invalid_rate),
            "rate_raw": r.invalid_rate,
            "spend": numbers.money(float(r.spend), currency) if r.spend is not None else "—",
            "wasted_spend": numbers.money(float(r.wasted_spend), currency)
            if r.wasted_spend is not None
            else "—",
        }
        for r in items
    ]


def _chart(found: Any) -> dict[str, Any]:
    from tradewinds.web import charts

    rows = found.campaigns[:12]
    keys = [r.key for r in rows]
    valid = {
        "type": "bar",
        "orientation": "h",
        "name": _("Valid clicks"),
        "y": keys,
        "x": [r.clicks - r.invalid_clicks for r in rows],
        "marker": {"color": "#c9dcf0"},
    }
    invalid = {
        "type": "bar",
        "orientation": "h",
        "name": _("Invalid clicks"),
        "y": keys,
        "x": [r.invalid_clicks for r in rows],
        "marker": {"color": charts.ACCENT},
    }
    return {
        "data": [invalid, valid],
        "layout": charts.layout(
            title=_("Valid and invalid clicks by campaign"),
            height=max(220, 30 * len(rows) + 100),
            barmode="stack",
            yaxis={"autorange": "reversed", "automargin": True},
            margin={"l": 10},
        ),
    }


@router.get("")
def fraud_page(request: Request, ctx: FraudPage):
    ctx.nav = "fraud"
    period, _scope, found = _load(ctx, request)
    currency = found.currency
    tiles = [
        {"metric": "clicks", "label": _("Clicks"), "value": numbers.number(found.clicks)},
        {
            "metric": "invalid_clicks",
            "label": _("Invalid clicks"),
            "value": numbers.number(found.invalid_clicks),
        },
        {
            "metric": "invalid_rate",
            "label": _("Invalid-click rate"),
            "value": numbers.percent(found.invalid_rate),
        },
        {
            "metric": "wasted_spend",
            "label": _("Wasted spend (%(currency)s)", currency=currency),
            "value": numbers.money(float(found.wasted_spend), currency)
            if found.wasted_spend is not None
            else "—",
        },
        {
            "metric": "spend",
            "label": _("Ad spend (%(currency)s)", currency=currency),
            "value": numbers.money(float(found.spend), currency)
            if found.spend is not None
            else "—",
        },
    ]
    tables = {dim: _rows(getattr(found, dim), currency) for dim in DIMENSIONS}
    networks = [r.key for r in found.networks if r.invalid_clicks]
    return render(
        request,
        "fraud/index.html",
        ctx.page(
            period=period,
            period_compare=False,
            report=found,
            empty=found.clicks == 0,
            tiles=tiles,
            tables=tables,
            dimensions=DIMENSIONS,
            lists=LISTS,
            networks=networks,
            figure=_chart(found) if found.campaigns else None,
            currency=currency,
            query=period.query_string(),
        ),
    )


@router.get(".csv")
def fraud_csv(request: Request, ctx: FraudPage, by: str = "campaigns"):
    """One of the page's tables as CSV (money columns left out for roles without finance)."""
    dim = by if by in DIMENSIONS else "campaigns"
    _shown, _scope, found = _load(ctx, request)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    cur = found.currency
    writer.writerow(
        [
            dim[:-1],
            "clicks",
            "invalid_clicks",
            "invalid_rate",
            f"spend_{cur}",
            f"wasted_spend_{cur}",
        ]
    )
    for r in getattr(found, dim):
        writer.writerow(
            [r.key, r.clicks, r.invalid_clicks, r.invalid_rate, r.spend or "", r.wasted_spend or ""]
        )
    return Response(
        ctx.strip_csv(out.getvalue()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="invalid-clicks-{dim}.csv"'},
    )


@router.get("/exclusions.csv")
def exclusions_csv(request: Request, ctx: FraudPage, list: str = "google_ip"):  # noqa: A002
    """An exclusion list in the platform's upload format."""
    from tradewinds.fraud import service
    from tradewinds.warehouse import open_warehouse

    kind = list if list in LISTS else "google_ip"
    with open_warehouse(ctx.workspace.key) as warehouse:
        _shown, scope = _period(ctx, request, warehouse)
        text = service.exclusion_list(
            warehouse=warehouse, scope=scope, workspace_key=ctx.workspace.key, kind=kind
        )
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind}.csv"'},
    )


@router.get("/evidence.zip")
def evidence_zip(request: Request, ctx: EvidencePage, network: str | None = None):
    """The refund-claim evidence pack of one network and the page's period (without a
    network: back to the page, which links one pack per network)."""
    from tradewinds.fraud import service
    from tradewinds.warehouse import open_warehouse

    if not network:
        return RedirectResponse("/fraud", status_code=303)
    with open_warehouse(ctx.workspace.key) as warehouse:
        _shown, scope = _period(ctx, request, warehouse)
        data = service.evidence_pack(
            warehouse=warehouse,
            scope=scope,
            currency=ctx.workspace.currency,
            workspace_key=ctx.workspace.key,
            workspace_name=ctx.workspace.name,
            network=network,
        )
    name = f"invalid-clicks-{network}-{scope.start}-{scope.end}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
