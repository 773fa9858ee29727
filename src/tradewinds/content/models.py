"""The shapes the content studio passes between its parts (engine, LLM backend, bulk job,
exports, CLI, API and page). Plain pydantic models so the API and ``--json`` share them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Verdict = Literal["pass", "warn", "block"]
Tone = Literal["neutral", "friendly", "premium", "urgent", "playful"]
Backend = Literal["template", "llm"]


class Product(BaseModel):
    """One product as ``products.jsonl`` carries it (one JSON object a line)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=1000)
    price: Decimal | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    attributes: dict[str, str] = Field(default_factory=dict)
    category: str | None = None
    brand: str | None = None
    image_alt: str | None = None


class Glossary(BaseModel):
    """A brand's words: kept as written, translated its way, or never used."""

    model_config = ConfigDict(extra="forbid")

    keep: list[str] = Field(default_factory=list, description="never translated or altered")
    preferred: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="language -> {term: preferred translation}"
    )
    banned: list[str] = Field(default_factory=list, description="words no variant may use")


class GenerationRequest(BaseModel):
    """What to write: products × markets × platform fields, ``n`` variants each."""

    model_config = ConfigDict(extra="forbid")

    products: list[Product] = Field(min_length=1)
    markets: list[str] = Field(min_length=1, description="ISO 3166 alpha-2, e.g. DE, JP, US")
    platform: str = Field(description="google | meta | tiktok | amazon")
    fields: list[str] = Field(min_length=1, description="e.g. headline, description")
    n: int = Field(default=5, ge=1, le=20)
    tone: Tone = "neutral"
    glossary: Glossary = Field(default_factory=Glossary)
    backend: Backend = "template"
    languages: dict[str, str] = Field(
        default_factory=dict, description="market -> language override (e.g. CH -> fr)"
    )
    today: date | None = Field(
        default=None, description="the day holidays are counted from (default: today)"
    )
    calendar_days: int = Field(
        default=30, ge=0, le=366, description="holidays this many days ahead fill {holiday}"
    )


class Finding(BaseModel):
    """A compliance finding as the variants carry it (``compliance.engine.Finding``)."""

    rule_id: str
    severity: str
    category: str
    message: str
    matched: str
    start: int
    end: int
    suggested_fix: str | None = None


class Variant(BaseModel):
    """One piece of copy that fits its field and passed (or only warned) the check."""

    product_id: str
    market: str
    language: str
    platform: str
    field: str
    text: str
    length: int = Field(description="as the platform counts it")
    limit: int
    unit: str = Field(description="chars | graphemes | bytes | width")
    verdict: Verdict
    findings: list[Finding] = Field(default_factory=list)
    backend: Backend = "template"
    repairs: list[str] = Field(default_factory=list, description="what was changed to fit")
    direction: Literal["ltr", "rtl"] = Field(default="ltr", description="rtl for Arabic")


class Dropped(BaseModel):
    """A candidate that could not be made to fit or pass, and why."""

    product_id: str
    market: str
    language: str
    platform: str
    field: str
    text: str
    length: int
    limit: int
    verdict: Verdict
    findings: list[Finding] = Field(default_factory=list)
    reason: str
    unit: str = Field(default="chars", description="chars | graphemes | bytes | width")
    direction: Literal["ltr", "rtl"] = Field(default="ltr", description="rtl for Arabic")


class GenerationResult(BaseModel):
    """``tradewinds content generate --json`` and ``POST /api/v1/content/generate``."""

    variants: list[Variant] = Field(default_factory=list)
    dropped: list[Dropped] = Field(default_factory=list)
