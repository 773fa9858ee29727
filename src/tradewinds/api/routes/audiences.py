"""Customers: RFM segments, clusters, rule segments, CLV, lookalikes, recommendations, exports."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tradewinds.api.deps import (
    AudienceExporter,
    ReportRoute,
    SessionDep,
    WarehouseDep,
    reader,
)
from tradewinds.audiences import access, service
from tradewinds.audiences.schemas import (
    ClustersReportPublic,
    ClvReportPublic,
    CustomerProfilePublic,
    ExportPreviewPublic,
    LookalikeReportPublic,
    RecommendationsPublic,
    RfmReportPublic,
    SegmentCountPublic,
    SegmentPublic,
    SegmentSavedPublic,
)
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


@router.get("/rfm", response_model=RfmReportPublic, response_model_exclude_unset=True)
def rfm(principal: RfmReader, wh: WarehouseDep, per_market: bool = False) -> RfmReportPublic:
    """Customers per RFM segment and the R x F grid."""
    return RfmReportPublic.of(
        service.rfm_report(
            warehouse=wh, currency=principal.workspace.currency, per_market=per_market
        )
    )


@router.get("/clusters", response_model=ClustersReportPublic, response_model_exclude_unset=True)
def clusters(
    principal: Clusters, wh: WarehouseDep, k: Annotated[int | None, Query(ge=2, le=12)] = None
) -> ClustersReportPublic:
    """Behavioural clusters with a plain-language profile of each."""
    result = service.clusters_report(warehouse=wh, currency=principal.workspace.currency, k=k)
    return ClustersReportPublic.of(
        {"k": result.k, "silhouette": result.silhouette, "clusters": result.profiles}
    )


@router.get("/segment", response_model=SegmentCountPublic, response_model_exclude_unset=True)
def segment(
    principal: SegmentReader, wh: WarehouseDep, rule: Annotated[str, Query(max_length=2000)]
) -> SegmentCountPublic:
    """How many customers a rule selects; 422 with the error position if it is invalid."""
    principal.grant.refuse_money(access.rule_fields(rule), "the rule", access.MONEY_RULE_FIELDS)
    return SegmentCountPublic.of(
        service.segment_members(warehouse=wh, currency=principal.workspace.currency, rule=rule)
    )


@router.get("/clv", response_model=ClvReportPublic, response_model_exclude_unset=True)
def clv(
    principal: ClvReader,
    wh: WarehouseDep,
    horizon_months: Annotated[int, Query(ge=1, le=120)] = 12,
    discount_rate: Annotated[float, Query(ge=0, le=1)] = 0.10,
    top: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> ClvReportPublic:
    """BG/NBD + Gamma-Gamma fit, total CLV and the most valuable customers."""
    settings = ClvSettings(horizon_months=horizon_months, annual_discount_rate=discount_rate)
    return ClvReportPublic.of(
        service.clv_report(
            warehouse=wh, currency=principal.workspace.currency, top=top, clv=settings
        )
    )


@router.get("/lookalikes", response_model=LookalikeReportPublic, response_model_exclude_unset=True)
def lookalikes(
    principal: LookalikeReader,
    wh: WarehouseDep,
    session: SessionDep,
    seed: Annotated[str, Query(max_length=2000)] = "segment = Champions",
    top: Annotated[int, Query(ge=1, le=1000)] = 50,
    one_time_only: Annotated[bool, Query(description="rank one-time buyers only")] = False,
) -> LookalikeReportPublic:
    """Customers outside the seed audience ranked by resemblance, with the reasons, and
    the ranking's lift@10% on a hidden quarter of the seed. ``seed``: a saved segment's
    name, an RFM segment's name or a rule."""
    from tradewinds.audiences.saved_segments import saved_rules

    saved = saved_rules(session=session, workspace=principal.workspace)
    rule = service.resolve_seed(seed, saved)
    principal.grant.refuse_money(access.rule_fields(rule), "the seed", access.MONEY_RULE_FIELDS)
    report = service.lookalike_report(
        warehouse=wh,
        currency=principal.workspace.currency,
        seed_rule=rule,
        seed_label=seed,
        one_time_only=one_time_only,
    )
    return LookalikeReportPublic.of(service.lookalike_public(report, top=top))


