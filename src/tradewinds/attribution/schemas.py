"""What the API answers, the CLI prints with ``--json`` and the page reads of an attribution
report (``WorkspaceAttribution``). Revenue, spend, ROAS and CPA are money: a role without
finance.read gets the report without them (``attribution/access.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from tradewinds.analytics.metrics import Coverage
from tradewinds.attribution.models.names import EVERY_MODEL, model_literal
from tradewinds.schemas import PublicModel, ReportPublic

if TYPE_CHECKING:
    from tradewinds.attribution.service import WorkspaceAttribution

ModelName = model_literal()
ModelChoice = model_literal(EVERY_MODEL)
Level = Literal["channel", "campaign"]


class AttributionRowPublic(PublicModel):
    """One channel (or ``channel / campaign``) and what the model credits it with."""

    channel: str
    conversions: float
    value: float | None = Field(default=None, description="attributed revenue")
    spend: float | None = None
    roas: float | None = Field(default=None, description="attributed revenue per unit of spend")
    cpa: float | None = Field(default=None, description="spend per attributed conversion")
    roas_note: str | None = Field(default=None, description="why ROAS is not shown")


class AttributionReportPublic(ReportPublic):
    """One model's attribution of the period's orders (``GET /attribution``)."""

    model: ModelName  # type: ignore[valid-type]
    level: Level
    currency: str
    from_: str = Field(alias="from")
    to: str
    journeys: int
    converting_journeys: int
    total_conversions: float
    total_value: float | None = None
    total_spend: float | None = None
    missing_fx_rates: int
    error: str | None = Field(description="why the model could not run (None when it ran)")
    orders_in_period: float | None = Field(description="the period's orders, as every screen")
    orders_credited: float | None
    orders_not_credited: dict[str, float] = Field(description="orders not credited, by reason")
    revenue_in_period: float | None = None
    revenue_credited: float | None = None
    revenue_not_credited: dict[str, float] | None = None
    store_roas: float | None = None
    coverage: list[Coverage]
    channels: list[AttributionRowPublic]


class AttributionComparisonPublic(ReportPublic):
    """Every model's attribution of the same period (``GET /attribution?model=all``)."""

    models: list[AttributionReportPublic]


def attribution_public(
    reports: Sequence[WorkspaceAttribution], model: str
) -> AttributionReportPublic | AttributionComparisonPublic:
    """The answer for ``model`` (one model, or ``all``)."""
    if model != EVERY_MODEL:
        return AttributionReportPublic.of(reports[0].to_dict())
    return AttributionComparisonPublic.of({"models": [r.to_dict() for r in reports]})
