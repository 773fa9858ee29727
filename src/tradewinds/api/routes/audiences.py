"""Customers: RFM segments, clusters, rule segments, CLV, lookalikes, recommendations, exports."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tradewinds.api.deps import Principal, ReportRoute, SessionDep, reader, require
from tradewinds.audiences import access, service
from tradewinds.audiences.scores import ClvSettings

router = APIRouter(prefix="/audiences", tags=["audiences"], route_class=ReportRoute)

RfmReader = reader(access.RFM)
Clusters = reader(access.CLUSTERS)
SegmentReader = reader(access.SEGMENT)
ClvReader = reader(access.CLV)
LookalikeReader = reader(access.LOOKALIKES)
RecommendationsReader = reader(access.RECOMMENDATIONS)
Profile = reader(access.CUSTOMER)
SegmentsReader = reader(access.SAVED_SEGMENTS)
Exports = reader(access.EXPORTS)
Exporter = Annotated[Principal, Depends(require("audiences.export"))]


def _warehouse(principal: Principal) -> Any:
    from tradewinds.warehouse import open_warehouse

    return open_warehouse(principal.workspace.key)


def _records(value: Any) -> Any:
    """Make numpy/pandas scalars JSON-friendly."""
    import math

    import numpy as np
    import pandas as pd

    if isinstance(value, dict):
        return {str(k): _records(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_records(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


@router.get("/rfm")
def rfm(principal: RfmReader, per_market: bool = False) -> dict:
    """Customers per RFM segment and the R x F grid."""
    with _warehouse(principal) as wh:
        return _records(
            service.rfm_report(
                warehouse=wh, currency=principal.workspace.currency, per_market=per_market
            )
        )


@router.get("/clusters")
def clusters(principal: Clusters, k: Annotated[int | None, Query(ge=2, le=12)] = None) -> dict:
    """Behavioural clusters with a plain-language profile of each."""
    with _warehouse(principal) as wh:
        result = service.clusters_report(warehouse=wh, currency=principal.workspace.currency, k=k)
    return _records(
        {
            "k": result.k,
            "silhouette": result.silhouette,
            "clusters": [p.__dict__ for p in result.profiles],
        }
    )


@router.get("/segment")
def segment(principal: SegmentReader, rule: Annotated[str, Query(max_length=2000)]) -> dict:
    """How many customers a rule selects; 422 with the error position if it is invalid."""
    principal.grant.refuse_money(access.rule_fields(rule), "the rule", access.MONEY_RULE_FIELDS)
    with _warehouse(principal) as wh:
        return _records(
            service.segment_members(warehouse=wh, currency=principal.workspace.currency, rule=rule)
        )


@router.get("/clv")
def clv(
    principal: ClvReader,
    horizon_months: Annotated[int, Query(ge=1, le=120)] = 12,
    discount_rate: Annotated[float, Query(ge=0, le=1)] = 0.10,
    top: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> dict:
    """BG/NBD + Gamma-Gamma fit, total CLV and the most valuable customers."""
    settings = ClvSettings(horizon_months=horizon_months, annual_discount_rate=discount_rate)
    with _warehouse(principal) as wh:
        return _records(
            service.clv_report(
                warehouse=wh, currency=principal.workspace.currency, top=top, clv=settings
            )
        )


@router.get("/lookalikes")
def lookalikes(
    principal: LookalikeReader,
    seed: Annotated[str, Query(max_length=2000)] = "segment = Champions",
    top: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict:
    """Customers outside the seed audience ranked by resemblance, with the reasons."""
    principal.grant.refuse_money(access.rule_fields(seed), "the seed", access.MONEY_RULE_FIELDS)
    with _warehouse(principal) as wh:
        result = service.lookalike_report(
            warehouse=wh, currency=principal.workspace.currency, seed_rule=seed, top=top
        )
    return _records(
        {
            "seed": seed,
            "weights": result.weights.to_dict(),
            "top": result.scores.head(top).to_dict(orient="records"),
        }
    )


@router.get("/recommendations")
def recommendations(
    principal: RecommendationsReader,
    customer_id: Annotated[str | None, Query(max_length=200)] = None,
    n: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict:
    """Top-N products for a customer and frequently-bought-together pairs."""
    with _warehouse(principal) as wh:
        return _records(service.recommendations(warehouse=wh, customer_id=customer_id, n=n))


@router.get("/customer")
def customer(principal: Profile, customer_id: Annotated[str, Query(max_length=200)]) -> dict:
    """One customer's orders, segment, CLV, P(alive) and recommendations."""
    with _warehouse(principal) as wh:
        return _records(
            service.customer_profile(
                warehouse=wh, currency=principal.workspace.currency, customer_id=customer_id
            )
        )


