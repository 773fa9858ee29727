"""market_calendar(), upcoming() and supported_markets()."""

from __future__ import annotations

import warnings
from datetime import date

import pytest

from tradewinds.markets.calendar import (
    KINDS,
    CalendarEvent,
    UnknownMarket,
    market_calendar,
    supported_markets,
    upcoming,
)

REQUIRED_MARKETS = [
    "US",
    "GB",
    "DE",
    "FR",
    "ES",
    "IT",
    "NL",
    "JP",
    "KR",
    "CN",
    "SG",
    "MY",
    "ID",
    "TH",
    "VN",
    "SA",
    "AE",
    "AU",
    "BR",
    "MX",
    "IN",
    "CA",
]
YEARS = range(2024, 2029)


def _starts(market: str, year: int, key: str) -> list[date]:
    return [e.start for e in market_calendar(market, year) if e.key == key]


def _only(market: str, year: int, key: str) -> CalendarEvent:
    found = [e for e in market_calendar(market, year) if e.key == key]
    assert len(found) == 1, found
    return found[0]


def test_required_markets_are_supported() -> None:
    markets = supported_markets()
    assert markets == sorted(markets)
    assert set(REQUIRED_MARKETS) <= set(markets)


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("market", REQUIRED_MARKETS)
def test_every_market_and_year_builds(market: str, year: int) -> None:
    events = market_calendar(market, year)
    assert events == sorted(events, key=lambda e: (e.start, e.name, e.key))
    kinds = {e.kind for e in events}
    assert "public_holiday" in kinds
    assert "festival" in kinds
    assert kinds <= KINDS
    for event in events:
        assert event.start <= event.end, event
        assert event.start.year == year, event
        assert event.market == market
        assert event.lead_days >= 0
        assert event.name
    # keys are unique within a year, except a festival twice in one year (none in 2024-28)
    assert len({(e.key, e.start) for e in events}) == len(events)
    holidays_ = [e for e in events if e.kind == "public_holiday"]
    assert all(e.key.startswith(f"holiday:{market}:{year}-") for e in holidays_)
    assert len({e.key for e in holidays_}) == len(holidays_)


@pytest.mark.parametrize("market", sorted(set(supported_markets()) - set(REQUIRED_MARKETS)))
def test_the_other_markets_build_too(market: str) -> None:
    events = market_calendar(market, 2026)
    assert {"public_holiday", "festival"} <= {e.kind for e in events}


@pytest.mark.parametrize(
    ("year", "day"),
    [
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2027, date(2027, 2, 6)),
        (2028, date(2028, 1, 26)),
    ],
)
@pytest.mark.parametrize("market", ["CN", "HK", "TW", "SG", "MY"])
def test_lunar_new_year(market: str, year: int, day: date) -> None:
    assert _starts(market, year, "lunar_new_year") == [day]


def test_tet_and_seollal_follow_their_own_countries() -> None:
    assert _starts("VN", 2026, "tet") == [date(2026, 2, 17)]
    assert _starts("KR", 2026, "seollal") == [date(2026, 2, 17)]
    # The new moon of February 2027 falls just before midnight in China (UTC+8) and just
    # after it in Korea (UTC+9): Seollal is a day after the Chinese New Year.
    assert _starts("CN", 2027, "lunar_new_year") == [date(2027, 2, 6)]
    assert _starts("KR", 2027, "seollal") == [date(2027, 2, 7)]


@pytest.mark.parametrize("day", [date(2024, 9, 17), date(2025, 10, 6), date(2026, 9, 25)], ids=str)
@pytest.mark.parametrize("market", ["CN", "HK", "TW", "VN", "SG", "MY"])
def test_mid_autumn(market: str, day: date) -> None:
    assert _starts(market, day.year, "mid_autumn") == [day]


