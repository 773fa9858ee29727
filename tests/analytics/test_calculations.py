from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from tradewinds.analytics.calculations import change, derive, ratio

amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False)


@given(amounts, amounts)
def test_ratio_is_none_without_a_denominator(num: float, den: float) -> None:
    got = ratio(num, den)
    if den == 0:
        assert got is None
    else:
        assert math.isclose(got, num / den)


@given(amounts, st.floats(min_value=0.01, max_value=1e9))
def test_change_round_trips(current: float, previous: float) -> None:
    assert math.isclose(
        previous * (1 + change(current, previous)), current, rel_tol=1e-9, abs_tol=1e-6
    )


def test_change_needs_a_previous_figure() -> None:
    assert change(10, 0) is None and change(10, None) is None and change(None, 5) is None


@given(amounts, amounts, st.integers(0, 10_000), st.integers(0, 10_000))
def test_derive(revenue: float, spend: float, customers: int, new: int) -> None:
    new = min(new, customers)
    row = derive(
        {
            "revenue": revenue,
            "refunds": revenue / 4,
            "spend": spend,
            "customers": customers,
            "new_customers": new,
            "orders": customers,
        }
    )
    assert math.isclose(row["net_revenue"], revenue * 0.75, abs_tol=1e-6)
    assert row["returning_customers"] == customers - new
    assert (row["roas"] is None) == (spend == 0)
    assert (row["cac"] is None) == (spend is None or new == 0)
    assert row["ctr"] is None  # no impressions given
