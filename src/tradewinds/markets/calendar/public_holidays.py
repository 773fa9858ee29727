"""Public holidays from the ``holidays`` package, as calendar events.

Every table is asked for in an explicit language: without one the package follows the
process's locale (``LANG``), and the same call could name the same day differently on
two servers. Names come in three languages:

* English (``en_US``) — to match lead times and lunar dates in the festival data;
* the language asked for — the event's ``name`` (for ``"en"`` the country's own English
  when the package has one, ``en_GB`` in the UK); English where it has no translation;
* the country's default language — the event's ``local_name``.

Days with several holidays (``"Chinese New Year; Eid al-Fitr"``) are split into one event
each; consecutive days with the same name are merged into one event (China's three
Spring Festival days are one event from the first day to the third).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from tradewinds.markets.calendar.models import CalendarEvent

ENGLISH = "en_US"
# holidays' language codes for Babel/CLDR-style ones the rest of Tradewinds uses
_LANGUAGE_ALIASES: dict[str, tuple[str, ...]] = {
    "zh_Hans": ("zh_CN",),
    "zh_Hant": ("zh_TW", "zh_HK"),
}


@dataclass(frozen=True, slots=True)
class CountryInfo:
    start_year: int
    end_year: int
    default_language: str | None
    supported_languages: tuple[str, ...]


@lru_cache(maxsize=128)
def country_info(code: str, subdiv: str | None = None) -> CountryInfo | None:
    """What the package knows about a country, or None when it has no such country."""
    try:
        table = holidays.country_holidays(code, subdiv=subdiv)
    except NotImplementedError:
        return None
    return CountryInfo(
        start_year=table.start_year,
        end_year=table.end_year,
        default_language=table.default_language,
        supported_languages=tuple(table.supported_languages),
    )


def english_language(code: str) -> str | None:
    """``en_US`` where the country has that translation, else its default language; None
    (its own names, which are then English: New Zealand) where it has no translations."""
    info = country_info(code)
    if info is None or not info.supported_languages:
        return None
    return ENGLISH if ENGLISH in info.supported_languages else info.default_language


def display_language(code: str, language: str) -> str | None:
    """The package's language for names in ``language`` (``en`` in GB -> ``en_GB``),
    falling back to English when the country has no such translation."""
    info = country_info(code)
    if info is None or not info.supported_languages:
        return None
    supported = info.supported_languages
    wanted = language.replace("-", "_")
    base = wanted.split("_")[0]
    # the country's own variant first: zh_Hant in Hong Kong is zh_HK, in Taiwan zh_TW
    aliases = sorted(_LANGUAGE_ALIASES.get(wanted, ()), key=lambda a: a != f"{base}_{code}")
    candidates = [wanted, *aliases]
    if "_" not in wanted:
        candidates.append(f"{wanted}_{code}")
        if wanted == "en":
            candidates.append(ENGLISH)
        candidates.extend(s for s in supported if s.startswith(base + "_"))
    for candidate in candidates:
        if candidate in supported:
            return candidate
    return english_language(code)


def in_range(code: str, year: int, subdiv: str | None = None) -> bool:
    info = country_info(code, subdiv)
    return info is not None and info.start_year <= year <= info.end_year


@lru_cache(maxsize=512)
def holiday_table(
    code: str, year: int, language: str | None, subdiv: str | None = None
) -> tuple[tuple[date, tuple[str, ...]], ...]:
    """The country's public holidays in ``year``: (day, names) in day order, the names of
    a day in the package's order."""
    table = holidays.country_holidays(code, years=year, language=language, subdiv=subdiv)
    return tuple(
        (day, tuple(part.strip() for part in str(name).split(";") if part.strip()))
        for day, name in sorted(table.items())
    )


def days_named(code: str, year: int, name: str, subdiv: str | None = None) -> list[date]:
    """The days of ``year`` whose English name is exactly ``name`` (none outside the years
    the package covers for the country)."""
    if not in_range(code, year, subdiv):
        return []
    # India's table warns outside 2001-2035, where it has no Hindu festivals: a UK
    # calendar asking for Diwali should not pass India's warning on (no Diwali is the answer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = holiday_table(code, year, english_language(code), subdiv)
    return [day for day, names in table if name in names]


@dataclass(frozen=True, slots=True)
class _Day:
    day: date
    english: str
    name: str
    local: str | None


def _named_days(code: str, year: int, language: str) -> list[_Day]:
    info = country_info(code)
    english = dict(holiday_table(code, year, english_language(code)))
    shown = dict(holiday_table(code, year, display_language(code, language)))
    local: dict[date, tuple[str, ...]] = {}
    if info is not None and info.default_language:
        local = dict(holiday_table(code, year, info.default_language))
    out: list[_Day] = []
    for day, english_names in sorted(english.items()):
        names = shown.get(day, ())
        locals_ = local.get(day, ())
        for index, english_name in enumerate(english_names):
            name = names[index] if len(names) == len(english_names) else english_name
            local_name = locals_[index] if len(locals_) == len(english_names) else None
            out.append(_Day(day, english_name, name, local_name))
    return out


def public_holiday_events(
    code: str,
    year: int,
    language: str,
    *,
    lead_days: Callable[[str], int],
    estimated_note: str | None = None,
) -> list[CalendarEvent]:
    """Public holidays of ``code`` in ``year``; ``lead_days(english_name)`` gives each its
    lead time (0 unless the festival data lists one), and a day the package marks
    "(estimated)" gets ``estimated_note``."""
    if country_info(code) is None:
        return []
    runs: list[list[_Day]] = []
    open_runs: dict[tuple[str, str, str | None], list[_Day]] = {}
    for entry in _named_days(code, year, language):
        ident = (entry.english, entry.name, entry.local)
        run = open_runs.get(ident)
        if run is not None and run[-1].day + timedelta(days=1) == entry.day:
            run.append(entry)
            continue
        run = [entry]
        open_runs[ident] = run
        runs.append(run)
    events: list[CalendarEvent] = []
    used: dict[str, int] = {}
    for run in sorted(runs, key=lambda r: (r[0].day, r[0].name)):
        first = run[0]
        key = f"holiday:{code}:{first.day.isoformat()}"
        used[key] = used.get(key, 0) + 1
        if used[key] > 1:
            key = f"{key}:{used[key]}"
        estimated = "estimated" in first.english.lower()
        events.append(
            CalendarEvent(
                name=first.name,
                key=key,
                start=first.day,
                end=run[-1].day,
                kind="public_holiday",
                market=code,
                lead_days=lead_days(first.english),
                note=estimated_note if estimated else None,
                local_name=first.local,
            )
        )
    return events
