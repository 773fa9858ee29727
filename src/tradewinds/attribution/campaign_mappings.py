"""The seller's campaign mappings (app DB) and the review of touches that match nothing.

Load once (spend, touches, mappings) → the pure matching of ``campaign_match`` → schemas.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.analytics.campaign_match import (
    Catalog,
    build_catalog,
    match_touches,
    suggest,
)
from tradewinds.analytics.campaigns import as_touch_mappings
from tradewinds.analytics.campaigns import list_mappings as list_mappings  # the pages' and API's
from tradewinds.attribution.campaign_schemas import (
    CampaignMappingPublic,
    CampaignMappingUpdate,
    CampaignPublic,
    CampaignReviewPublic,
    SuggestionPublic,
    UnmatchedCampaignPublic,
)
from tradewinds.attribution.fetch import load_journeys
from tradewinds.attribution.paths import person_ids
from tradewinds.db.models.campaign_mappings import CampaignMapping
from tradewinds.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse


def _key(platform: str, touch_campaign: str) -> tuple[str, str]:
    return platform.strip().casefold(), touch_campaign.strip().casefold()


def spend_catalog(warehouse: Warehouse) -> Catalog:
    """Every campaign the workspace has spend for, on any day."""
    rows = warehouse.query_df(
        "SELECT max(date) AS date, platform, campaign_id, max(campaign_name) AS campaign_name "
        "FROM ad_spend_daily GROUP BY platform, campaign_id"
    )
    catalog = build_catalog(rows)
    catalog.active = {}  # one row per campaign: not a day's activity
    return catalog


def put_mapping(
    session: Session,
    *,
    workspace_id: int,
    change: CampaignMappingUpdate,
    actor: str,
    catalog: Catalog,
) -> CampaignMapping:
    """Create or replace the mapping of (platform, touch campaign)."""
    platform, touch = _key(change.platform, change.touch_campaign)
    if (platform, change.campaign_id) not in catalog.campaigns:
        known = ", ".join(sorted(catalog.platforms())) or "none yet"
        raise InvalidInput(
            f"no {platform} campaign with id {change.campaign_id!r} in this workspace's ad "
            f"spend (platforms with spend: {known}); import the platform's report first"
        )
    row = session.scalar(
        select(CampaignMapping).where(
            CampaignMapping.workspace_id == workspace_id,
            CampaignMapping.platform == platform,
            CampaignMapping.touch_campaign == touch,
        )
    )
    if row is None:
        row = CampaignMapping(
            workspace_id=workspace_id,
            platform=platform,
            touch_campaign=touch,
            campaign_id=change.campaign_id,
            updated_by=actor,
        )
        session.add(row)
    else:
        row.campaign_id = change.campaign_id
        row.updated_by = actor
    session.flush()
    return row


def delete_mapping(
    session: Session, *, workspace_id: int, platform: str, touch_campaign: str
) -> None:
    platform, touch = _key(platform, touch_campaign)
    row = session.scalar(
        select(CampaignMapping).where(
            CampaignMapping.workspace_id == workspace_id,
            CampaignMapping.platform == platform,
            CampaignMapping.touch_campaign == touch,
        )
    )
    if row is None:
        raise NotFound(f"there is no mapping for {platform} campaign {touch_campaign!r}")
    session.delete(row)
    session.flush()


def mapping_public(row: CampaignMapping, catalog: Catalog) -> CampaignMappingPublic:
    campaign = catalog.campaigns.get((row.platform, row.campaign_id))
    return CampaignMappingPublic(
        platform=row.platform,
        touch_campaign=row.touch_campaign,
        campaign_id=row.campaign_id,
        campaign_name=campaign.label if campaign else None,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


def review(
    *,
    warehouse: Warehouse,
    currency: str,
    date_from: date,
    date_to: date,
    timezone: str,
    rows: list[CampaignMapping],
    lookback_days: int = 30,
) -> CampaignReviewPublic:
    """The mappings, the campaigns with spend, and the paid touch campaigns in the period
    that reach none (with the people who bought after them and ranked suggestions)."""
    data = load_journeys(
        warehouse=warehouse,
        date_from=date_from,
        date_to=date_to,
        lookback=timedelta(days=lookback_days),
        currency=currency,
        timezone=timezone,
    )
    everything = spend_catalog(warehouse)
    period = build_catalog(data.spend)
    touches = data.touches
    matched = match_touches(touches, period, as_touch_mappings(rows))
    paid = matched.platform.ne("")
    how = matched.how[paid]
    counts = {h: int(n) for h, n in how[how.ne("")].value_counts().items()}
    people = person_ids(touches["customer_id"], touches["anonymous_id"], data.identities)
    buyers = set(data.conversions["person"].dropna().astype(str))
    frame = pd.DataFrame(
        {
            "platform": matched.platform,
            "campaign": touches["campaign"].astype(object),
            "person": people,
            "open": paid & matched.campaign_id.eq(""),
        }
    )
    frame = frame[frame["open"] & frame["campaign"].notna()]
    frame = frame.assign(touch_campaign=frame["campaign"].astype(str).str.strip())
    frame = frame[frame["touch_campaign"].ne("")]
    unmatched = []
    for (platform, value), group in frame.groupby(["platform", "touch_campaign"], sort=False):
        unmatched.append(
            UnmatchedCampaignPublic(
                platform=str(platform),
                touch_campaign=str(value),
                touches=len(group),
                buyers=int(group.loc[group["person"].astype(str).isin(buyers), "person"].nunique()),
                suggestions=[
                    SuggestionPublic(campaign=_campaign(s.campaign), score=s.score)
                    for s in suggest(str(value), str(platform), everything)
                ],
            )
        )
    unmatched.sort(key=lambda u: (-u.buyers, -u.touches, u.platform, u.touch_campaign))
    return CampaignReviewPublic(
        date_from=date_from,
        date_to=date_to,
        mappings=[mapping_public(r, everything) for r in rows],
        campaigns=[
            _campaign(c)
            for c in sorted(everything.campaigns.values(), key=lambda c: (c.platform, c.label))
        ],
        unmatched=unmatched,
        matched_touches=counts,
        unmatched_touches=int((paid & matched.campaign_id.eq("")).sum()),
    )


def _campaign(c: Any) -> CampaignPublic:
    return CampaignPublic(platform=c.platform, campaign_id=c.campaign_id, name=c.label)
