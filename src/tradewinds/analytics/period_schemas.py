"""The API's view of period reports: each report's breakdown by its own dimension."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PeriodFigures(BaseModel):
    """A report line's figures for the whole period, in the report's currency."""

    currency: str
    spend: float | None = None
    impressions: int | None = None
    clicks: int | None = None
    conversions: float | None = None
    conversion_value: float | None = None


class PeriodRow(PeriodFigures):
    value: str = Field(description="the landing page, interaction type, keyword … of the row")
    campaign: str | None = None


class PeriodReportPublic(BaseModel):
    platform: str
    account_id: str
    report: str = Field(description="the report's title, e.g. 'Landing page report'")
    period_start: str
    period_end: str
    counted: bool = Field(
        description="whether dashboards count this report's account total (of several reports "
        "of one account and period, the one with the largest total is counted)"
    )
    dimension: str | None = Field(description="what the rows break spend down by")
    account_total: PeriodFigures | None = None
    not_broken_down: PeriodFigures | None = Field(
        None, description="the part of the account total that no row covers"
    )
    rows: list[PeriodRow]


class PeriodReportsPublic(BaseModel):
    from_: str = Field(alias="from")
    to: str
    reports: list[PeriodReportPublic]

    model_config = {"populate_by_name": True}
