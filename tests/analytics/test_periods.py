"""Named periods resolved from the workspace's data days (analytics/periods.py)."""

from __future__ import annotations

from datetime import date

import pytest

from tradewinds.analytics.periods import (
    PRESETS,
    DataDays,
    comparison_period,
    days_with_data,
    resolve,
)
from tradewinds.errors import InvalidInput

D = date


def days(reference: date, first: date | None = D(2010, 12, 1), last: date | None = None):
    return DataDays(first=first, last=last or reference, reference=reference)


@pytest.mark.parametrize(
    ("preset", "reference", "expected"),
    [
        ("today", D(2011, 12, 9), (D(2011, 12, 9), D(2011, 12, 9))),
        ("yesterday", D(2011, 12, 1), (D(2011, 11, 30), D(2011, 11, 30))),
        ("last_7_days", D(2011, 12, 9), (D(2011, 12, 3), D(2011, 12, 9))),
        ("last_30_days", D(2011, 12, 9), (D(2011, 11, 10), D(2011, 12, 9))),
        ("last_90_days", D(2011, 12, 9), (D(2011, 9, 11), D(2011, 12, 9))),
        ("this_month", D(2011, 12, 9), (D(2011, 12, 1), D(2011, 12, 9))),
        ("this_month", D(2011, 12, 1), (D(2011, 12, 1), D(2011, 12, 1))),
        # last month across a year's end, and February of a leap year and of a common one
        ("last_month", D(2012, 1, 15), (D(2011, 12, 1), D(2011, 12, 31))),
        ("last_month", D(2024, 3, 31), (D(2024, 2, 1), D(2024, 2, 29))),
        ("last_month", D(2023, 3, 1), (D(2023, 2, 1), D(2023, 2, 28))),
        ("quarter_to_date", D(2011, 12, 9), (D(2011, 10, 1), D(2011, 12, 9))),
        ("quarter_to_date", D(2011, 3, 31), (D(2011, 1, 1), D(2011, 3, 31))),
        ("quarter_to_date", D(2011, 4, 1), (D(2011, 4, 1), D(2011, 4, 1))),
        ("year_to_date", D(2011, 12, 9), (D(2011, 1, 1), D(2011, 12, 9))),
        ("year_to_date", D(2012, 1, 1), (D(2012, 1, 1), D(2012, 1, 1))),
        ("all_time", D(2011, 12, 9), (D(2010, 12, 1), D(2011, 12, 9))),
        # 30 days to 29 February of a leap year
        ("last_30_days", D(2024, 2, 29), (D(2024, 1, 31), D(2024, 2, 29))),
    ],
)
def test_presets(preset: str, reference: date, expected: tuple[date, date]) -> None:
    assert resolve(preset, days(reference)) == expected


def test_all_time_runs_to_the_last_day_with_any_data() -> None:
    # ad spend imported after the last order: all time reaches it, last 30 days does not
    found = DataDays(first=D(2011, 1, 5), last=D(2012, 2, 1), reference=D(2011, 12, 9))
    assert resolve("all_time", found) == (D(2011, 1, 5), D(2012, 2, 1))
    assert resolve("last_30_days", found)[1] == D(2011, 12, 9)


def test_all_time_is_capped_at_the_longest_period() -> None:
    found = DataDays(first=D(1990, 1, 1), last=D(2020, 1, 1), reference=D(2020, 1, 1))
    start, end = resolve("all_time", found)
    assert end == D(2020, 1, 1) and (end - start).days + 1 == 3660


def test_an_empty_workspace_counts_back_from_today() -> None:
    today = D(2026, 3, 15)
    empty = DataDays(first=None, last=None, reference=today)
    assert resolve("all_time", empty) == (today, today)
    assert resolve("last_7_days", empty) == (D(2026, 3, 9), today)
    assert days_with_data(D(2026, 3, 1), today, empty) == 0
    for preset in PRESETS:
        start, end = resolve(preset, empty)
        assert start <= end <= today


def test_unknown_preset_names_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve("last_week", days(D(2011, 12, 9)))
    assert caught.value.details == {"field": "preset"}
    assert "last_7_days" in caught.value.message


def test_comparison_periods() -> None:
    assert comparison_period(D(2011, 11, 10), D(2011, 12, 9), "previous") == (
        D(2011, 10, 11),
        D(2011, 11, 9),
    )
    assert comparison_period(D(2024, 2, 1), D(2024, 2, 29), "year") == (
        D(2023, 2, 1),
        D(2023, 2, 28),
    )
    with pytest.raises(InvalidInput):
        comparison_period(D(2024, 2, 1), D(2024, 2, 29), "decade")


def test_days_with_data() -> None:
    found = days(D(2011, 12, 9))  # data 1 Dec 2010 – 9 Dec 2011
    assert days_with_data(D(2010, 11, 1), D(2010, 11, 30), found) == 0
    assert days_with_data(D(2010, 11, 2), D(2010, 12, 2), found) == 2
    assert days_with_data(D(2011, 1, 1), D(2011, 1, 31), found) == 31
