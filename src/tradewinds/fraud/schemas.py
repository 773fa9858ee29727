"""The fraud reports' contracts: what the CLI's ``--json``, the API and the page share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from tradewinds.schemas import ReportPublic


class ReasonPublic(BaseModel):
    """One reason behind a click's score."""

    source: str = Field(description="rule | model | anomaly")
    code: str = Field(description="the rule id, the model feature, or 'ip' for the anomaly")
    text: str = Field(description="the reason in the reader's language")
    contribution: float | None = Field(
        default=None,
        description="model: SHAP value, log-odds of a genuine click (negative: invalid)",
    )
    value: float | None = Field(
        default=None, description="the feature's value, or the anomaly score"
    )


class ClickScorePublic(BaseModel):
    """One click's verdict (``tradewinds fraud score --json`` prints one a line)."""

    row: int = Field(description="1 = the first line after the file's header")
    score: float = Field(description="0-1, higher means more likely invalid")
    flagged: bool
    reasons: list[ReasonPublic]


class RuleCountPublic(BaseModel):
    rule: str
    text: str
    clicks: int


class ModelInfoPublic(BaseModel):
    trained_on: int = Field(description="clicks in the training file")
    genuine_rate: float = Field(description="share of training clicks that were attributed")
    features: list[str]


class ScoreSummaryPublic(BaseModel):
    """What scoring a click file found."""

    source: str
    format: str
    clicks: int
    flagged: int
    flagged_share: float
    rules_version: str
    by_rule: list[RuleCountPublic]
    model: ModelInfoPublic | None = None


class BreakdownRowPublic(BaseModel):
    """Invalid clicks and wasted spend of one campaign, placement, network or country."""

    key: str
    clicks: int
    invalid_clicks: int
    invalid_rate: float
    spend: Decimal | None = Field(default=None, description="ad spend of the period (campaigns)")
    wasted_spend: Decimal | None = Field(
        default=None, description="estimated: invalid clicks × their campaign's cost per click"
    )
    anomaly: float | None = Field(
        default=None, description="isolation-forest anomaly of the source, 0 = ordinary"
    )


class FraudReportPublic(ReportPublic):
    """A workspace's invalid traffic in a period, and the spend it wasted (a role without
    finance.read gets it without ``spend`` and ``wasted_spend``)."""

    workspace: str
    start: date
    end: date
    currency: str
    clicks: int
    invalid_clicks: int
    invalid_rate: float
    spend: Decimal | None = None
    wasted_spend: Decimal | None = None
    wasted_definition: str
    click_sources: list[str] = Field(description="where the clicks came from")
    campaigns: list[BreakdownRowPublic]
    placements: list[BreakdownRowPublic]
    networks: list[BreakdownRowPublic]
    countries: list[BreakdownRowPublic]
    by_rule: list[RuleCountPublic]
    notes: list[str] = Field(default_factory=list)
