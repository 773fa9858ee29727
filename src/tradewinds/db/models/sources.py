"""Event sources: where a workspace's collected events come from (Segment-style write keys)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tradewinds.db.base import Base, UTCDateTime, utcnow


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    # The write key itself is shown once; only its SHA-256 is kept, to look it up.
    write_key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    write_key_prefix: Mapped[str] = mapped_column(String(16))
    # Orders mapped from this source's e-commerce events get ids "<storefront>:<order_id>".
    storefront: Mapped[str] = mapped_column(String(32), default="web")
    # Live connectors: credentials and settings as Fernet-encrypted JSON, and the cursors
    # (JSON) that make the next run incremental.
    config_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    state: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
