"""The dates a festival's rule gives in one Gregorian year (pure, apart from the lookups
``lunar`` makes in the ``holidays`` package's tables)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

# python-dateutil: the holidays package computes its own Easter dates with it
from dateutil.easter import easter

from tradewinds.markets.calendar.festivals import (
    WEEKDAYS,
    EasterRule,
    Festival,
    FixedRule,
    HijriRule,
    HolidayRule,
    NthWeekdayRule,
    RangeRule,
)
from tradewinds.markets.calendar.lunar import Span, hijri_spans, holiday_day


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date | None:
    """The ``n``-th ``weekday`` (Monday = 0) of the month; ``n = -1`` is the last. None
    when the month has no such day (a fifth Monday)."""
    if n == -1:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    return day if day.month == month else None


def _nth_weekday_day(rule: NthWeekdayRule, year: int) -> date | None:
    day = nth_weekday(year, rule.month, WEEKDAYS.index(rule.weekday), rule.n)
    if day is None:
        return None
    day += timedelta(days=rule.offset_days)
    if rule.avoid_easter_offset is not None and day == easter(year) + timedelta(
        days=rule.avoid_easter_offset
    ):
        day += timedelta(days=rule.avoid_shift_days)
    return day


def _md(year: int, value: str) -> date:
    return date(year, int(value[:2]), int(value[3:]))


def spans(festival: Festival, year: int) -> list[Span]:
    """Every (start, end) of ``festival`` whose start falls in ``year`` (inclusive ends)."""
    rule = festival.rule
    length = timedelta(days=festival.duration_days - 1)
    start: date | None
    if isinstance(rule, RangeRule):
        return [(_md(year, rule.start), _md(year, rule.end))]
    if isinstance(rule, HijriRule):
        return hijri_spans(
            year,
            rule.month,
            rule.day,
            whole_month=rule.whole_month,
            duration_days=festival.duration_days,
        )
    if isinstance(rule, FixedRule):
        start = date(year, rule.month, rule.day)
    elif isinstance(rule, NthWeekdayRule):
        start = _nth_weekday_day(rule, year)
    elif isinstance(rule, EasterRule):
        start = easter(year) + timedelta(days=rule.offset_days)
    elif isinstance(rule, HolidayRule):
        start = holiday_day(rule.country, rule.name, year, rule.subdiv)
    else:  # pragma: no cover - the discriminated union is exhaustive
        raise TypeError(f"unknown rule {rule!r}")
    if start is None or start.year != year:
        return []
    return [(start, start + length)]
