"""Date rules: nth weekdays, Easter offsets, Hijri spans."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.easter import easter
from hypothesis import given
from hypothesis import strategies as st

from tradewinds.markets.calendar.festivals import Festival
from tradewinds.markets.calendar.lunar import HIJRI_FIRST_YEAR, HIJRI_LAST_YEAR, hijri_spans
from tradewinds.markets.calendar.rules import nth_weekday, spans

years = st.integers(min_value=HIJRI_FIRST_YEAR, max_value=HIJRI_LAST_YEAR)


def _festival(rule: dict, **extra: object) -> Festival:
    return Festival.model_validate(
        {
            "key": "test",
            "name": "Test",
            "kind": "festival",
            "markets": ["US"],
            "rule": rule,
            "lead_days": 0,
            "source": "test",
            **extra,
        }
    )


@given(
    years,
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=6),
    st.sampled_from([1, 2, 3, 4, 5, -1]),
)
def test_nth_weekday(year: int, month: int, weekday: int, n: int) -> None:
    day = nth_weekday(year, month, weekday, n)
    first = date(year, month, 1)
    if day is None:
        fifth = first + timedelta(days=(weekday - first.weekday()) % 7 + 28)
        assert n == 5
        assert fifth.month != month
        return
    assert (day.year, day.month, day.weekday()) == (year, month, weekday)
    if n == -1:
        assert (day + timedelta(days=7)).month != month
    else:
        assert (day.day - 1) // 7 == n - 1


@given(years)
def test_black_friday_is_the_friday_after_the_fourth_thursday(year: int) -> None:
    rule = {"type": "nth_weekday", "month": 11, "weekday": "thursday", "n": 4, "offset_days": 1}
    [(start, end)] = spans(_festival(rule), year)
    assert start == end
    assert start.weekday() == 4
    assert date(year, 11, 23) <= start <= date(year, 11, 29)


@given(years)
def test_mothering_sunday_is_three_weeks_before_easter(year: int) -> None:
    [(start, _)] = spans(_festival({"type": "easter", "offset_days": -21}), year)
    assert start.weekday() == 6
    assert start == easter(year) - timedelta(days=21)


@given(years)
def test_french_mothers_day_avoids_pentecost(year: int) -> None:
    rule = {
        "type": "nth_weekday",
        "month": 5,
        "weekday": "sunday",
        "n": -1,
        "avoid_easter_offset": 49,
    }
    [(start, _)] = spans(_festival(rule), year)
    assert start.weekday() == 6
    assert start != easter(year) + timedelta(days=49)
    assert date(year, 5, 25) <= start <= date(year, 6, 7)


def test_durations_make_inclusive_ends() -> None:
    fixed = _festival({"type": "fixed", "month": 4, "day": 13}, duration_days=3)
    assert spans(fixed, 2026) == [(date(2026, 4, 13), date(2026, 4, 15))]


@given(years)
def test_ramadan_spans(year: int) -> None:
    found = hijri_spans(year, 9, 1, whole_month=True)
    assert 1 <= len(found) <= 2
    for start, end in found:
        assert start.year == year
        assert 29 <= (end - start).days + 1 <= 30
    if len(found) == 2:
        assert found[0][0].month == 1 and found[1][0].month == 12


@given(years)
def test_hijri_days_land_once_or_twice_in_a_year(year: int) -> None:
    found = hijri_spans(year, 10, 1, duration_days=3)
    assert 1 <= len(found) <= 2
    assert all((end - start).days == 2 for start, end in found)


def test_two_ramadans_in_2030() -> None:
    assert [s for s, _ in hijri_spans(2030, 9, 1, whole_month=True)] == [
        date(2030, 1, 5),
        date(2030, 12, 26),
    ]


def test_the_30th_of_a_29_day_month_is_skipped() -> None:
    # Ramadan 1446 AH has 29 days in the Umm al-Qura table
    assert hijri_spans(2025, 9, 30) == []
    assert hijri_spans(2026, 9, 30) == [(date(2026, 3, 19), date(2026, 3, 19))]
