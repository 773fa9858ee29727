"""What the budget reports return (CLI ``--json``, API, page) and the saved model's file."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

MODEL_VERSION = 1


class ChannelFitPublic(BaseModel):
    channel: str = Field(description="the series: a channel, or 'channel · country'")
    group: str = Field(description="the channel (the same as `channel` without countries)")
    country: str | None = None
    contribution: float = Field(description="revenue the channel brought over the period")
    contribution_low: float | None = Field(None, description="5th bootstrap percentile")
    contribution_high: float | None = Field(None, description="95th bootstrap percentile")
    share: float = Field(description="share of all channels' contribution")
    spend: float = Field(description="spend over the period")
    roi: float | None = Field(description="contribution per unit of spend")
    roi_low: float | None = None
    roi_high: float | None = None
    adstock_decay: float = Field(description="share of a day's effect carried to the next")
    half_life_days: float
    half_saturation: float = Field(description="spend per day that reaches half the effect")
    hill_shape: float
    beta: float = Field(description="revenue per day at full saturation")
    spend_per_day: float = Field(description="mean spend per day over the period")
    current_per_day: float = Field(description="mean spend per day over the last 28 days")
    low_variation: bool = Field(description="spend varied too little to learn the curve from")


class FitQualityPublic(BaseModel):
    r2: float
    mape: float = Field(
        description="mean absolute percentage error over the fitted days (days with at least "
        "a tenth of the mean revenue)"
    )
    mape_holdout: float | None = Field(
        description="error of the last weeks, predicted by a fit of the days before them"
    )
    holdout_days: int
    days: int
    residual_sd: float
    durbin_watson: float = Field(description="about 2: residuals not autocorrelated")


class BaselinePublic(BaseModel):
    intercept: float
    trend_per_day: float
    weekday: list[float] = Field(description="Monday … Sunday, Monday 0")
    season: list[float] = Field(
        default_factory=list, description="yearly season: sine and cosine of each order"
    )
    events: dict[str, float] = Field(description="revenue added on event days, by kind")


class DayFitPublic(BaseModel):
    day: date
    actual: float
    fitted: float


class CurveParams(BaseModel):
    decay: float
    k: float
    shape: float
    beta: float


class BudgetFitPublic(BaseModel):
    """A fitted model: each channel's curve and contribution, and how well it fits."""

    currency: str
    start: date
    end: date
    target: str
    market: str | None = Field(None, description="the market whose calendar gave event days")
    channels: list[ChannelFitPublic]
    fit: FitQualityPublic
    baseline: BaselinePublic
    warnings: list[str] = Field(default_factory=list)
    seconds: float = Field(description="time the fit took")


class BudgetModel(BudgetFitPublic):
    """The saved model (``--save MODEL.json``): the fit, its bootstrap replicates and the
    daily fit, enough to plan without the data."""

    version: int = MODEL_VERSION
    fitted_at: datetime
    data_version: str = ""
    replicates: list[list[CurveParams]] = Field(default_factory=list)
    days: list[DayFitPublic] = Field(default_factory=list)


class AllocationRowPublic(BaseModel):
    channel: str
    group: str
    country: str | None = None
    current: float = Field(description="spend per day now")
    planned: float = Field(description="spend per day in the plan")
    change: float | None = Field(description="planned / current − 1")
    revenue_current: float = Field(description="media revenue per day at the current spend")
    revenue_planned: float
    marginal_roi: float = Field(description="revenue of the next unit of spend, at the plan")


class PlanPublic(BaseModel):
    """A plan: spend per day by channel, its predicted media revenue per day with a band,
    and the current allocation's beside it."""

    currency: str
    objective: str
    margin: float
    total_per_day: float
    allocation: dict[str, float]
    expected: float = Field(description="media revenue per day of the plan")
    expected_low: float | None = None
    expected_high: float | None = None
    current: float = Field(description="media revenue per day of the current allocation")
    current_low: float | None = None
    current_high: float | None = None
    current_total_per_day: float
    profit: float = Field(description="margin × media revenue − spend, per day")
    current_profit: float
    rows: list[AllocationRowPublic]
    label: str = ""


class ScenariosPublic(BaseModel):
    currency: str
    scenarios: list[PlanPublic]


class CurvePointPublic(BaseModel):
    spend: float
    revenue: float
    low: float | None = None
    high: float | None = None


class ChannelCurvePublic(BaseModel):
    channel: str
    current: float
    points: list[CurvePointPublic]


class CurvesPublic(BaseModel):
    currency: str
    curves: list[ChannelCurvePublic]


class WeekEventPublic(BaseModel):
    name: str
    key: str
    start: date
    end: date
    kind: str
    lead_days: int


class WeekPlanPublic(BaseModel):
    start: date
    end: date
    budget: float
    allocation: dict[str, float]
    baseline: float = Field(description="revenue the week would bring without ads")
    media: float = Field(description="revenue the week's ads bring")
    expected: float
    expected_low: float | None = None
    expected_high: float | None = None
    events: list[WeekEventPublic] = Field(default_factory=list)
    lead_for: list[str] = Field(
        default_factory=list, description="events whose advertising lead time starts this week"
    )


class ForwardPlanPublic(BaseModel):
    currency: str
    market: str | None
    total_per_day: float
    weeks: list[WeekPlanPublic]
    note: str