@pytest.mark.parametrize("day", [date(2024, 4, 10), date(2025, 3, 30), date(2026, 3, 20)], ids=str)
def test_eid_al_fitr_umm_al_qura(day: date) -> None:
    # hijridate's Umm al-Qura table: 1 Shawwal 1445/1446/1447 AH
    event = _only("SA", day.year, "eid_al_fitr")
    assert event.start == day
    assert event.note == "Date depends on the moon sighting and may move by a day."


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 3, 1), date(2025, 3, 29)),  # 29 days in 1446 AH
        (date(2026, 2, 18), date(2026, 3, 19)),  # 30 days in 1447 AH
    ],
    ids=str,
)
@pytest.mark.parametrize("market", ["SA", "AE", "ID", "MY", "EG", "TR", "GB", "FR", "DE"])
def test_ramadan_is_a_whole_month_season(market: str, start: date, end: date) -> None:
    event = _only(market, start.year, "ramadan")
    assert (event.start, event.end, event.kind) == (start, end, "season")
    assert event.note == "Date depends on the moon sighting and may move by a day."
    # Eid al-Fitr is the day after Ramadan's last day
    assert _starts(market, start.year, "eid_al_fitr") == [date.fromordinal(end.toordinal() + 1)]


@pytest.mark.parametrize("day", [date(2024, 6, 16), date(2025, 6, 6)], ids=str)
def test_eid_al_adha(day: date) -> None:
    assert _starts("SA", day.year, "eid_al_adha") == [day]


def test_a_year_with_two_ramadans() -> None:
    ramadans = [e for e in market_calendar("SA", 2030) if e.key == "ramadan"]
    assert [(e.start, e.end) for e in ramadans] == [
        (date(2030, 1, 5), date(2030, 2, 3)),
        (date(2030, 12, 26), date(2031, 1, 23)),
    ]
    # ... so the December one is not in 2031's calendar, where it did not start
    assert _starts("SA", 2031, "ramadan") == [date(2031, 12, 15)]


def test_diwali() -> None:
    # the holidays package's India table puts Diwali 2024 on 31 October (Lakshmi Puja
    # there; some calendars say 1 November) — the calendar uses what the package gives
    assert _starts("IN", 2024, "diwali") == [date(2024, 10, 31)]
    assert _starts("IN", 2025, "diwali") == [date(2025, 10, 20)]
    assert _starts("GB", 2025, "diwali") == [date(2025, 10, 20)]
    assert _starts("US", 2025, "diwali") == [date(2025, 10, 20)]
    assert _starts("SG", 2025, "diwali") == [date(2025, 10, 20)]
    # Singapore's Deepavali follows the Tamil calendar: a month later than India in 2028
    assert _starts("IN", 2028, "diwali") == [date(2028, 10, 17)]
    assert _starts("SG", 2028, "diwali") == [date(2028, 11, 15)]


def test_diwali_is_left_out_where_the_package_has_no_date() -> None:
    # India's tables in the holidays package end in 2035
    assert _starts("GB", 2035, "diwali") == [date(2035, 10, 30)]
    assert _starts("GB", 2036, "diwali") == []
    # India's calendar keeps its other public holidays (the package warns about the rest)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        india = market_calendar("IN", 2036)
    assert "holiday:IN:2036-01-26" in {e.key for e in india}
    assert "diwali" not in {e.key for e in india}


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 11, 29),
        date(2025, 11, 28),
        date(2026, 11, 27),
        date(2027, 11, 26),
        date(2028, 11, 24),
    ],
    ids=str,
)
@pytest.mark.parametrize("market", ["US", "GB", "DE", "FR", "ES", "IT", "NL", "AU", "CA", "BR"])
def test_black_friday(market: str, day: date) -> None:
    event = _only(market, day.year, "black_friday")
    assert (event.start, event.end, event.lead_days) == (day, day, 28)


def test_ads_start() -> None:
    event = _only("US", 2026, "black_friday")
    assert event.ads_start == date(2026, 10, 30)  # 28 days before 27 November


def test_cyber_monday() -> None:
    assert _starts("US", 2025, "cyber_monday") == [date(2025, 12, 1)]
    assert _starts("GB", 2024, "cyber_monday") == [date(2024, 12, 2)]


@pytest.mark.parametrize(
    ("market", "day"),
    [
        ("GB", date(2025, 3, 30)),
        ("GB", date(2026, 3, 15)),
        ("US", date(2026, 5, 10)),
        ("DE", date(2026, 5, 10)),
        ("JP", date(2026, 5, 10)),
        ("FR", date(2024, 5, 26)),
        ("FR", date(2026, 5, 31)),
        ("FR", date(2023, 6, 4)),  # the last Sunday of May 2023 was Pentecost
        ("ES", date(2026, 5, 3)),
        ("MX", date(2026, 5, 10)),
        ("TH", date(2026, 8, 12)),
    ],
    ids=str,
)
def test_mothers_day(market: str, day: date) -> None:
    event = _only(market, day.year, "mothers_day")
    assert event.start == day
    assert event.lead_days == 21


