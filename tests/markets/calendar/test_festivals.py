"""The shipped festival data and its schema."""

from __future__ import annotations

import holidays
import pytest
from pydantic import ValidationError

from tradewinds.markets.calendar.festivals import HolidayRule, festival_data, parse_festival_data
from tradewinds.markets.calendar.public_holidays import days_named, english_language

MINIMAL = """
version: 1
markets: [US, GB]
festivals:
  - key: black_friday
    name: Black Friday
    kind: festival
    markets: [US]
    rule: {type: nth_weekday, month: 11, weekday: thursday, n: 4, offset_days: 1}
    lead_days: 28
    source: test
"""


def test_the_shipped_data_loads() -> None:
    data = festival_data()
    assert len(data.markets) >= 22
    assert data.aliases == {"UK": "GB"}
    assert all(f.source for f in data.festivals)


def test_every_market_has_holidays_and_festivals() -> None:
    data = festival_data()
    for market in data.markets:
        assert holidays.country_holidays(market, years=2026), market
        assert data.for_market(market), market


@pytest.mark.parametrize(
    ("key", "lead"),
    [
        ("black_friday", 28),
        ("singles_day", 30),
        ("ramadan", 21),
        ("lunar_new_year", 30),
        ("prime_day", 21),
        ("mothers_day", 21),
        ("valentines_day", 21),
        ("back_to_school", 28),
    ],
)
def test_lead_times(key: str, lead: int) -> None:
    entries = [f for f in festival_data().festivals if f.key == key]
    assert entries
    assert {f.lead_days for f in entries} == {lead}


def _holiday_rules() -> list[HolidayRule]:
    return [f.rule for f in festival_data().festivals if isinstance(f.rule, HolidayRule)]


@pytest.mark.parametrize(
    "rule", _holiday_rules(), ids=lambda r: f"{r.country}-{r.subdiv or ''}-{r.name}"
)
def test_lunar_names_still_answer_in_the_holidays_package(rule: HolidayRule) -> None:
    # a rename in a new release of the package would silently drop the festival
    for year in range(2024, 2031):
        assert days_named(rule.country, year, rule.name, rule.subdiv), (rule, year)


def test_holiday_lead_names_exist_in_the_package() -> None:
    for lead in festival_data().holiday_leads:
        for market in lead.markets:
            table = holidays.country_holidays(market, years=2026, language=english_language(market))
            assert lead.name in table.values(), (lead.name, market)


def test_a_minimal_file_parses() -> None:
    data = parse_festival_data(MINIMAL)
    assert data.for_market("US")[0].key == "black_friday"
    assert data.for_market("GB") == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("markets: [US]\n    rule", "markets: [FR]\n    rule"), "not listed"),
        (("n: 4", "n: 0"), "counts from 1"),
        (("weekday: thursday", "weekday: thursdai"), "weekday"),
        (("lead_days: 28", "lead_days: -1"), "lead_days"),
        (("source: test", "source: test\n    colour: red"), "colour"),
        (
            (
                "rule: {type: nth_weekday, month: 11, weekday: thursday, n: 4, offset_days: 1}",
                "rule: {type: fixed, month: 2, day: 30}",
            ),
            "day is out of range",
        ),
        (
            (
                "rule: {type: nth_weekday, month: 11, weekday: thursday, n: 4, offset_days: 1}",
                'rule: {type: fixed_range, start: "09-07", end: "07-20"}',
            ),
            "ends before it starts",
        ),
        (
            (
                "rule: {type: nth_weekday, month: 11, weekday: thursday, n: 4, offset_days: 1}",
                "rule: {type: hijri, month: 9, day: 1, whole_month: true}\n    duration_days: 3",
            ),
            "drop duration_days",
        ),
        (("type: nth_weekday", "type: lunar"), "type"),
    ],
    ids=[
        "unknown-market",
        "n-zero",
        "weekday",
        "negative-lead",
        "extra-field",
        "feb-30",
        "backwards-range",
        "duration-on-a-month",
        "unknown-rule",
    ],
)
def test_bad_data_is_rejected(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in MINIMAL
    with pytest.raises(ValidationError, match=message):
        parse_festival_data(MINIMAL.replace(old, new))


def test_overlapping_entries_of_one_key_are_rejected() -> None:
    extra = """\
  - key: black_friday
    name: Black Friday
    kind: festival
    markets: [GB, US]
    rule: {type: fixed, month: 11, day: 28}
    lead_days: 28
    source: test
"""
    text = MINIMAL + extra
    with pytest.raises(ValidationError, match="US appears in entries 0 and 1"):
        parse_festival_data(text)
