"""The fit on simulated shops whose curves are known."""

from __future__ import annotations

import numpy as np
import pytest

from tradewinds.budget import adstock, saturation
from tradewinds.budget.model import MediaData, fit, low_variation
from tradewinds.budget.planner import optimise, response
from tradewinds.budget.simulate import CHANNELS, simulate


def test_adstock_weights_are_normalised_and_keep_a_steady_spend() -> None:
    w = adstock.weights(0.5)
    assert len(w) == adstock.MAX_LAG + 1
    assert w.sum() == pytest.approx(1.0)
    steady = adstock.geometric(np.full(60, 100.0), 0.7)
    assert steady[-1] == pytest.approx(100.0)
    assert adstock.half_life(0.5) == pytest.approx(1.0)


def test_hill_is_half_at_the_half_saturation_point() -> None:
    assert saturation.hill(300.0, 300.0, 1.7) == pytest.approx(0.5)
    x = np.array([10.0, 200.0, 900.0])
    step = 1e-4
    numeric = (saturation.hill(x + step, 250.0, 1.3) - saturation.hill(x, 250.0, 1.3)) / step
    assert np.allclose(saturation.hill_slope(x, 250.0, 1.3), numeric, rtol=1e-3)


@pytest.fixture(scope="module")
def simulated():
    data, truth = simulate(seed=1)
    return data, truth, fit(data, bootstrap=8)


def test_contributions_of_the_larger_channels_are_within_15_percent(simulated) -> None:
    data, truth, result = simulated
    found = result.fit.contributions.sum(axis=1)
    share = np.array(truth.contributions) / sum(truth.contributions)
    for name, got, want, s in zip(truth.names, found, truth.contributions, share, strict=True):
        if s >= 0.10:
            assert got == pytest.approx(want, rel=0.15), name
    assert result.fit.r2 > 0.8
    assert result.mape_holdout is not None and result.mape_holdout < 0.1
    assert result.low_variation == []
    assert result.replicate_contributions.shape == (8, 4)


def test_the_plan_gains_most_of_what_the_true_optimum_gains(simulated) -> None:
    data, truth, result = simulated
    total = sum(v[0] for v in CHANNELS.values())
    even = np.full(len(truth.names), total / len(truth.names))
    planned = optimise(result.fit.curves, total, names=truth.names).allocation
    best = optimise(truth.curves, total, names=truth.names).allocation
    base = response(truth.curves, even).sum()
    gained = response(truth.curves, planned).sum() - base
    possible = response(truth.curves, best).sum() - base
    assert possible > 0
    assert gained >= 0.8 * possible


def test_a_spend_that_barely_moves_is_flagged() -> None:
    days = np.arange(np.datetime64("2024-01-01"), np.datetime64("2024-01-01") + 120)
    rng = np.random.default_rng(3)
    data = MediaData(
        days=days,
        revenue=rng.normal(1000, 50, 120),
        spend={
            "flat": np.full(120, 100.0) + rng.normal(0, 1, 120),
            "moving": rng.gamma(2, 50, 120),
        },
    )
    assert low_variation(data) == ["flat"]


def test_too_few_days_are_refused() -> None:
    data, _ = simulate(days=40)
    with pytest.raises(ValueError, match="too few"):
        fit(data, bootstrap=0)