def test_parents_day_in_korea() -> None:
    assert _starts("KR", 2026, "parents_day") == [date(2026, 5, 8)]
    assert _starts("KR", 2026, "mothers_day") == []


@pytest.mark.parametrize(
    ("year", "start", "end"),
    [
        (2024, date(2024, 11, 15), date(2024, 11, 18)),
        (2025, date(2025, 11, 14), date(2025, 11, 17)),
    ],
)
def test_el_buen_fin(year: int, start: date, end: date) -> None:
    event = _only("MX", year, "el_buen_fin")
    assert (event.start, event.end) == (start, end)
    assert (start.strftime("%a"), end.strftime("%a")) == ("Fri", "Mon")


def test_fixed_days_and_ranges() -> None:
    songkran = _only("TH", 2026, "songkran")
    assert (songkran.start, songkran.end) == (date(2026, 4, 13), date(2026, 4, 15))
    golden = _only("JP", 2026, "golden_week")
    assert (golden.start, golden.end, golden.kind) == (
        date(2026, 4, 29),
        date(2026, 5, 5),
        "season",
    )
    cn_golden = _only("CN", 2026, "golden_week")
    assert (cn_golden.start, cn_golden.end) == (date(2026, 10, 1), date(2026, 10, 7))
    for market in ["CN", "SG", "MY", "ID", "TH", "VN", "PH"]:
        event = _only(market, 2026, "singles_day")
        assert (event.start, event.lead_days, event.name) == (
            date(2026, 11, 11),
            30,
            "Singles' Day (11.11)",
        )
    assert _starts("CN", 2026, "jd_618") == [date(2026, 6, 18)]
    assert _starts("ID", 2026, "harbolnas") == [date(2026, 12, 12)]
    assert _starts("SG", 2026, "nine_nine") == [date(2026, 9, 9)]
    assert _starts("US", 2026, "valentines_day") == [date(2026, 2, 14)]
    for market in ["GB", "AU", "NZ", "CA"]:
        assert _starts(market, 2026, "boxing_day") == [date(2026, 12, 26)]


@pytest.mark.parametrize(
    ("market", "start", "end"),
    [
        ("US", date(2026, 7, 20), date(2026, 9, 7)),
        ("DE", date(2026, 8, 15), date(2026, 9, 15)),
        ("JP", date(2026, 3, 15), date(2026, 4, 10)),
        ("BR", date(2026, 1, 5), date(2026, 2, 20)),
        ("AU", date(2026, 1, 1), date(2026, 1, 31)),
    ],
)
def test_back_to_school(market: str, start: date, end: date) -> None:
    event = _only(market, 2026, "back_to_school")
    assert (event.start, event.end, event.kind, event.lead_days) == (start, end, "season", 28)


def test_prime_day_default_and_announced() -> None:
    default = _only("US", 2026, "prime_day")
    # the second Tuesday and Wednesday of July
    assert (default.start, default.end) == (date(2026, 7, 14), date(2026, 7, 15))
    assert default.lead_days == 21
    assert default.note and "Amazon announces" in default.note
    announced = (date(2026, 7, 7), date(2026, 7, 10))
    events = market_calendar("DE", 2026, prime_day=announced)
    prime = [e for e in events if e.key == "prime_day"]
    assert [(e.start, e.end) for e in prime] == [announced]
    assert prime[0].note == "Days as announced by Amazon."
    # markets without Prime Day ignore the argument
    assert not [e for e in market_calendar("CN", 2026, prime_day=announced) if e.key == "prime_day"]


@pytest.mark.parametrize(
    "prime_day",
    [(date(2026, 7, 10), date(2026, 7, 7)), (date(2025, 7, 7), date(2025, 7, 8))],
    ids=["backwards", "another-year"],
)
def test_prime_day_must_make_sense(prime_day: tuple[date, date]) -> None:
    with pytest.raises(ValueError, match="prime_day"):
        market_calendar("US", 2026, prime_day=prime_day)


def test_lead_days_of_public_holidays_come_from_the_data() -> None:
    christmas = [e for e in market_calendar("GB", 2026) if e.key == "holiday:GB:2026-12-25"]
    assert [(e.name, e.lead_days) for e in christmas] == [("Christmas Day", 35)]
    others = [e for e in market_calendar("GB", 2026, kinds={"public_holiday"})]
    assert {e.lead_days for e in others if e.key != "holiday:GB:2026-12-25"} == {0}


