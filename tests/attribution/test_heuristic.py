"""Rule-based models against plain-Python reference implementations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.attribution.models import heuristic
from tradewinds.attribution.pathtable import PathTable

from .strategies import path_tables


def reference(table: PathTable, shares_of) -> dict[str, tuple[float, float]]:
    out = {c: [0.0, 0.0] for c in table.channels}
    rows = zip(table.sequences(), table.conversions, table.value, strict=True)
    for i, (path, conv, value) in enumerate(rows):
        for channel, share in zip(path, shares_of(i, path), strict=True):
            out[channel][0] += share * conv
            out[channel][1] += share * value
    return {c: (a, b) for c, (a, b) in out.items()}


def assert_same(got: dict, expected: dict) -> None:
    assert got.keys() == expected.keys()
    for c in got:
        assert got[c][0] == pytest.approx(expected[c][0], abs=1e-9)
        assert got[c][1] == pytest.approx(expected[c][1], abs=1e-7)


def one_hot(n: int, k: int) -> list[float]:
    return [1.0 if i == k else 0.0 for i in range(n)]


@settings(max_examples=40, deadline=None)
@given(table=path_tables())
def test_first_last_linear(table: PathTable) -> None:
    assert_same(
        heuristic.first_touch(table).by_channel(),
        reference(table, lambda i, p: one_hot(len(p), 0)),
    )
    assert_same(
        heuristic.last_touch(table).by_channel(),
        reference(table, lambda i, p: one_hot(len(p), len(p) - 1)),
    )
    assert_same(
        heuristic.linear(table).by_channel(),
        reference(table, lambda i, p: [1 / len(p)] * len(p)),
    )


@settings(max_examples=40, deadline=None)
@given(table=path_tables())
def test_last_non_direct(table: PathTable) -> None:
    def shares(i, p):
        idx = [k for k, c in enumerate(p) if c != "direct"]
        return one_hot(len(p), idx[-1] if idx else len(p) - 1)

    assert_same(heuristic.last_non_direct(table).by_channel(), reference(table, shares))


@settings(max_examples=40, deadline=None)
@given(
    table=path_tables(),
    first=st.floats(0, 0.6),
    last=st.floats(0, 0.4),
)
def test_position_based(table: PathTable, first: float, last: float) -> None:
    def shares(i, p):
        n = len(p)
        if n == 1:
            return [1.0]
        if n == 2:
            ends = first + last
            return [first / ends, last / ends] if ends else [0.5, 0.5]
        middle = (1 - first - last) / (n - 2)
        return [first] + [middle] * (n - 2) + [last]

    got = heuristic.position_based(table, first=first, last=last).by_channel()
    assert_same(got, reference(table, shares))


@settings(max_examples=40, deadline=None)
@given(table=path_tables(with_ages=True), half_life=st.floats(0.5, 30))
def test_time_decay_with_timestamps(table: PathTable, half_life: float) -> None:
    ages = table.ages
    assert ages is not None
    offsets = table.offsets

    def shares(i, p):
        a = ages[offsets[i] : offsets[i + 1]]
        w = [2 ** (-(x - min(a)) / half_life) for x in a]
        return [x / sum(w) for x in w]

    got = heuristic.time_decay(table, half_life=half_life).by_channel()
    assert_same(got, reference(table, shares))


def test_time_decay_without_timestamps_counts_touches() -> None:
    table = PathTable.from_sequences([["a", "b", "c"]], [7], [70.0])
    got = heuristic.time_decay(table, half_life=1).by_channel()
    # ages in touches 2, 1, 0 -> weights 1/4, 1/2, 1
    assert got["a"][0] == pytest.approx(1.0)
    assert got["b"][0] == pytest.approx(2.0)
    assert got["c"][0] == pytest.approx(4.0)


def test_bad_settings_are_refused() -> None:
    table = PathTable.from_sequences([["a"]], [1])
    with pytest.raises(ValueError):
        heuristic.position_based(table, first=0.7, last=0.4)
    with pytest.raises(ValueError):
        heuristic.time_decay(table, half_life=0)
