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


class VatRatePublic(BaseModel):
    """A country's VAT/GST on a day (``markets vat``, ``GET /api/v1/markets/vat``)."""

    country: str = Field(description="ISO 3166-1 alpha-2 (GB for the UK)")
    date: date
    standard_rate: float = Field(description="percent, e.g. 24.0")
    reduced_rates: list[float] = Field(description="the main reduced rates, percent")
    source: str = Field(description="where the rate comes from (a citation or the dataset)")
    tax_name: str = Field(description="the tax's own name: VAT, GST, MWST, JCT …")

    @classmethod
    def of(cls, rate: Any) -> VatRatePublic:
        return cls(
            country=rate.country,
            date=rate.date,
            standard_rate=float(rate.standard_rate),
            reduced_rates=[float(r) for r in rate.reduced_rates],
            source=rate.source,
            tax_name=rate.tax_name,
        )


class CalendarEventPublic(BaseModel):
    name: str = Field(description="the event's name in English")
    start: date
    end: date = Field(description="last day, inclusive")
    kind: str = Field(description="public_holiday | festival | season")
    lead_days: int = Field(description="start ads this many days before the event")
    key: str = Field(description="stable id of the event")
    note: str | None = Field(None, description="e.g. a date that depends on the moon sighting")
    local_name: str | None = Field(None, description="the name in the market's language")

    @classmethod
    def of(cls, event: Any) -> CalendarEventPublic:
        return cls(
            name=event.name,
            start=event.start,
            end=event.end,
            kind=event.kind,
            lead_days=event.lead_days,
            key=event.key,
            note=event.note,
            local_name=event.local_name,
        )


class MarketCalendarPublic(BaseModel):
    market: str
    year: int
    events: list[CalendarEventPublic]


class LandedPricePublic(BaseModel):
    """A product's price delivered to a destination, taxes and duty included."""

    destination: str
    date: date
    currency: str
    product: str
    shipping: str
    duty: str
    vat: str
    total: str
    vat_rate: float = Field(description="percent")
    scheme: str = Field(description="e.g. eu_ioss, uk_low_value, us_duty, import")
    collected_at: str = Field(description="sale | border")
    reason: str
    localized_total: str | None = Field(
        None, description="the total as a price for the market (charm or round), if asked"
    )
