"""A workspace's LLM provider: base URL, model, API key (encrypted with the instance key,
never shown again), prices per 1,000 tokens and the monthly budget."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.auth.audit import record
from tradewinds.auth.crypto import decrypt, encrypt
from tradewinds.content.llm_errors import LlmNotConfigured
from tradewinds.db.models.content_llm import ContentLlmSettings
from tradewinds.i18n_markers import Text

_PURPOSE = "content-llm-api-key"


class LlmSettingsIn(BaseModel):
    """What ``tradewinds llm set`` (and later the settings page) writes."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(min_length=8, max_length=500)
    model: str = Field(min_length=1, max_length=200)
    price_input_per_1k: Decimal = Field(default=Decimal(0), ge=0, max_digits=18, decimal_places=6)
    price_output_per_1k: Decimal = Field(default=Decimal(0), ge=0, max_digits=18, decimal_places=6)
    monthly_budget: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    timeout_seconds: float = Field(default=60.0, gt=0, le=600)
    max_attempts: int = Field(default=4, ge=1, le=10)

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http:// or https:// URL, e.g. https://api.openai.com/v1")
        if parts.query or parts.fragment:
            raise ValueError("must not carry a query or fragment")
        url = value.strip().rstrip("/")
        if url.endswith("/chat/completions"):  # the endpoint itself was pasted
            url = url.removesuffix("/chat/completions")
        return url

    @field_validator("currency", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


class LlmSettingsPublic(LlmSettingsIn):
    """The settings as shown: the key itself never, only whether there is one."""

    has_api_key: bool


@dataclass(frozen=True)
class LlmConfig:
    """The settings with the key decrypted, for the backend only."""

    workspace_id: int
    base_url: str
    model: str
    api_key: str | None
    price_input_per_1k: Decimal
    price_output_per_1k: Decimal
    monthly_budget: Decimal | None
    currency: str
    timeout_seconds: float
    max_attempts: int

    def cost(self, prompt_tokens: int, completion_tokens: int) -> Decimal:
        """Cost of one answer at the configured prices (exact, 6 decimals)."""
        cost = (
            Decimal(prompt_tokens) * self.price_input_per_1k
            + Decimal(completion_tokens) * self.price_output_per_1k
        ) / Decimal(1000)
        return cost.quantize(Decimal("0.000001"))


def save_settings(
    session: Session,
    *,
    workspace_id: int,
    settings: LlmSettingsIn,
    api_key: str | None,
    keep_key: bool = True,
    actor: str,
) -> LlmSettingsPublic:
    """Create or replace the workspace's provider. ``api_key=None`` with ``keep_key`` keeps
    the stored key (changing only the budget, say); ``keep_key=False`` removes it."""
    row = session.scalar(
        select(ContentLlmSettings).where(ContentLlmSettings.workspace_id == workspace_id)
    )
    if row is None:
        row = ContentLlmSettings(workspace_id=workspace_id)
        session.add(row)
    for name, value in settings.model_dump().items():
        setattr(row, name, value)
    if api_key:
        row.api_key_enc = encrypt(api_key, purpose=_PURPOSE)
    elif not keep_key:
        row.api_key_enc = None
    row.updated_by = actor
    session.flush()
    public = _public(row)
    record(
        session,
        action="content.llm.settings",
        actor=actor,
        workspace_id=workspace_id,
        target=public.base_url,
        details={
            "model": public.model,
            "monthly_budget": str(public.monthly_budget) if public.monthly_budget else None,
            "currency": public.currency,
            "api_key_changed": bool(api_key) or not keep_key,
        },
    )
    return public


def get_settings_public(session: Session, workspace_id: int) -> LlmSettingsPublic | None:
    row = session.scalar(
        select(ContentLlmSettings).where(ContentLlmSettings.workspace_id == workspace_id)
    )
    return _public(row) if row is not None else None


def load_config(session: Session, workspace_id: int) -> LlmConfig:
    row = session.scalar(
        select(ContentLlmSettings).where(ContentLlmSettings.workspace_id == workspace_id)
    )
    if row is None:
        raise LlmNotConfigured(
            Text("no LLM provider is set for this workspace; set one with `tradewinds llm set`"),
            details={"workspace_id": workspace_id},
        )
    return LlmConfig(
        workspace_id=workspace_id,
        base_url=row.base_url,
        model=row.model,
        api_key=decrypt(row.api_key_enc, purpose=_PURPOSE) if row.api_key_enc else None,
        price_input_per_1k=Decimal(row.price_input_per_1k),
        price_output_per_1k=Decimal(row.price_output_per_1k),
        monthly_budget=Decimal(row.monthly_budget) if row.monthly_budget is not None else None,
        currency=row.currency,
        timeout_seconds=row.timeout_seconds,
        max_attempts=row.max_attempts,
    )


def _public(row: ContentLlmSettings) -> LlmSettingsPublic:
    return LlmSettingsPublic(
        base_url=row.base_url,
        model=row.model,
        price_input_per_1k=Decimal(row.price_input_per_1k).quantize(Decimal("0.000001")),
        price_output_per_1k=Decimal(row.price_output_per_1k).quantize(Decimal("0.000001")),
        monthly_budget=(
            Decimal(row.monthly_budget).quantize(Decimal("0.01"))
            if row.monthly_budget is not None
            else None
        ),
        currency=row.currency,
        timeout_seconds=row.timeout_seconds,
        max_attempts=row.max_attempts,
        has_api_key=row.api_key_enc is not None,
    )
