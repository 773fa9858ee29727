"""Saved rule segments of a workspace and their member counts over time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tradewinds.db.base import Base, UTCDateTime, utcnow


class SavedSegment(Base):
    __tablename__ = "saved_segments"
    __table_args__ = (UniqueConstraint("workspace_id", "name", name="uq_saved_segment_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    rule: Mapped[str] = mapped_column(Text, doc="canonical text of the rule")
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SegmentCount(Base):
    """Members of a saved segment each time the workspace's orders changed."""

    __tablename__ = "segment_counts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("saved_segments.id", ondelete="CASCADE"), index=True
    )
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    members: Mapped[int] = mapped_column(Integer)
    customers: Mapped[int] = mapped_column(Integer)
    data_version: Mapped[str] = mapped_column(String(64), doc="fingerprint of the orders used")
