"""What the exchange-rate reports return (CLI ``--json``, API, pages)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field


class CurrencyCoverage(BaseModel):
    currency: str = Field(description="ISO 4217 code")
    first: date = Field(description="first day with a published rate")
    last: date = Field(description="last day with a published rate")
    source: str = Field(
        description="where the latest rate came from: ecb-bundled, ecb-daily, fed-h10, "
        "file:<name>, manual"
    )
    sources: list[str] = Field(
        default_factory=list,
        description="every source of the currency's rates, in the order of their first day",
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

    @classmethod
    def of(cls, table: Any, amount: Decimal, *, src: str, dst: str, on: date) -> FxConversion:
        """``amount`` converted with ``table`` (an ``FxTable``) at the rate of ``on``;
        raises ``MissingRate`` when there is none within the look-back."""
        from tradewinds.markets.currencies import minor_units

        quote = table.quote(src, dst, on)
        converted = table.convert_money(amount, from_currency=src, to_currency=dst, on=on)
        return cls(
            amount=str(amount),
            from_currency=src,
            to_currency=dst,
            date=on,
            rate=str(quote.rate),
            rate_date=quote.rate_date,
            carried=quote.carried,
            note=quote.describe(),
            converted=str(converted),
            places=minor_units(dst),
        )