@router.get(
    "/recommendations", response_model=RecommendationsPublic, response_model_exclude_unset=True
)
def recommendations(
    principal: RecommendationsReader,
    wh: WarehouseDep,
    customer_id: Annotated[str | None, Query(max_length=200)] = None,
    n: Annotated[int, Query(ge=1, le=100)] = 10,
) -> RecommendationsPublic:
    """Top-N products for a customer and frequently-bought-together pairs."""
    return RecommendationsPublic.of(
        service.recommendations(warehouse=wh, customer_id=customer_id, n=n)
    )


@router.get("/customer", response_model=CustomerProfilePublic, response_model_exclude_unset=True)
def customer(
    principal: Profile, wh: WarehouseDep, customer_id: Annotated[str, Query(max_length=200)]
) -> CustomerProfilePublic:
    """One customer's orders, segment, CLV, P(alive) and recommendations."""
    return CustomerProfilePublic.of(
        service.customer_profile(
            warehouse=wh, currency=principal.workspace.currency, customer_id=customer_id
        )
    )


class ExportCreate(BaseModel):
    platform: Literal["google", "meta"]
    rule: str | None = Field(default=None, max_length=2000)


@router.get("/exports", response_model=ExportPreviewPublic, response_model_exclude_unset=True)
def export_preview(
    principal: SegmentReader,
    wh: WarehouseDep,
    rule: Annotated[str | None, Query(max_length=2000)] = None,
) -> ExportPreviewPublic:
    """How many customers an export (of all customers, or of ``rule``) would hold and how
    many it leaves out: no marketing consent, no valid e-mail or phone. Customers are
    counted as ``/audiences/rfm`` and the metrics API count them. Counts only."""
    if rule:
        principal.grant.refuse_money(access.rule_fields(rule), "the rule", access.MONEY_RULE_FIELDS)
    return ExportPreviewPublic.of(
        service.export_preview(warehouse=wh, currency=principal.workspace.currency, rule=rule)
    )


@router.post(
    "/exports",
    response_class=Response,
    responses={
        200: {
            "description": "the hashed audience CSV; X-Rows and X-Skipped-* headers "
            "count who is in it and who was left out",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
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


@router.get("/segments", response_model=list[SegmentPublic])
def list_segments(
    session: SessionDep, principal: SegmentsReader, wh: WarehouseDep
) -> list[SegmentPublic]:
    """Saved rule segments with member counts over time (recounted if orders changed)."""
    from tradewinds.audiences import saved_segments

    saved_segments.refresh_counts(session=session, workspace=principal.workspace, warehouse=wh)
    return [
        SegmentPublic.of(s.as_dict())
        for s in saved_segments.list_segments(session=session, workspace=principal.workspace)
    ]


@router.post("/segments", status_code=201, response_model=SegmentSavedPublic)
def save_segment(
    segment_in: SegmentCreate, session: SessionDep, principal: AudienceExporter
) -> SegmentSavedPublic:
    """Save a rule segment (or change the rule of the one with this name)."""
    from tradewinds.audiences import saved_segments

    segment = saved_segments.save_segment(
        session=session,
        workspace=principal.workspace,
        name=segment_in.name,
        rule=segment_in.rule,
        actor=principal.actor,
    )
    return SegmentSavedPublic(id=segment.id, name=segment.name, rule=segment.rule)


@router.delete("/segments/{segment_id}", status_code=204, response_class=Response)
def delete_segment(segment_id: int, session: SessionDep, principal: AudienceExporter) -> Response:
    from tradewinds.audiences import saved_segments

    saved_segments.delete_segment(
        session=session, workspace=principal.workspace, segment_id=segment_id, actor=principal.actor
    )
    return Response(status_code=204)
