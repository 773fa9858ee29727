"""A workspace's own compliance rule packs (brand terms, competitor names …), kept as YAML."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tradewinds.db.base import Base, UTCDateTime, utcnow


class UserRulePack(Base):
    __tablename__ = "compliance_rule_packs"
    __table_args__ = (UniqueConstraint("workspace_id", "pack_key", name="uq_rule_pack_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    pack_key: Mapped[str] = mapped_column(String(60), doc="the pack's own id from its YAML")
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text, doc="the YAML as the user wrote it")
    rule_count: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
