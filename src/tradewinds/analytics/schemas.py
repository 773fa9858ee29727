"""The API's, CLI's and pages' view of the KPI figures and their definitions."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from tradewinds.analytics.metrics import Coverage


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
