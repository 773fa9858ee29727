"""Period reports (ad reports without a day column) and their breakdowns."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from tradewinds.analytics import period_spend, service
from tradewinds.analytics.access import PERIOD_REPORTS
from tradewinds.analytics.filters import scope_from_query
from tradewinds.analytics.period_schemas import PeriodReportsPublic
from tradewinds.api.deps import reader
from tradewinds.warehouse import open_warehouse

router = APIRouter(tags=["analytics"])
PeriodReportsReader = reader(PERIOD_REPORTS)


@router.get("/period-reports", response_model=PeriodReportsPublic, response_model_by_alias=True)
def period_reports(
    request: Request,
    principal: PeriodReportsReader,
    from_: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
) -> PeriodReportsPublic:
    """Every period report overlapping the range, with its rows by its own dimension
    (landing page, interaction type, keyword …), its account total, the part of it no row
    covers, and whether dashboards count it."""
    ws = principal.workspace
    query = {k: v for k in ("from", "to") if (v := request.query_params.getlist(k))}
    with open_warehouse(ws.key) as warehouse:
        scope = scope_from_query(
            query,
            timezone=ws.timezone,
            group_by="",
            default_end=service.default_end(warehouse=warehouse, timezone=ws.timezone),
        )
        reports = period_spend.breakdowns(warehouse, scope)
    return PeriodReportsPublic.model_validate(
        {"from": scope.start.isoformat(), "to": scope.end.isoformat(), "reports": reports}
    )
