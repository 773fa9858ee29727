"""What the exchange-rate reports return (CLI ``--json``, API, pages)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class CurrencyCoverage(BaseModel):
    currency: str = Field(description="ISO 4217 code")
    first: date = Field(description="first day with a published rate")
    last: date = Field(description="last day with a published rate")
    source: str = Field(
        description="where the latest rate came from: ecb-bundled, ecb-daily, file:<name>, manual"
    )


class FxStatus(BaseModel):
    currencies: list[CurrencyCoverage]


class FxConversion(BaseModel):
    amount: str
    from_currency: str = Field(serialization_alias="from")
    to_currency: str = Field(serialization_alias="to")
    date: date
    rate: str
    rate_date: date = Field(description="day the rate was published")
    carried: bool = Field(description="true when the rate is of an earlier business day")
    note: str = Field(description='e.g. "rate of 2024-03-29 (Friday)"; empty when not carried')
    converted: str
    places: int
