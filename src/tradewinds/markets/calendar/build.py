"""A market's calendar for a year: its public holidays (the ``holidays`` package) and the
festivals and seasons of ``data/festivals.yaml``.

Where a festival and a public holiday are the same day with the same meaning (Lunar New
Year in China, Songkran in Thailand, Boxing Day in the UK), both are kept: the public
holiday (kind ``public_holiday``, key ``holiday:CN:2026-02-17``) says shops, warehouses
and carriers are closed; the festival (kind ``festival``, key ``lunar_new_year``) carries
the lead time for the ads. Filter with ``kinds`` to see only one of them.

A year's calendar holds the events that *start* in that year, so a Ramadan that begins
in December ends in the next year's January and belongs to the year it began in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from tradewinds.markets.calendar.festivals import Festival, festival_data
from tradewinds.markets.calendar.lunar import HIJRI_FIRST_YEAR, HIJRI_LAST_YEAR, Span
from tradewinds.markets.calendar.models import KINDS, CalendarEvent
from tradewinds.markets.calendar.public_holidays import public_holiday_events
from tradewinds.markets.calendar.rules import spans

FIRST_YEAR = HIJRI_FIRST_YEAR
LAST_YEAR = HIJRI_LAST_YEAR


class UnknownMarket(ValueError):
    """A market the calendar has no data for."""


def supported_markets() -> list[str]:
    """The ISO 3166 alpha-2 codes the calendar covers (GB for the UK), sorted."""
    return sorted(festival_data().markets)


def canonical_market(market: str) -> str:
    """``market`` as the calendar names it (``uk`` -> ``GB``); raises UnknownMarket."""
    data = festival_data()
    code = market.strip().upper()
    code = data.aliases.get(code, code)
    if code not in data.markets:
        raise UnknownMarket(
            f"market {market!r} has no calendar; supported markets: "
            f"{', '.join(supported_markets())}"
        )
    return code


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside the calendar's range {FIRST_YEAR}–{LAST_YEAR}")


def _kinds(kinds: Iterable[str] | None) -> frozenset[str]:
    if kinds is None:
        return KINDS
    wanted = frozenset(kinds)
    unknown = sorted(wanted - KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {unknown}; kinds are {', '.join(sorted(KINDS))}")
    return wanted


def _prime_day(prime_day: tuple[date, date] | None, year: int) -> Span | None:
    if prime_day is None:
        return None
    start, end = prime_day
    if end < start:
        raise ValueError(f"prime_day ends ({end}) before it starts ({start})")
    if start.year != year:
        raise ValueError(f"prime_day starts in {start.year}, not in {year}")
    return (start, end)


def _festival_events(
    festival: Festival, market: str, year: int, prime_day: Span | None
) -> list[CalendarEvent]:
    note = festival.note
    if festival.override == "prime_day" and prime_day is not None:
        found = [prime_day]
        note = festival.override_note
    else:
        found = spans(festival, year)
    return [
        CalendarEvent(
            name=festival.name,
            key=festival.key,
            start=start,
            end=end,
            kind=festival.kind,
            market=market,
            lead_days=festival.lead_days,
            note=note,
            local_name=None,
        )
        for start, end in found
    ]


def _order(event: CalendarEvent) -> tuple[date, str, str]:
    return (event.start, event.name, event.key)


def market_calendar(
    market: str,
    year: int,
    *,
    prime_day: tuple[date, date] | None = None,
    kinds: set[str] | None = None,
    language: str = "en",
) -> list[CalendarEvent]:
    """The events of ``market`` that start in ``year``, sorted by start, then name.

    ``prime_day`` gives the (first, last) days Amazon announced; without it Prime Day is
    the festival data's default window. ``kinds`` keeps only some of ``public_holiday``,
    ``festival``, ``season``. ``language`` names the public holidays where the holidays
    package has that translation (English otherwise); festival names are English.
    """
    code = canonical_market(market)
    _check_year(year)
    wanted = _kinds(kinds)
    announced = _prime_day(prime_day, year)
    data = festival_data()
    events: list[CalendarEvent] = []
    if "public_holiday" in wanted:
        events += public_holiday_events(
            code,
            year,
            language,
            lead_days=lambda name: data.holiday_lead(code, name),
            estimated_note=data.estimated_note,
        )
    for festival in data.for_market(code):
        if festival.kind in wanted:
            events += _festival_events(festival, code, year, announced)
    return sorted(events, key=_order)


def upcoming(
    market: str, today: date, days: int = 60, *, language: str = "en"
) -> list[CalendarEvent]:
    """The events of ``market`` under way today or starting within ``days`` days
    (``end >= today`` and ``start <= today + days``), sorted by start, then name."""
    if days < 0:
        raise ValueError(f"days must be 0 or more, not {days}")
    code = canonical_market(market)
    last = today + timedelta(days=days)
    _check_year(today.year)
    found: dict[tuple[str, date], CalendarEvent] = {}
    # the year before: an event that began then may still be under way (a December Ramadan)
    for year in range(max(today.year - 1, FIRST_YEAR), min(last.year, LAST_YEAR) + 1):
        for event in market_calendar(code, year, language=language):
            if event.end >= today and event.start <= last:
                found.setdefault((event.key, event.start), event)
    return sorted(found.values(), key=_order)
