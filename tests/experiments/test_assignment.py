from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewinds.experiments.assignment import assign, bucket, choose, ranges

# GrowthBook's published hash (version 2) cases: seed, value, expected
GROWTHBOOK_V2 = [
    ("seed", "a", 0.0505),
    ("seed", "b", 0.2696),
    ("foo", "ab", 0.2575),
    ("foo", "def", 0.2019),
    ("89123klj", "8952klfjas09ujkasdf", 0.124),
    ("90850943850283058242805", "123", 0.7516),
    ("()**(%$##$%#$#", '___)((*":&', 0.0128),
]


@pytest.mark.parametrize(("salt", "unit", "expected"), GROWTHBOOK_V2)
def test_the_hash_is_growthbooks_version_2(salt, unit, expected):
    assert bucket(salt, unit) == expected


@given(st.text(max_size=20), st.text(max_size=40))
def test_a_bucket_is_in_the_unit_interval_and_stable(salt, unit):
    place = bucket(salt, unit)
    assert 0 <= place < 1 and place == bucket(salt, unit)


def test_ranges_and_choice():
    assert ranges([1, 1]) == [(0.0, 0.5), (0.5, 1.0)]
    assert ranges([0.2, 0.8])[1] == pytest.approx((0.2, 1.0))
    assert choose(0.1999, [0.2, 0.8]) == 0 and choose(0.2, [0.2, 0.8]) == 1
    with pytest.raises(ValueError):
        ranges([0, 0])


def test_the_split_follows_the_weights():
    counts = Counter(assign("checkout-button", f"visitor-{i}", [0.25, 0.75]) for i in range(8000))
    assert abs(counts[0] / 8000 - 0.25) < 0.02
