"""What the experiment reports return (CLI ``--json``, API, pages)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

VerdictKind = Literal["ship", "keep_control", "keep_running", "srm", "no_answer"]


class VariationPublic(BaseModel):
    variation: str
    units: int
    weight: float = Field(description="the share of traffic the variation should get")
    share: float = Field(description="the share of units it got")


class MetricResultPublic(BaseModel):
    """One variation against the control on one metric. Uplifts and intervals are relative
    (0.12 is +12 %); every figure is null when the test gives no answer (a control mean of
    0, no variance), and ``note`` says why."""

    metric: str
    metric_type: Literal["binomial", "mean"]
    variation: str
    units: int
    control_mean: float | None = Field(description="the control's rate or mean per unit")
    variation_mean: float | None = Field(description="the variation's rate or mean per unit")
    relative_uplift: float | None
    ci_low: float | None = Field(description="Welch t-test's 95 % CI, low end")
    ci_high: float | None
    p_value: float | None = Field(description="two-sided Welch t-test")
    sequential_ci_low: float | None = Field(
        description="always-valid 95 % interval (safe to look at every day)"
    )
    sequential_ci_high: float | None
    sequential_p_value: float | None
    chance_to_win: float | None = Field(description="Bayesian chance to beat control")
    risk_control: float | None = Field(description="expected relative loss of keeping control")
    risk_treatment: float | None = Field(description="expected relative loss of shipping it")
    note: str | None = None


class VerdictPublic(BaseModel):
    kind: VerdictKind = Field(
        description="ship: a variation wins (its sequential interval is above 0 and it has a "
        "95 % chance or more to beat control); keep_control: every variation loses; "
        "keep_running: not decided yet; srm: the traffic split is broken; no_answer: no test"
    )
    metric: str | None = None
    variation: str | None = None
    relative_uplift: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    chance_to_win: float | None = None


class ExperimentResultPublic(BaseModel):
    experiment: str
    control: str
    variations: list[VariationPublic]
    srm_p_value: float = Field(description="chi-squared test of the split against the weights")
    srm_warning: bool = Field(description="srm_p_value is below 0.001: do not trust the results")
    results: list[MetricResultPublic]
    verdict: VerdictPublic
    multiple_exposures: int = Field(
        0, description="units seen in more than one variation, left out (collector's events)"
    )


class ExperimentsReportPublic(BaseModel):
    experiments: list[ExperimentResultPublic]
    source: str = Field(description="the file read, or 'events' for the collector's events")
    start: date | None = Field(None, description="first day of the events read")
    end: date | None = Field(None, description="last day of the events read")
    currency: str | None = Field(None, description="the currency of revenue per unit")
    alpha: float = 0.05
    sequential_tuning: float = 5000


class AssignmentPublic(BaseModel):
    experiment: str
    salt: str
    unit_id: str
    hash: float = Field(description="the unit's place in [0, 1) (GrowthBook hash v2)")
    variation: str
    index: int


class BanditArmPublic(BaseModel):
    variation: str
    units: int
    conversions: float | None = Field(description="a binomial metric's conversions")
    rate: float = Field(description="the observed rate or mean per unit")
    chance_best: float = Field(description="share of posterior draws in which it is best")
    weight: float = Field(description="today's share of traffic (at least the floor)")


class BanditPublic(BaseModel):
    experiment: str
    metric: str
    day: date
    seed: int
    floor: float
    arms: list[BanditArmPublic]


class BanditsPublic(BaseModel):
    bandits: list[BanditPublic]
    source: str


class ExposurePublic(BaseModel):
    experiment: str
    variation: str
    units: int = Field(description="distinct units that saw the variation")
    converted: int = Field(description="exposed units with an order after their first exposure")
    orders: int