def test_a_holiday_and_a_festival_on_the_same_day_are_both_kept() -> None:
    events = [e for e in market_calendar("CN", 2026) if e.start == date(2026, 2, 17)]
    assert {(e.kind, e.key) for e in events} == {
        ("public_holiday", "holiday:CN:2026-02-17"),
        ("festival", "lunar_new_year"),
    }
    holiday = next(e for e in events if e.kind == "public_holiday")
    # the three Spring Festival days are one event
    assert (holiday.end, holiday.name, holiday.local_name) == (
        date(2026, 2, 19),
        "Chinese New Year (Spring Festival)",
        "春节",
    )


def test_kinds_filter() -> None:
    seasons = market_calendar("SA", 2026, kinds={"season"})
    assert {e.kind for e in seasons} == {"season"}
    assert [e.key for e in seasons] == ["ramadan"]
    holidays_only = market_calendar("JP", 2026, kinds={"public_holiday"})
    assert holidays_only and {e.kind for e in holidays_only} == {"public_holiday"}
    with pytest.raises(ValueError, match="holiday"):
        market_calendar("JP", 2026, kinds={"holiday"})


def test_names_in_another_language_and_local_names() -> None:
    english = {e.key: e for e in market_calendar("DE", 2026, kinds={"public_holiday"})}
    german = {
        e.key: e for e in market_calendar("DE", 2026, language="de", kinds={"public_holiday"})
    }
    assert english.keys() == german.keys()
    assert english["holiday:DE:2026-12-25"].name == "Christmas Day"
    assert german["holiday:DE:2026-12-25"].name == "Erster Weihnachtstag"
    assert english["holiday:DE:2026-12-25"].local_name == "Erster Weihnachtstag"
    jp = {e.key: e for e in market_calendar("JP", 2026, kinds={"public_holiday"})}
    assert jp["holiday:JP:2026-01-01"].local_name == "元日"
    # a language the package does not have for the country falls back to English
    fallback = {e.key: e for e in market_calendar("DE", 2026, language="ja")}
    assert fallback["holiday:DE:2026-12-25"].name == "Christmas Day"
    # festivals are named in English whatever the language
    german_all = market_calendar("DE", 2026, language="de")
    assert next(e.name for e in german_all if e.key == "black_friday") == "Black Friday"


def test_the_uk_is_gb_and_codes_are_case_insensitive() -> None:
    assert market_calendar("UK", 2026) == market_calendar("gb", 2026)
    assert {e.market for e in market_calendar("uk", 2026)} == {"GB"}


def test_unknown_market_names_it_and_the_supported_ones() -> None:
    with pytest.raises(ValueError, match="'XX'") as raised:
        market_calendar("XX", 2026)
    assert isinstance(raised.value, UnknownMarket)
    message = str(raised.value)
    for market in REQUIRED_MARKETS:
        assert market in message
    with pytest.raises(UnknownMarket, match="'ZZ'"):
        upcoming("ZZ", date(2026, 1, 1))


def test_years_outside_the_range() -> None:
    with pytest.raises(ValueError, match="1900"):
        market_calendar("US", 1900)


def test_upcoming() -> None:
    events = upcoming("SA", date(2026, 2, 1), days=60)
    keys = [e.key for e in events]
    assert "ramadan" in keys and "eid_al_fitr" in keys
    assert all(e.end >= date(2026, 2, 1) and e.start <= date(2026, 4, 2) for e in events)
    assert events == sorted(events, key=lambda e: (e.start, e.name, e.key))


def test_upcoming_keeps_what_is_under_way_across_the_new_year() -> None:
    events = upcoming("SA", date(2031, 1, 10), days=10)
    assert [(e.key, e.start) for e in events] == [("ramadan", date(2030, 12, 26))]


def test_upcoming_spans_years_without_duplicates() -> None:
    events = upcoming("US", date(2026, 12, 20), days=30)
    keys = [(e.key, e.start) for e in events]
    assert len(keys) == len(set(keys))
    assert ("holiday:US:2026-12-25", date(2026, 12, 25)) in keys
    assert ("holiday:US:2027-01-01", date(2027, 1, 1)) in keys
    with pytest.raises(ValueError, match="days"):
        upcoming("US", date(2026, 1, 1), days=-1)
