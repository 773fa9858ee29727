from __future__ import annotations

from datetime import date

import pytest

from tradewinds.analytics.filters import (
    country_name,
    country_values,
    make_scope,
    scope_from_query,
    split_list,
)
from tradewinds.errors import InvalidInput


def test_previous_period_has_the_same_length() -> None:
    scope = make_scope(start=date(2024, 3, 1), end=date(2024, 3, 31), default_end=date.today())
    prev = scope.previous()
    assert (prev.start, prev.end) == (date(2024, 1, 30), date(2024, 2, 29))
    assert prev.days == scope.days == 31


def test_query_values() -> None:
    scope = scope_from_query(
        {
            "from": "2024-01-01",
            "to": "2024-01-31",
            "channel": ["meta,google"],
            "country": "France",
            "group_by": "channel,month",
        },
        default_end=date(2024, 12, 31),
    )
    assert scope.filters == {"channel": ("meta", "google"), "country": ("France",)}
    assert scope.group_by == ("channel", "month")


@pytest.mark.parametrize(
    "query, field",
    [
        ({"from": "2024-02-31"}, "from"),
        ({"from": "2024-03-01", "to": "2024-02-01"}, "from"),
        ({"group_by": "colour"}, "group_by"),
        ({"group_by": "day,month"}, "group_by"),
    ],
)
def test_errors_name_the_field(query, field) -> None:
    with pytest.raises(InvalidInput) as err:
        scope_from_query(query, default_end=date(2024, 12, 31))
    assert err.value.details["field"] == field


def test_default_range_is_the_last_30_days_of_data() -> None:
    scope = scope_from_query({}, default_end=date(2011, 12, 9))
    assert (scope.start, scope.end) == (date(2011, 11, 10), date(2011, 12, 9))


def test_countries_read_the_same_however_stored() -> None:
    assert country_name("FR") == country_name("France") == "France"
    assert country_name("EIRE") == country_name("IE") == "Ireland"
    assert country_name("") == "(not split)"
    assert {"FR", "France"} <= set(country_values(["France"]))
    assert split_list(["a, b", "a", ""]) == ("a", "b")
