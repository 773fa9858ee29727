"""The market calendar: public holidays, shopping festivals and cultural seasons per
market, each with the days of lead time its ads need, and their iCalendar export.

* ``market_calendar("DE", 2026)`` — the year's events, sorted by start, then name;
* ``upcoming("SA", today)`` — what is under way or starts within 60 days;
* ``supported_markets()`` — the ISO 3166 alpha-2 codes covered (GB for the UK);
* ``to_ics(events, calendar_name=..., generated_at=...)`` — an ``.ics`` file.

Public holidays come from the ``holidays`` package; festivals and seasons from
``data/festivals.yaml`` (``festivals.py`` is its schema, ``rules.py`` turns its date rules
into days, ``lunar.py`` reads Hijri dates from ``hijridate`` and lunisolar ones from the
``holidays`` package's country tables).
"""

from tradewinds.markets.calendar.build import (
    UnknownMarket,
    canonical_market,
    market_calendar,
    supported_markets,
    upcoming,
)
from tradewinds.markets.calendar.ical import to_ics
from tradewinds.markets.calendar.models import KINDS, CalendarEvent, EventKind

__all__ = [
    "KINDS",
    "CalendarEvent",
    "EventKind",
    "UnknownMarket",
    "canonical_market",
    "market_calendar",
    "supported_markets",
    "to_ics",
    "upcoming",
]
