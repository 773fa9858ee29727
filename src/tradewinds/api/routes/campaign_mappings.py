"""The seller's campaign mapping: touch campaign values → ad-platform campaigns."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response

from tradewinds.analytics.filters import MAX_DAYS
from tradewinds.api.deps import DataImporter, IsoDate, SessionDep, reader
from tradewinds.attribution import campaign_mappings as store
from tradewinds.attribution.access import CAMPAIGN_MAPPINGS
from tradewinds.attribution.campaign_schemas import (
    CampaignMappingPublic,
    CampaignMappingUpdate,
    CampaignReviewPublic,
)
from tradewinds.errors import InvalidInput

router = APIRouter(prefix="/attribution/campaign-mappings", tags=["attribution"])
MappingsReader = reader(CAMPAIGN_MAPPINGS)


@router.get("", response_model=CampaignReviewPublic, response_model_by_alias=True)
def read_campaign_mappings(
    principal: MappingsReader,
    session: SessionDep,
    date_from: Annotated[
        IsoDate | None,
        Query(alias="from", description=f"YYYY-MM-DD; at most {MAX_DAYS} days before to"),
    ] = None,
    date_to: Annotated[IsoDate | None, Query(alias="to", description="YYYY-MM-DD")] = None,
):
    """The mappings, the campaigns with spend, and the paid touch campaigns of the period
    that reach no campaign, each with suggestions ranked by name similarity. The period
    covers at most 3,660 days (longer: 422)."""
    from tradewinds.warehouse import open_warehouse

    end = date_to or date.today()
    start = date_from or end - timedelta(days=29)
    if end < start:
        raise InvalidInput("the end date is before the start date", details={"field": "from"})
    if (days := (end - start).days + 1) > MAX_DAYS:
        raise InvalidInput(
            f"the period covers {days:,} days; the review covers at most {MAX_DAYS:,} days",
            details={"field": "from", "max_days": MAX_DAYS},
        )
    workspace = principal.workspace
    rows = store.list_mappings(session, workspace_id=workspace.id)
    with open_warehouse(workspace.key) as warehouse:
        return store.review(
            warehouse=warehouse,
            currency=workspace.currency,
            date_from=start,
            date_to=end,
            timezone=workspace.timezone,
            rows=rows,
        )


@router.put("", response_model=CampaignMappingPublic)
def put_campaign_mapping(
    change: CampaignMappingUpdate,
    principal: DataImporter,
    session: SessionDep,
):
    """Create or replace the mapping of (platform, touch campaign); the campaign id must be
    one the workspace has spend for."""
    from tradewinds.auth import audit
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(principal.workspace.key) as warehouse:
        catalog = store.spend_catalog(warehouse)
    row = store.put_mapping(
        session,
        workspace_id=principal.workspace_id,
        change=change,
        actor=principal.actor,
        catalog=catalog,
    )
    audit.record(
        session,
        action="attribution.campaign_mapping",
        actor=principal.actor,
        workspace_id=principal.workspace_id,
        target=f"{row.platform}:{row.touch_campaign}",
        details={"campaign_id": row.campaign_id},
    )
    return store.mapping_public(row, catalog)


@router.delete("", status_code=204)
def delete_campaign_mapping(
    principal: DataImporter,
    session: SessionDep,
    platform: Annotated[str, Query(min_length=1, max_length=40)],
    touch_campaign: Annotated[str, Query(min_length=1, max_length=255)],
) -> Response:
    """Remove a mapping; those touches fall back to the automatic matching."""
    from tradewinds.auth import audit

    store.delete_mapping(
        session,
        workspace_id=principal.workspace_id,
        platform=platform,
        touch_campaign=touch_campaign,
    )
    audit.record(
        session,
        action="attribution.campaign_mapping.delete",
        actor=principal.actor,
        workspace_id=principal.workspace_id,
        target=f"{platform}:{touch_campaign}",
    )
    return Response(status_code=204)
