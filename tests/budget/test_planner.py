"""The planner's limits: totals, minimums and maximums, fixed amounts, change limits."""

from __future__ import annotations

import numpy as np
import pytest

from tradewinds.budget.model import Curve
from tradewinds.budget.planner import Constraints, InfeasiblePlan, band, optimise, response

CURVES = [
    Curve(decay=0.3, k=1000.0, shape=1.0, beta=5000.0),
    Curve(decay=0.3, k=400.0, shape=1.0, beta=1500.0),
    Curve(decay=0.3, k=800.0, shape=1.8, beta=3000.0),
]
NAMES = ["google", "meta", "tiktok"]


def test_the_plan_spends_the_total_and_equalises_marginal_returns() -> None:
    plan = optimise(CURVES, 2000.0, names=NAMES)
    assert plan.allocation.sum() == pytest.approx(2000.0, rel=1e-6)
    slopes = [c.marginal(x) for c, x in zip(CURVES, plan.allocation, strict=True) if x > 1]
    assert max(slopes) == pytest.approx(min(slopes), rel=0.02)
    even = response(CURVES, np.full(3, 2000.0 / 3)).sum()
    assert plan.revenue >= even


def test_minimums_maximums_and_fixed_amounts_hold() -> None:
    rules = Constraints(minimum={"meta": 600.0}, maximum={"google": 900.0}, fixed={"tiktok": 300})
    plan = optimise(CURVES, 2000.0, names=NAMES, rules=rules)
    google, meta, tiktok = plan.allocation
    assert google <= 900.0 + 1e-6 and meta >= 600.0 - 1e-6
    assert tiktok == pytest.approx(300.0)


def test_change_limits_are_measured_from_the_current_plan() -> None:
    current = np.array([1000.0, 500.0, 500.0])
    plan = optimise(CURVES, 2000.0, names=NAMES, current=current, rules=Constraints(max_change=0.1))
    assert np.all(np.abs(plan.allocation / current - 1) <= 0.1 + 1e-6)


def test_a_channel_split_by_country_keeps_its_channel_limit() -> None:
    names = ["google · DE", "google · FR", "meta · DE"]
    groups = ["google", "google", "meta"]
    plan = optimise(
        CURVES, 2000.0, names=names, groups=groups, rules=Constraints(maximum={"google": 800})
    )
    assert plan.allocation[:2].sum() <= 800.0 + 1e-3


def test_profit_spends_no_more_than_pays() -> None:
    plan = optimise(CURVES, 50_000.0, names=NAMES, objective="profit", margin=0.4)
    assert plan.allocation.sum() < 50_000.0
    assert plan.profit > 0


def test_impossible_limits_say_why() -> None:
    with pytest.raises(InfeasiblePlan, match="add up to"):
        optimise(
            CURVES, 1000.0, names=NAMES, rules=Constraints(minimum={"google": 800, "meta": 400})
        )
    with pytest.raises(InfeasiblePlan, match="not a channel"):
        optimise(CURVES, 1000.0, names=NAMES, rules=Constraints(minimum={"bing": 1}))


def test_the_band_brackets_the_replicates() -> None:
    reps = [[Curve(c.decay, c.k, c.shape, c.beta * f) for c in CURVES] for f in (0.8, 1.0, 1.2)]
    low, high = band(reps, np.array([700.0, 700.0, 600.0]))
    mid = response(CURVES, np.array([700.0, 700.0, 600.0])).sum()
    assert low < mid < high
