"""Exact Markov removal effects against an independent dense reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from tradewinds.attribution.models import markov
from tradewinds.attribution.pathtable import PathTable

from .strategies import path_tables


def reference_states(path: list[str], order: int) -> list[tuple[str, ...]]:
    if len(path) < order:
        states = [tuple(path)]
    else:
        states = [tuple(path[i - order + 1 : i + 1]) for i in range(order - 1, len(path))]
    out: list[tuple[str, ...]] = []
    for s in states:
        if not out or out[-1] != s:
            out.append(s)
    return out


def reference_conversion_probability(table: PathTable, order: int, removed: str | None):
    """P(conversion) and expected value from start, by dense linear algebra over dicts."""
    counts: dict[tuple, dict[tuple, float]] = {}
    value_out: dict[tuple, float] = {}

    def add(a, b, w):
        counts.setdefault(a, {}).setdefault(b, 0.0)
        counts[a][b] += w

    for path, conv, val, null in zip(
        table.sequences(), table.conversions, table.value, table.nulls, strict=True
    ):
        states = reference_states(path, order)
        prev: tuple = ("(start)",)
        for s in states:
            add(prev, s, conv + null)
            prev = s
        add(prev, ("(conversion)",), conv)
        add(prev, ("(null)",), null)
        value_out[prev] = value_out.get(prev, 0.0) + val
    transient = [s for s in counts if removed is None or removed not in s or s == ("(start)",)]
    index = {s: i for i, s in enumerate(transient)}
    n = len(transient)
    a = np.eye(n)
    b = np.zeros((n, 2))
    for s, outs in counts.items():
        if s not in index:
            continue
        total = sum(outs.values())
        if total == 0:
            continue
        i = index[s]
        for t, w in outs.items():
            if t in index:
                a[i, index[t]] -= w / total
        b[i, 0] = outs.get(("(conversion)",), 0.0) / total
        b[i, 1] = value_out.get(s, 0.0) / total
    x = np.linalg.solve(a, b)
    return x[index[("(start)",)]]


@pytest.mark.parametrize("order", [1, 2, 3])
@settings(max_examples=30, deadline=None)
@given(table=path_tables(max_channels=4, max_paths=8, max_len=5))
def test_removal_effects_match_dense_reference(order: int, table: PathTable) -> None:
    result = markov.markov(table, order=order)
    full = reference_conversion_probability(table, order, None)
    assert result.conversion_probability == pytest.approx(full[0], rel=1e-9, abs=1e-12)
    for k, channel in enumerate(table.channels):
        without = reference_conversion_probability(table, order, channel)
        expected = 1 - without[0] / full[0] if full[0] > 0 else 0.0
        assert result.removal_effects[k] == pytest.approx(expected, rel=1e-7, abs=1e-9)
        if full[1] > 0:
            expected_v = 1 - without[1] / full[1]
            assert result.removal_effects_value[k] == pytest.approx(expected_v, rel=1e-7, abs=1e-9)


def test_worked_example() -> None:
    # start -> a always; a -> b half the time, else null; b always converts.
    # Without a or without b nothing converts: both removal effects are 1, credit splits evenly.
    table = PathTable.from_sequences([["a", "b"], ["a"]], [1, 0], [10.0, 0.0], [0, 1])
    result = markov.markov(table)
    assert result.conversion_probability == pytest.approx(0.5)
    assert list(result.removal_effects) == pytest.approx([1.0, 1.0])
    assert list(result.credit.conversions) == pytest.approx([0.5, 0.5])
    assert list(result.credit.value) == pytest.approx([5.0, 5.0])


def test_self_transitions_do_not_change_the_answer() -> None:
    plain = PathTable.from_sequences([["a", "b"], ["b"], ["a"]], [2, 1, 0], None, [1, 3, 2])
    repeated = PathTable.from_sequences(
        [["a", "a", "b", "b"], ["b", "b"], ["a", "a", "a"]], [2, 1, 0], None, [1, 3, 2]
    )
    expected = markov.markov(plain).removal_effects
    assert np.allclose(markov.markov(repeated).removal_effects, expected)


def test_iterative_solver_agrees_with_lu(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    paths = [[f"c{x}" for x in rng.integers(0, 6, rng.integers(1, 7))] for _ in range(400)]
    table = PathTable.from_sequences(
        paths, rng.integers(0, 3, 400), rng.uniform(0, 50, 400), rng.integers(0, 4, 400)
    )
    direct = markov.markov(table, order=3)
    monkeypatch.setattr(markov, "DIRECT_SOLVE_LIMIT", 10)
    iterative = markov.markov(table, order=3)
    assert direct.chain.n_states > 10
    assert np.allclose(direct.removal_effects, iterative.removal_effects, rtol=1e-8, atol=1e-10)
    assert np.allclose(direct.credit.value, iterative.credit.value, rtol=1e-8)


def test_transition_probabilities_leave_every_reached_state() -> None:
    table = PathTable.from_sequences([["a", "b", "c"], ["b", "a"]], [1, 2], None, [4, 1])
    chain = markov.fit_chain(table, order=2)
    labels = chain.state_labels()
    assert "a > b" in labels and "(start)" in labels
    outgoing: dict[str, float] = {}
    for source, _target, p in chain.transitions():
        outgoing[source] = outgoing.get(source, 0.0) + p
    assert all(v == pytest.approx(1.0) for v in outgoing.values())


def test_order_is_bounded() -> None:
    table = PathTable.from_sequences([["a"]], [1])
    with pytest.raises(ValueError, match="order"):
        markov.markov(table, order=5)
