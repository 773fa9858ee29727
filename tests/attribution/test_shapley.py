"""Shapley values: brute force, efficiency, symmetry and the simplified forms."""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings

from tradewinds.attribution.models import shapley
from tradewinds.attribution.pathtable import PathTable

from .strategies import path_tables


def brute_force(worth: np.ndarray, n: int) -> np.ndarray:
    phi = np.zeros(n)
    orders = list(permutations(range(n)))
    for order in orders:
        mask = 0
        for player in order:
            phi[player] += worth[mask | (1 << player)] - worth[mask]
            mask |= 1 << player
    return phi / len(orders)


@settings(max_examples=40, deadline=None)
@given(table=path_tables(max_channels=5))
def test_exact_matches_permutation_average(table: PathTable) -> None:
    for worth_name in ("conversions", "conversion_rate"):
        conv, _ = shapley.coalition_worth(table, worth=worth_name)
        fast = shapley.shapley_values(conv, table.n_channels)
        assert np.allclose(fast, brute_force(conv, table.n_channels), atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(table=path_tables(max_channels=6))
def test_efficiency(table: PathTable) -> None:
    for worth_name in ("conversions", "conversion_rate"):
        conv, value = shapley.coalition_worth(table, worth=worth_name)
        result = shapley.shapley(table, worth=worth_name)
        assert result.raw_conversions.sum() == pytest.approx(conv[-1] - conv[0], abs=1e-9)
        assert result.raw_value.sum() == pytest.approx(value[-1] - value[0], abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(table=path_tables(max_channels=4))
def test_symmetry_of_channels_that_always_appear_together(table: PathTable) -> None:
    # give every path a twin channel right after the first channel: "x" and "y" are then
    # interchangeable in every coalition's worth
    paths = [["x", "y", *p] if i % 2 else ["y", "x", *p] for i, p in enumerate(table.sequences())]
    twin = PathTable.from_sequences(paths, table.conversions, table.value, table.nulls)
    for worth_name in ("conversions", "conversion_rate"):
        result = shapley.shapley(twin, worth=worth_name).credit.by_channel()
        assert result["x"][0] == pytest.approx(result["y"][0], abs=1e-9)
        assert result["x"][1] == pytest.approx(result["y"][1], abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(table=path_tables(max_channels=6))
def test_simplified_equals_exact_with_conversion_worth(table: PathTable) -> None:
    exact = shapley.shapley(table, worth="conversions").credit
    simple = shapley.simplified_shapley(table)
    assert np.allclose(exact.conversions, simple.conversions)
    assert np.allclose(exact.value, simple.value)


@settings(max_examples=40, deadline=None)
@given(table=path_tables(max_channels=6))
def test_ordered_shapley_breaks_simplified_credit_down_by_position(table: PathTable) -> None:
    credit, by_position = shapley.ordered_shapley(table)
    assert np.allclose(by_position.sum(axis=1), credit.conversions)


def test_ordered_positions_count_first_appearances() -> None:
    table = PathTable.from_sequences([["a", "a", "b"]], [2])
    credit, by_position = shapley.ordered_shapley(table)
    assert by_position[0].tolist() == [1.0, 0.0]  # a first appeared at position 0
    assert by_position[1].tolist() == [0.0, 1.0]  # b at position 1


def test_too_many_channels_for_exact() -> None:
    n = shapley.MAX_EXACT_CHANNELS + 1
    table = PathTable.from_sequences([[f"c{i}" for i in range(n)]], [1])
    with pytest.raises(ValueError, match="simplified"):
        shapley.shapley(table)
    assert shapley.simplified_shapley(table).conversions.sum() == pytest.approx(1)
