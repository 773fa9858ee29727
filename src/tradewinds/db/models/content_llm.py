"""The content studio's LLM provider per workspace: its settings (the API key encrypted),
each request's tokens and cost, and a cache of answers to identical requests."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tradewinds.db.base import Base, UTCDateTime, utcnow


class ContentLlmSettings(Base):
    """One OpenAI-compatible chat-completions endpoint per workspace."""

    __tablename__ = "content_llm_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), unique=True
    )
    base_url: Mapped[str] = mapped_column(String(500), doc="e.g. https://api.openai.com/v1")
    model: Mapped[str] = mapped_column(String(200))
    # Fernet-encrypted with the instance key (auth/crypto.py); None for local servers
    api_key_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    price_input_per_1k: Mapped[Decimal] = mapped_column(Numeric(18, 6), default=Decimal(0))
    price_output_per_1k: Mapped[Decimal] = mapped_column(Numeric(18, 6), default=Decimal(0))
    monthly_budget: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    timeout_seconds: Mapped[float] = mapped_column(Float, default=60.0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=4)
    updated_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ContentLlmUsage(Base):
    """One answer: sent to the provider (tokens and cost from its ``usage``) or served
    from the cache (``cached``, cost 0)."""

    __tablename__ = "content_llm_usage"
    __table_args__ = (Index("ix_content_llm_usage_workspace_at", "workspace_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    model: Mapped[str] = mapped_column(String(200))
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost: Mapped[Decimal] = mapped_column(Numeric(18, 6), default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3))
    cached: Mapped[bool] = mapped_column(Boolean, default=False)
    request_hash: Mapped[str] = mapped_column(String(64))


class ContentLlmCache(Base):
    """The validated answer to a request (SHA-256 of model, messages and parameters)."""

    __tablename__ = "content_llm_cache"
    __table_args__ = (
        UniqueConstraint("workspace_id", "request_hash", name="uq_content_llm_cache_request"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    request_hash: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str] = mapped_column(Text, doc="the validated JSON answer")
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    last_hit_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
