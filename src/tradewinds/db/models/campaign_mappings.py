"""The seller's campaign mapping: which ad-platform campaign a tagged link belongs to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tradewinds.db.base import Base, UTCDateTime, utcnow


class CampaignMapping(Base):
    """Touches of ``platform`` whose ``utm_campaign`` is ``touch_campaign`` (compared
    without case) belong to the platform's campaign ``campaign_id``."""

    __tablename__ = "campaign_mappings"
    __table_args__ = (
        UniqueConstraint(
            "workspace_id", "platform", "touch_campaign", name="uq_campaign_mapping_touch"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(40), doc="google | meta | tiktok | ...")
    touch_campaign: Mapped[str] = mapped_column(
        String(255), doc="the utm_campaign value, case-folded"
    )
    campaign_id: Mapped[str] = mapped_column(String(255), doc="ad_spend_daily.campaign_id")
    updated_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
