"""Public holidays from the holidays package, as calendar events."""

from __future__ import annotations

from datetime import date

import pytest

from tradewinds.markets.calendar import market_calendar
from tradewinds.markets.calendar.public_holidays import display_language, english_language


def _holidays(market: str, year: int, language: str = "en") -> dict[str, object]:
    return {
        e.key: e for e in market_calendar(market, year, kinds={"public_holiday"}, language=language)
    }


@pytest.mark.parametrize(
    ("market", "language", "expected"),
    [
        ("US", "en", "en_US"),
        ("GB", "en", "en_GB"),
        ("SG", "en", "en_SG"),
        ("DE", "en", "en_US"),
        ("DE", "de", "de"),
        ("CN", "zh_Hans", "zh_CN"),
        ("TW", "zh_Hant", "zh_TW"),
        ("HK", "zh_Hant", "zh_HK"),
        ("HK", "zh_Hans", "zh_CN"),
        ("BR", "pt_BR", "pt_BR"),
        ("BR", "pt", "pt_BR"),
        ("DE", "ja", "en_US"),
        ("NZ", "en", None),  # no translations: the package's own (English) names
    ],
)
def test_languages(market: str, language: str, expected: str | None) -> None:
    assert display_language(market, language) == expected


def test_english_is_asked_for_explicitly() -> None:
    # without a language the package follows LANG, which differs between servers
    assert english_language("SA") == "en_US"
    assert _holidays("SA", 2026)["holiday:SA:2026-03-19"].name == "Eid al-Fitr Holiday"


def test_local_names() -> None:
    sa = _holidays("SA", 2026)["holiday:SA:2026-03-19"]
    assert sa.local_name == "عطلة عيد الفطر"
    assert sa.end == date(2026, 3, 22)  # four days, one event


def test_a_day_with_two_holidays_becomes_two_events() -> None:
    # 4 February 2030 in Singapore: Chinese New Year's second day and Hari Raya Puasa
    events = _holidays("SG", 2030)
    new_year = events["holiday:SG:2030-02-03"]
    assert (new_year.name, new_year.end) == ("Chinese New Year (estimated)", date(2030, 2, 4))
    eid = events["holiday:SG:2030-02-04"]
    assert eid.name == "Hari Raya Puasa (estimated)"  # Singapore's English (en_SG)
    assert eid.note and "estimates" in eid.note
    assert _holidays("SG", 2026)["holiday:SG:2026-01-01"].note is None


def test_two_holidays_starting_the_same_day_get_distinct_keys() -> None:
    events = market_calendar("SG", 2030, kinds={"public_holiday"})
    assert len({e.key for e in events}) == len(events)


def test_observed_days_are_their_own_events() -> None:
    events = _holidays("GB", 2026)
    assert events["holiday:GB:2026-12-26"].name == "Boxing Day"
    assert events["holiday:GB:2026-12-28"].name == "Boxing Day (observed)"
