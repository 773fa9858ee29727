"""KPIs, cohorts and funnels of the caller's workspace: the same service as the Overview page.

``data.read`` is needed for every report; money figures (spend, revenue, ROAS, CAC …) also
need ``finance.read`` — a viewer sees counts and rates, not money (declared in
``analytics/access.py``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from tradewinds.analytics import access, service
from tradewinds.analytics.filters import ReportScope, scope_from_query
from tradewinds.analytics.metrics import DEFINITIONS
from tradewinds.analytics.schemas import (
    ChannelLtvReportPublic,
    CohortReportPublic,
    DefinitionPublic,
    FunnelReportPublic,
    KpiSummary,
    MetricsReportPublic,
)
from tradewinds.api.deps import IsoDate, WarehouseDep, reader
from tradewinds.warehouse import Warehouse

router = APIRouter(tags=["analytics"])
MetricsReader = reader(access.METRICS)
FunnelsReader = reader(access.FUNNELS)
CohortsReader = reader(access.COHORTS)
LtvReader = reader(access.CHANNEL_LTV)

DEFAULT_METRICS = ("spend", "revenue", "roas")


def _query(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, []).append(value)
    return out


def _scope(request: Request, warehouse: Warehouse, ws: Any, **options: Any) -> ReportScope:
    """The report's range, filters and grouping from the query, in the workspace's days."""
    return scope_from_query(
        _query(request),
        timezone=ws.timezone,
        default_end=service.default_end(warehouse=warehouse, timezone=ws.timezone),
        **options,
    )


@router.get("/metrics", response_model=MetricsReportPublic, response_model_exclude_unset=True)
def metrics(
    request: Request,
    principal: MetricsReader,
    warehouse: WarehouseDep,
    metrics: Annotated[str | None, Query(description="comma-separated metric names")] = None,
    group_by: Annotated[str | None, Query(description="e.g. channel,country or month")] = None,
    compare: Annotated[
        str | None,
        Query(
            pattern="^(previous|year|none)?$",
            description="previous: the period just before; year: the same days a year before",
        ),
    ] = None,
    from_: Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[IsoDate | None, Query(description="YYYY-MM-DD, inclusive")] = None,
) -> MetricsReportPublic:
    """KPIs in the workspace's reporting currency, one row per group (each figure as
    ``/metrics/definitions`` defines it). Without grouping, ``coverage`` says what a figure
    that counts part of another leaves out (conversion rate: imported orders)."""
    grant = principal.grant
    default = DEFAULT_METRICS if grant.finance else access.MONEY_FREE_DEFAULT
    names = service.parse_metrics(metrics, default=default)
    grant.refuse_money(names, "the metrics list")
    ws = principal.workspace
    scope = _scope(request, warehouse, ws, group_by=group_by)
    report = service.metrics_report(
        warehouse=warehouse,
        currency=ws.currency,
        scope=scope,
        metrics=names,
        compare=compare or "none",
    )
    return MetricsReportPublic.of(report.to_dict())


@router.get("/metrics/summary", response_model=KpiSummary, response_model_by_alias=True)
def metrics_summary(
    request: Request,
    principal: MetricsReader,
    warehouse: WarehouseDep,
    from_: Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[IsoDate | None, Query(description="YYYY-MM-DD, inclusive")] = None,
) -> KpiSummary:
    """The period's KPI figures (orders, revenue, net revenue, customers, new customers, ad
    spend, ROAS, CAC, conversion rate), each with its definition; the Overview's tiles and
    ``tradewinds metrics`` show the same. Money figures only with ``finance.read``."""
    ws = principal.workspace
    scope = _scope(request, warehouse, ws, group_by="")
    return service.kpi_summary(
        warehouse=warehouse, currency=ws.currency, scope=scope, finance=principal.grant.finance
    )


@router.get("/metrics/definitions", response_model=list[DefinitionPublic])
def metrics_definitions(principal: MetricsReader) -> list[DefinitionPublic]:
    """How every figure is defined: label, unit, formula and what it counts."""
    return [DefinitionPublic(**d.to_dict()) for d in DEFINITIONS.values()]


@router.get("/cohorts", response_model=CohortReportPublic, response_model_exclude_unset=True)
def cohorts(
    request: Request,
    principal: CohortsReader,
    warehouse: WarehouseDep,
    from_: Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[IsoDate | None, Query(description="YYYY-MM-DD, inclusive")] = None,
) -> CohortReportPublic:
    """Monthly acquisition cohorts: retention, LTV curve, CAC and payback month."""
    ws = principal.workspace
    scope = _scope(request, warehouse, ws, default_days=365, group_by="")
    return CohortReportPublic.of(
        service.cohort_report(warehouse=warehouse, scope=scope, currency=ws.currency)
    )


@router.get("/ltv", response_model=ChannelLtvReportPublic, response_model_exclude_unset=True)
def ltv(
    request: Request,
    principal: LtvReader,
    warehouse: WarehouseDep,
    from_: Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[IsoDate | None, Query(description="YYYY-MM-DD, inclusive")] = None,
) -> ChannelLtvReportPublic:
    """Lifetime value by acquisition channel: LTV curve by month since the first order, CAC
    (the channel's ad spend / the customers it brought) and the payback month."""
    ws = principal.workspace
    scope = _scope(request, warehouse, ws, default_days=365, group_by="")
    return ChannelLtvReportPublic.of(
        service.channel_ltv_report(warehouse=warehouse, scope=scope, currency=ws.currency)
    )


@router.get("/funnels", response_model=FunnelReportPublic, response_model_exclude_unset=True)
def funnels(
    request: Request,
    principal: FunnelsReader,
    warehouse: WarehouseDep,
    group_by: Annotated[str | None, Query(description="channel, country, device, campaign")] = None,
    from_: Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[IsoDate | None, Query(description="YYYY-MM-DD, inclusive")] = None,
) -> FunnelReportPublic:
    """Visitors at each step from product view to order, with drop-off per step."""
    ws = principal.workspace
    scope = _scope(request, warehouse, ws, group_by=group_by or "")
    return FunnelReportPublic.of(service.funnel_report(warehouse=warehouse, scope=scope))