class ExportCreate(BaseModel):
    platform: Literal["google", "meta"]
    rule: str | None = Field(default=None, max_length=2000)


@router.get("/exports")
def export_preview(
    principal: SegmentReader, rule: Annotated[str | None, Query(max_length=2000)] = None
) -> dict:
    """How many customers an export (of all customers, or of ``rule``) would hold and how
    many it leaves out: no marketing consent, no valid e-mail or phone. Customers are
    counted as ``/audiences/rfm`` and the metrics API count them. Counts only."""
    if rule:
        principal.grant.refuse_money(
            access.rule_fields(rule), "the rule", access.MONEY_RULE_FIELDS)
    with _warehouse(principal) as wh:
        return _records(
            service.export_preview(warehouse=wh, currency=principal.workspace.currency, rule=rule)
        )


@router.post("/exports", response_class=Response)
def create_export(export_in: ExportCreate, session: SessionDep, principal: Exports) -> Response:
    """The hashed audience CSV (consenting customers only); the export is audit-logged."""
    result = service.export_and_record(
        session=session,
        workspace=principal.workspace,
        actor=principal.actor,
        platform=export_in.platform,
        rule=export_in.rule,
    )
    name = f"{principal.workspace.key}-{export_in.platform}-audience.csv"
    return Response(
        content=result.csv_text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Rows": str(result.rows),
            "X-Customers": str(
                result.rows + result.skipped_no_consent + result.skipped_no_identifier
            ),
            "X-Skipped-No-Consent": str(result.skipped_no_consent),
            "X-Skipped-No-Identifier": str(result.skipped_no_identifier),
        },
    )


class SegmentCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    rule: str = Field(min_length=1, max_length=2000)


@router.get("/segments")
def list_segments(session: SessionDep, principal: SegmentsReader) -> list[dict]:
    """Saved rule segments with member counts over time (recounted if orders changed)."""
    from tradewinds.audiences import saved_segments

    with _warehouse(principal) as wh:
        saved_segments.refresh_counts(session=session, workspace=principal.workspace, warehouse=wh)
    return [
        s.as_dict()
        for s in saved_segments.list_segments(session=session, workspace=principal.workspace)
    ]


@router.post("/segments", status_code=201)
def save_segment(segment_in: SegmentCreate, session: SessionDep, principal: Exporter) -> dict:
    """Save a rule segment (or change the rule of the one with this name)."""
    from tradewinds.audiences import saved_segments

    segment = saved_segments.save_segment(
        session=session,
        workspace=principal.workspace,
        name=segment_in.name,
        rule=segment_in.rule,
        actor=principal.actor,
    )
    return {"id": segment.id, "name": segment.name, "rule": segment.rule}


@router.delete("/segments/{segment_id}", status_code=204, response_class=Response)
def delete_segment(segment_id: int, session: SessionDep, principal: Exporter) -> Response:
    from tradewinds.audiences import saved_segments

    saved_segments.delete_segment(
        session=session, workspace=principal.workspace, segment_id=segment_id, actor=principal.actor
    )
    return Response(status_code=204)
