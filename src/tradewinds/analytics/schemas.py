"""The API's, CLI's and pages' view of the KPI figures and their definitions."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tradewinds.analytics.metrics import Coverage
from tradewinds.schemas import PublicModel, ReportPublic


class DefinitionPublic(BaseModel):
    """How one business figure is defined (``analytics.metrics``)."""

    name: str
    label: str
    unit: str = Field(description="money, count, ratio (×), percent or money_per (a unit)")
    money: bool = Field(description="whether reading it takes the finance.read permission")
    side: str = Field(description="orders, spend, events or derived (from the others)")
    formula: str
    counts: str = Field(description="what the figure counts")


class FigurePublic(DefinitionPublic):
    value: int | float | None = Field(
        description="None when it cannot be computed (a zero denominator, no data)"
    )


class KpiSummary(BaseModel):
    """The KPI figures of one period, each with its definition."""

    currency: str
    start: date = Field(serialization_alias="from")
    end: date = Field(serialization_alias="to")
    timezone: str
    figures: list[FigurePublic]
    coverage: list[Coverage] = Field(
        description="figures that count part of another, with what they leave out"
    )
    notes: list[str] = Field(description="what a reader must know beside the figures")
    unconverted_rows: int = Field(
        description="rows left out of money figures for want of an exchange rate"
    )

    def value(self, name: str) -> float | None:
        return next((f.value for f in self.figures if f.name == name), None)


# -- the reports of the metrics API (``/metrics``, ``/cohorts``, ``/ltv``, ``/funnels``) -----

# A value in a report row: a group's value (a channel, a country, a month) or a figure.
RowValue = str | bool | int | float | date | None


class FxPublic(PublicModel):
    """How money in other currencies was converted."""

    method: str = Field(description="daily: each amount at the rate of its day")
    note: str
    missing_rates: list[dict[str, str]] | None = Field(
        default=None, description="currency and day of each rate that was missing (at most 50)"
    )
    unconverted_rows: int | None = Field(
        default=None, description="rows left out of money figures for want of a rate"
    )


class ComparisonPublic(PublicModel):
    """The period a report is compared with."""

    with_: str = Field(alias="with", description="previous or year")
    from_: str = Field(alias="from")
    to: str


class EstimatedPublic(PublicModel):
    """Spend estimated from period reports (reports without a day column)."""

    note: str
    notes: list[str]
    period_reports: list[dict[str, Any]]


class MetricsReportPublic(ReportPublic):
    """KPIs over one period, one row per group (``GET /metrics``, ``tradewinds metrics
    --json``). Each row holds the group's values and one value per metric asked for (with
    ``<metric>_previous`` and ``<metric>_change`` when compared)."""

    currency: str
    from_: str = Field(alias="from")
    to: str
    group_by: list[str]
    metrics: list[str]
    rows: list[dict[str, RowValue]]
    fx: FxPublic
    estimated: EstimatedPublic | None = None
    compare: ComparisonPublic | None = None
    coverage: list[Coverage] | None = Field(
        default=None, description="figures that count part of another, with what they leave out"
    )


class CohortPublic(PublicModel):
    month: str = Field(description="the month of the cohort's first orders, YYYY-MM")
    customers: int
    retained: list[int] = Field(description="customers ordering again, by month since the first")
    retention: list[float]
    revenue: list[float] | None = None
    ltv: list[float] | None = None
    spend: float | None = None
    cac: float | None = None
    payback_month: int | None = None


class CohortReportPublic(ReportPublic):
    """Monthly acquisition cohorts (``GET /cohorts``)."""

    currency: str
    from_: str = Field(alias="from")
    to: str
    fx: FxPublic
    cohorts: list[CohortPublic]


class ChannelLtvPublic(PublicModel):
    channel: str
    customers: int
    ltv: list[float] | None = None
    observed: list[int] = Field(description="customers observed for each month since the first")
    spend: float | None = None
    cac: float | None = None
    payback_month: int | None = None


class ChannelLtvReportPublic(ReportPublic):
    """Lifetime value by acquisition channel (``GET /ltv``)."""

    currency: str
    from_: str = Field(alias="from")
    to: str
    fx: FxPublic
    channels: list[ChannelLtvPublic]


class FunnelStepPublic(PublicModel):
    step: str
    visitors: int


class FunnelRowPublic(PublicModel):
    """One group's funnel; the group's values (``channel``, ``country`` …) sit beside."""

    model_config = ConfigDict(extra="allow")

    steps: list[FunnelStepPublic]
    drop_off: list[float | None]
    conversion: float | None


class FunnelReportPublic(ReportPublic):
    """Visitors at each step from product view to order (``GET /funnels``)."""

    from_: str = Field(alias="from")
    to: str
    group_by: list[str]
    steps: list[str]
    rows: list[FunnelRowPublic]
    total: FunnelRowPublic | None


# --- tax by market (analytics/tax_due.py) ---------------------------------------------


class MarketTaxPublic(BaseModel):
    country: str = Field(description="ISO 3166 alpha-2, or the stored value if not a country")
    orders: int
    net_revenue: float | None = Field(description="the Overview's net revenue of the market")
    tax_recorded: float = Field(description="tax the exports recorded, less refunded shares")
    tax_estimated: float = Field(description="VAT inside prices of orders with no tax recorded")
    tax: float
    net_revenue_after_tax: float | None
    rates: list[float] = Field(description="standard VAT rates applied, percent")
    not_covered: float = Field(description="sales to it with no tax and no VAT rate on record")


class ThresholdPublic(BaseModel):
    country: str = Field(description="ISO 3166 alpha-2, or EU for the OSS threshold")
    name: str
    currency: str
    amount: float
    sales: float = Field(description="cross-border sales counted towards it, its currency")
    share: float
    level: str = Field(description="below | nearly (from 80%) | reached")
    window_start: date
    window_end: date
    source: str
    note: str


class TaxReportPublic(BaseModel):
    """``tradewinds markets tax`` and ``GET /api/v1/markets/tax``."""

    start: date = Field(serialization_alias="from")
    end: date = Field(serialization_alias="to")
    currency: str
    net_revenue: float
    tax: float
    net_revenue_after_tax: float
    not_covered: float
    unconverted_groups: int = Field(description="country-day groups without an exchange rate")
    markets: list[MarketTaxPublic]
    thresholds: list[ThresholdPublic]

    @classmethod
    def of(cls, report: Any) -> TaxReportPublic:
        """From ``analytics.tax_due.TaxReport``."""
        money = lambda value: round(float(value), 2)  # noqa: E731
        return cls(
            start=report.start,
            end=report.end,
            currency=report.currency,
            net_revenue=money(report.net_revenue),
            tax=money(report.tax),
            net_revenue_after_tax=money(report.net_after_tax),
            not_covered=money(report.uncovered),
            unconverted_groups=report.unconverted_groups,
            markets=[
                MarketTaxPublic(
                    country=m.country,
                    orders=m.orders,
                    net_revenue=None if m.net_revenue is None else money(m.net_revenue),
                    tax_recorded=money(m.tax_recorded),
                    tax_estimated=money(m.tax_estimated),
                    tax=money(m.tax),
                    net_revenue_after_tax=(
                        None if m.net_after_tax is None else money(m.net_after_tax)
                    ),
                    rates=sorted(float(r) for r in m.rates),
                    not_covered=money(m.uncovered),
                )
                for m in report.markets
            ],
            thresholds=[
                ThresholdPublic(
                    country=t.threshold.country,
                    name=t.threshold.name,
                    currency=t.threshold.currency,
                    amount=float(t.threshold.amount),
                    sales=float(t.sales),
                    share=round(t.share, 4),
                    level=t.level,
                    window_start=t.window_start,
                    window_end=t.window_end,
                    source=t.threshold.source,
                    note=t.threshold.note,
                )
                for t in report.thresholds
            ],
        )


class OrderTaxPublic(BaseModel):
    order_id: str
    ordered_at: str = Field(description="UTC, ISO 8601")
    country: str | None = Field(description="ISO 3166 alpha-2; null when not a country")
    currency: str
    total: str
    kept: str = Field(description="total − refunded")
    tax: str | None = Field(description="in the order's currency; null when not covered")
    basis: str = Field(description="recorded | estimated | not_covered")
    rate: float | None = Field(description="the standard VAT rate applied, percent")

    @classmethod
    def of(cls, order: Any) -> OrderTaxPublic:
        """From ``analytics.tax_due.OrderTax``, amounts to the currency's minor units."""
        from decimal import ROUND_HALF_UP, Decimal

        from tradewinds.markets.currencies import minor_units

        places = Decimal(1).scaleb(-minor_units(order.currency))

        def money(value: Any) -> str:
            return str(Decimal(value).quantize(places, rounding=ROUND_HALF_UP))

        return cls(
            order_id=order.order_id,
            ordered_at=order.ordered_at.isoformat(),
            country=order.country,
            currency=order.currency,
            total=money(order.total),
            kept=money(order.kept),
            tax=None if order.tax is None else money(order.tax),
            basis=order.basis,
            rate=None if order.rate is None else float(order.rate),
        )


class OrderTaxesPublic(BaseModel):
    start: date = Field(serialization_alias="from")
    end: date = Field(serialization_alias="to")
    orders: list[OrderTaxPublic]
