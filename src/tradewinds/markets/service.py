"""The markets reports that the CLI, the API and the Markets page share: a country's VAT on
a day, a market's calendar, and a product's landed price at a destination.

Money crosses currencies at the rate of the day (``FxTable``): the workspace's rates when
there is a workspace, else the ECB rates shipped with the install. A landed price on a day
after the newest rate uses the newest rate within :data:`LANDED_LOOKBACK_DAYS` and says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from tradewinds.i18n_markers import Text
from tradewinds.markets.fx import FxTable
from tradewinds.markets.schemas import (
    CalendarEventPublic,
    LandedPricePublic,
    MarketCalendarPublic,
    VatRatePublic,
)

#: a landed price is an estimate: a rate up to this many days old is good enough for it
LANDED_LOOKBACK_DAYS = 45

PriceStyle = Literal["charm", "round", "exact"]


def normalize_country(code: str) -> str:
    """``gb``, ``GB`` and ``UK`` all mean the United Kingdom (ISO 3166: ``GB``)."""
    value = code.strip().upper()
    return "GB" if value == "UK" else value


def vat(country: str, on: date) -> VatRatePublic:
    """The standard and reduced rates of ``country`` on ``on``; raises ``LookupError``
    (unknown country, or no rate on record that day) with a message that says which."""
    from tradewinds.markets.tax.rates import vat_rate

    return VatRatePublic.of(vat_rate(normalize_country(country), on))


def source_parts(source: str) -> tuple[str, str | None]:
    """A rate's source as (citation, URL): ``"VAT Act § 15 <https://www.emta.ee/en>"`` →
    ``("VAT Act § 15", "https://www.emta.ee/en")``; a source without a URL as it is."""
    found = re.search(r"<?(https?://[^\s>]+)>?", source)
    if found is None:
        return source, None
    return source.replace(found.group(0), "").strip(" ;,"), found.group(1)


def calendar(
    market: str,
    year: int,
    *,
    prime_day: tuple[date, date] | None = None,
    kinds: set[str] | None = None,
    language: str = "en",
) -> MarketCalendarPublic:
    """Public holidays, shopping festivals and seasons of ``market`` in ``year`` (holiday
    names in ``language`` where the ``holidays`` package has them); raises ``ValueError``
    for a market the calendar does not know."""
    from tradewinds.markets.calendar import market_calendar

    code = normalize_country(market)
    events = market_calendar(code, year, prime_day=prime_day, kinds=kinds, language=language)
    return MarketCalendarPublic(
        market=code, year=year, events=[CalendarEventPublic.of(e) for e in events]
    )


def calendar_ics(market: str, year: int, *, prime_day: tuple[date, date] | None = None) -> bytes:
    """The calendar of ``market`` in ``year`` as an iCalendar file (RFC 5545)."""
    from datetime import UTC, datetime

    from tradewinds.markets.calendar import market_calendar
    from tradewinds.markets.calendar.ical import to_ics

    code = normalize_country(market)
    events = market_calendar(code, year, prime_day=prime_day)
    stamp = datetime(year, 1, 1, tzinfo=UTC)  # the same file for the same calendar
    return to_ics(events, calendar_name=f"Tradewinds {code} {year}", generated_at=stamp)


def rates_for(on: date, *, workspace_key: str | None = None) -> FxTable:
    """Rates for conversions on ``on``: the workspace's, else the shipped ECB rates."""
    from tradewinds.markets.fx import load_fx_table
    from tradewinds.markets.fx_bundled import bundled_rates

    start = on - timedelta(days=LANDED_LOOKBACK_DAYS)
    if workspace_key is None:
        return FxTable(bundled_rates(start, on), lookback_days=LANDED_LOOKBACK_DAYS)
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(workspace_key) as warehouse:
        return load_fx_table(warehouse, start=on, end=on, lookback_days=LANDED_LOOKBACK_DAYS)


@dataclass(frozen=True)
class LandedRequest:
    price: Decimal
    currency: str
    destination: str
    on: date
    shipping: Decimal = Decimal(0)
    quantity: int = 1
    hs_chapter: str | None = None
    duty_rates: Mapping[str, Decimal] | None = None
    style: PriceStyle | None = None
    via_marketplace: bool = False  # sold through an electronic marketplace (CH's rule)


def landed_price(request: LandedRequest, table: FxTable) -> LandedPricePublic:
    """What the buyer at ``destination`` pays for the product, delivered: product,
    shipping, duty and VAT, and under which scheme; ``style`` also gives the total as a
    market price (charm .99 or round). Raises ``LookupError`` (no rate, no VAT on record)
    or ``ValueError`` (bad input)."""
    return landed_with_reasons(request, table)[0]


def landed_with_reasons(
    request: LandedRequest, table: FxTable
) -> tuple[LandedPricePublic, tuple[Text, ...]]:
    """:func:`landed_price` and its reason's sentences as ``Text`` (for a page to show in
    its language)."""
    from tradewinds.markets.tax.landed import landed_price as compute
    from tradewinds.markets.tax.pricing import localize_price

    def convert(amount: Decimal, src: str, dst: str, on: date) -> Decimal:
        return table.convert(amount, from_currency=src, to_currency=dst, on=on)

    destination = normalize_country(request.destination)
    result = compute(
        request.price,
        request.currency,
        destination,
        request.on,
        shipping=request.shipping,
        duty_rates=dict(request.duty_rates or {}),
        hs_chapter=request.hs_chapter,
        convert=convert,
        quantity=request.quantity,
        via_marketplace=request.via_marketplace,
    )
    localized = None
    if request.style is not None:
        localized = str(
            localize_price(result.total, result.currency, style=request.style, market=destination)
        )
    return LandedPricePublic(
        destination=destination,
        date=request.on,
        currency=result.currency,
        product=str(result.product),
        shipping=str(result.shipping),
        duty=str(result.duty),
        vat=str(result.vat),
        total=str(result.total),
        vat_rate=float(result.vat_rate),
        scheme=result.scheme,
        collected_at=result.collected_at,
        reason=result.reason,
        localized_total=localized,
    ), result.reasons


def parse_duty_rates(values: list[str]) -> dict[str, Decimal]:
    """``["61=12", "85=2.7"]`` → ``{"61": Decimal("12"), "85": Decimal("2.7")}`` (HS chapter
    → duty percent); raises ``ValueError`` naming the entry that is not ``CHAPTER=PERCENT``."""
    from decimal import InvalidOperation

    rates: dict[str, Decimal] = {}
    for raw in values:
        chapter, sep, percent = raw.partition("=")
        chapter = chapter.strip()
        try:
            value = Decimal(percent.strip())
        except InvalidOperation:
            value = Decimal(-1)
        if not sep or not chapter.isdigit() or len(chapter) > 2 or value < 0:
            raise ValueError(
                f"duty rate {raw!r} is not CHAPTER=PERCENT (a 2-digit HS chapter, e.g. 61=12)"
            )
        rates[chapter.zfill(2)] = value
    return rates
