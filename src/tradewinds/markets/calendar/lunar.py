"""Lunar and lunisolar dates: the Umm al-Qura Hijri calendar (``hijridate``) and the
Chinese, Korean, Vietnamese and Hindu festivals the ``holidays`` package already knows.

Why the country tables and not ``holidays.calendars``: the package's calendar helpers
(``_ChineseLunisolar``, ``_HinduLunisolar``…) are private classes — their underscore
names say they may change in any release — while ``holidays.country_holidays`` is the
package's public, documented API. A festival's rule names the country whose public
holidays carry the date (Spring Festival from China's, Tết from Vietnam's, Diwali from
India's) and the tests check each of those names still answers, so a rename in a new
release of the package fails a test instead of silently dropping a festival.
"""

from __future__ import annotations

from datetime import date, timedelta

from hijridate import Gregorian, Hijri

from tradewinds.markets.calendar.public_holidays import days_named

Span = tuple[date, date]

# hijridate's Umm al-Qura table runs 1343-01-01 .. 1500-12-30 AH (1924-08-01 .. 2077-11-16),
# but before 1365 AH (December 1945) it holds months of 28 and 31 days: start in 1946
HIJRI_FIRST_YEAR = 1946
HIJRI_LAST_YEAR = 2076


def _plain(day: date) -> date:
    return date(day.year, day.month, day.day)


def hijri_spans(
    year: int, month: int, day: int, *, whole_month: bool = False, duration_days: int = 1
) -> list[Span]:
    """The Gregorian spans of a Hijri day (or month, from ``day`` to its end) that start
    in ``year``. A Gregorian year holds parts of two Hijri years, and about every 33
    years the same Hijri date twice (Ramadan 2030 starts in January and in December)."""
    if not HIJRI_FIRST_YEAR <= year <= HIJRI_LAST_YEAR:
        raise ValueError(
            f"year {year}: the Umm al-Qura table covers {HIJRI_FIRST_YEAR}–{HIJRI_LAST_YEAR}"
        )
    first = Gregorian(year, 1, 1).to_hijri().year
    last = Gregorian(year, 12, 31).to_hijri().year
    spans: list[Span] = []
    for hijri_year in range(first, last + 1):
        length = Hijri(hijri_year, month, 1).month_length()
        if day > length:  # the 30th of a 29-day month
            continue
        start = _plain(Hijri(hijri_year, month, day).to_gregorian())
        if start.year != year:
            continue
        days = length - day + 1 if whole_month else duration_days
        spans.append((start, start + timedelta(days=days - 1)))
    return spans


def holiday_day(country: str, name: str, year: int, subdiv: str | None = None) -> date | None:
    """The first day of ``year`` that ``country``'s public holidays call ``name`` (in
    English), or None where the package has no such day that year (India's tables end in
    2035; China's Mid-Autumn holiday starts in 2008)."""
    days = days_named(country, year, name, subdiv)
    return days[0] if days else None
