"""Invalid traffic: the workspace's invalid clicks and wasted spend, exclusion lists in the
platforms' upload formats, and refund-claim evidence packs (``fraud/service.py``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tradewinds.analytics import service as analytics
from tradewinds.analytics.filters import ReportScope, scope_from_query
from tradewinds.api.deps import ReportRoute, reader
from tradewinds.db.models.tenancy import Workspace
from tradewinds.fraud import service
from tradewinds.fraud.access import FRAUD, FRAUD_EVIDENCE
from tradewinds.fraud.schemas import FraudReportPublic
from tradewinds.warehouse import open_warehouse
from tradewinds.warehouse.backend import Warehouse

router = APIRouter(prefix="/fraud", tags=["fraud"], route_class=ReportRoute)
FraudReader = reader(FRAUD)
EvidenceReader = reader(FRAUD_EVIDENCE)
FromQuery = Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")]
ToQuery = Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")]


def _scope(request: Request, ws: Workspace, warehouse: Warehouse) -> ReportScope:
    query = {k: v for k in ("from", "to") if (v := request.query_params.getlist(k))}
    return scope_from_query(
        query,
        timezone=ws.timezone,
        group_by="",
        default_end=analytics.default_end(warehouse=warehouse, timezone=ws.timezone),
    )


@router.get("/report", response_model=FraudReportPublic)
def fraud_report(
    request: Request, principal: FraudReader, from_: FromQuery = None, to: ToQuery = None
) -> FraudReportPublic:
    """Invalid-click rate and wasted spend per campaign, placement, network and country.
    Wasted spend is an estimate: ``wasted_definition`` says how it is made."""
    ws = principal.workspace
    with open_warehouse(ws.key) as warehouse:
        scope = _scope(request, ws, warehouse)
        return service.report(
            warehouse=warehouse,
            scope=scope,
            currency=ws.currency,
            workspace_key=ws.key,
            workspace_name=ws.name,
        )


@router.get(
    "/exclusions",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "the list, as CSV",
        }
    },
)
def exclusions(
    request: Request,
    principal: FraudReader,
    list_: Annotated[
        str, Query(alias="list", description="google_ip | google_placements | meta_block_list")
    ],
    from_: FromQuery = None,
    to: ToQuery = None,
) -> Response:
    """An exclusion list in the platform's upload format (see docs/fraud.md)."""
    ws = principal.workspace
    with open_warehouse(ws.key) as warehouse:
        scope = _scope(request, ws, warehouse)
        text = service.exclusion_list(
            warehouse=warehouse, scope=scope, workspace_key=ws.key, kind=list_
        )
    name = f"{ws.key}-{list_}-{scope.start}-{scope.end}.csv"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/evidence",
    response_class=Response,
    responses={
        200: {
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            "description": "clicks.csv + summary",
        }
    },
)
def evidence(
    request: Request,
    principal: EvidenceReader,
    network: Annotated[str, Query(description="the ad platform, e.g. google or meta")],
    from_: FromQuery = None,
    to: ToQuery = None,
) -> Response:
    """A refund-claim evidence pack: a ZIP of the network's flagged clicks with their
    reasons (clicks.csv) and a summary page (summary.html)."""
    ws = principal.workspace
    with open_warehouse(ws.key) as warehouse:
        scope = _scope(request, ws, warehouse)
        data = service.evidence_pack(
            warehouse=warehouse,
            scope=scope,
            currency=ws.currency,
            workspace_key=ws.key,
            workspace_name=ws.name,
            network=network,
        )
    name = f"{ws.key}-{network}-invalid-clicks-{scope.start}-{scope.end}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
