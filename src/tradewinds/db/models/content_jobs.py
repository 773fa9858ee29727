"""Bulk content jobs: a catalogue × markets written in the background, resumable.

A job keeps what it was asked (the products, markets, platform, fields, tone, glossary) and
one item per product × market × field. The worker fills the items one product × market
at a time, each in its own transaction, so a worker that dies leaves every finished item
kept and the next run does only the ones still ``pending``; the unique key on
(job, product, market, field) keeps a second run from writing an item twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tradewinds.db.base import Base, UTCDateTime, utcnow

#: job states; ``queued`` and ``running`` are the only ones that can still change
JOB_STATUSES = ("queued", "running", "done", "failed")
#: item states
ITEM_STATUSES = ("pending", "done", "failed")


class ContentJob(Base):
    """One bulk generation: what was asked, how far it got, who asked."""

    __tablename__ = "content_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="queued")
    platform: Mapped[str] = mapped_column(String(40))
    markets: Mapped[list] = mapped_column(JSON, default=list)
    fields: Mapped[list] = mapped_column(JSON, default=list)
    products: Mapped[list] = mapped_column(JSON, default=list, doc="Product.model_dump(mode=json)")
    options: Mapped[dict] = mapped_column(
        JSON, default=dict, doc="n, tone, glossary, backend, languages"
    )
    total: Mapped[int] = mapped_column(Integer, default=0, doc="items: products × markets × fields")
    done: Mapped[int] = mapped_column(Integer, default=0, doc="items finished (done or failed)")
    variants: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[int] = mapped_column(Integer, default=0)
    runs: Mapped[int] = mapped_column(Integer, default=0, doc="how many times a worker began it")
    message: Mapped[str | None] = mapped_column(Text, doc="why the job failed")
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    items: Mapped[list[ContentJobItem]] = relationship(
        back_populates="job", order_by="ContentJobItem.id", cascade="all, delete-orphan"
    )


class ContentJobItem(Base):
    """One product × market × field of a job and what generating it gave."""

    __tablename__ = "content_job_items"
    __table_args__ = (
        UniqueConstraint("job_id", "product_id", "market", "field", name="uq_content_job_item"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(
        ForeignKey("content_jobs.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0, doc="the product's place")
    product_id: Mapped[str] = mapped_column(String(200))
    market: Mapped[str] = mapped_column(String(8))
    field: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    variants: Mapped[list] = mapped_column(JSON, default=list, doc="Variant dicts")
    dropped: Mapped[list] = mapped_column(JSON, default=list, doc="Dropped dicts")
    message: Mapped[str | None] = mapped_column(Text, doc="why the item failed")
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    job: Mapped[ContentJob] = relationship(back_populates="items")
