from __future__ import annotations

from datetime import date

from tradewinds.experiments.bandit import Arm, seed_for, thompson_weights


def _arms() -> list[Arm]:
    return [Arm("a", 2000, 60), Arm("b", 2000, 90), Arm("c", 2000, 20)]


def test_weights_are_seeded_by_day_and_respect_the_floor():
    seed = seed_for("banner", "conversion", date(2026, 12, 7))
    first = thompson_weights(_arms(), seed=seed, floor=0.1)
    assert first == thompson_weights(_arms(), seed=seed, floor=0.1)
    assert abs(sum(first) - 1) < 1e-12
    assert min(first) >= 0.1 - 1e-12
    assert first.index(max(first)) == 1  # the best creative gets the most traffic
    assert seed != seed_for("banner", "conversion", date(2026, 12, 8))


def test_equal_evidence_shares_evenly_and_a_mean_metric_works():
    even = thompson_weights([Arm("a", 0, 0), Arm("b", 0, 0)], seed=1)
    assert all(abs(w - 0.5) < 0.03 for w in even)
    means = [Arm("a", 500, 1000, 2600), Arm("b", 500, 1300, 4000)]
    assert thompson_weights(means, seed=2, floor=0.0)[1] > 0.9


def test_an_impossible_floor_is_an_even_split():
    assert thompson_weights(_arms(), seed=3, floor=0.5) == [1 / 3] * 3
