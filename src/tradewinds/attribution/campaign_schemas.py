"""Typed shapes of the campaign mapping: what the API, the page and the CLI exchange."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, field_validator


class CampaignMappingUpdate(BaseModel):
    """Touches of ``platform`` tagged ``touch_campaign`` belong to campaign ``campaign_id``."""

    platform: str = Field(min_length=1, max_length=40, examples=["google"])
    touch_campaign: str = Field(min_length=1, max_length=255, examples=["brand"])
    campaign_id: str = Field(min_length=1, max_length=255, examples=["123456789"])

    @field_validator("platform", "touch_campaign", "campaign_id")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class CampaignMappingPublic(BaseModel):
    platform: str
    touch_campaign: str
    campaign_id: str
    campaign_name: str | None = Field(
        description="the campaign's name in the ad spend; None when no spend row has the id"
    )
    updated_by: str
    updated_at: datetime


class CampaignPublic(BaseModel):
    platform: str
    campaign_id: str
    name: str


class SuggestionPublic(BaseModel):
    campaign: CampaignPublic
    score: float = Field(description="name similarity, 0..100")


class UnmatchedCampaignPublic(BaseModel):
    """A paid touch campaign value that reaches no campaign with spend."""

    platform: str
    touch_campaign: str
    touches: int
    buyers: int = Field(description="people with an order in the period who made such a touch")
    suggestions: list[SuggestionPublic]


class CampaignReviewPublic(BaseModel):
    """GET /attribution/campaign-mappings: the mappings, and what still does not match."""

    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    mappings: list[CampaignMappingPublic]
    campaigns: list[CampaignPublic]
    unmatched: list[UnmatchedCampaignPublic]
    matched_touches: dict[str, int] = Field(
        description="paid touches that reached a campaign, by how: url_id, mapping, name, click_id"
    )
    unmatched_touches: int
