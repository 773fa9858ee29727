"""BG/NBD and Gamma-Gamma on the real CDNOW sample, plus properties of the maths."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.audiences.clv import (
    BGNBDParams,
    GammaGammaParams,
    _bgnbd_ll_grad,
    churn_risk,
    conditional_expected_purchases,
    customer_lifetime_value,
    expected_purchases_new,
    expected_spend,
    fit_bgnbd,
    fit_gamma_gamma,
    p_alive,
)
from tradewinds.audiences.transactions import load_transactions, summarise

# Fader, Hardie & Lee (2005), "Counting your customers the easy way", table/section 5.
PAPER = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
# Fader, Hardie & Lok (2005) note on the Gamma-Gamma spend model, same CDNOW sample.
PAPER_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@pytest.fixture(scope="module")
def cdnow_summary():
    from tests.conftest import SHARED_DATA

    path = SHARED_DATA / "cdnow" / "CDNOW_sample.txt"
    if not path.exists():
        pytest.skip(f"CDNOW sample not found at {path}")
    tx = load_transactions(path, fmt="cdnow_sample")
    return summarise(tx, calibration_end="1997-09-30", period="week")


def test_cdnow_sample_reproduces_the_paper(cdnow_summary) -> None:
    assert len(cdnow_summary) == 2357
    params = fit_bgnbd(cdnow_summary.frequency, cdnow_summary.recency, cdnow_summary.T)
    for name, expected in PAPER.items():
        got = getattr(params, name)
        assert got == pytest.approx(expected, rel=0.01), (name, got)


def test_gamma_gamma_matches_the_published_estimates(cdnow_summary) -> None:
    params = fit_gamma_gamma(cdnow_summary.frequency, cdnow_summary.monetary)
    for name, expected in PAPER_GG.items():
        assert getattr(params, name) == pytest.approx(expected, rel=0.01), name


def test_fit_is_a_maximum(cdnow_summary) -> None:
    s = cdnow_summary
    best = fit_bgnbd(s.frequency, s.recency, s.T)
    theta = np.log([best.r, best.alpha, best.a, best.b])
    ll_best = _bgnbd_ll_grad(theta, s.frequency, s.recency, s.T)[0].sum()
    for i in range(4):
        for step in (-0.05, 0.05):
            moved = theta.copy()
            moved[i] += step
            assert _bgnbd_ll_grad(moved, s.frequency, s.recency, s.T)[0].sum() < ll_best


def test_analytic_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(1)
    x = rng.integers(0, 8, 50).astype(float)
    big_t = rng.uniform(5, 40, 50)
    t_x = np.where(x > 0, rng.uniform(0, 1, 50) * big_t, 0.0)
    theta = np.log([0.3, 5.0, 0.8, 2.5])
    _, grad = _bgnbd_ll_grad(theta, x, t_x, big_t)
    eps = 1e-6
    for i in range(4):
        up, down = theta.copy(), theta.copy()
        up[i] += eps
        down[i] -= eps
        numeric = (
            _bgnbd_ll_grad(up, x, t_x, big_t)[0] - _bgnbd_ll_grad(down, x, t_x, big_t)[0]
        ) / (2 * eps)
        np.testing.assert_allclose(grad[i], numeric, rtol=1e-4, atol=1e-6)


def test_one_time_buyers_are_alive_and_long_silence_lowers_p_alive() -> None:
    params = BGNBDParams(**PAPER)
    assert p_alive(params, np.array([0.0]), np.array([0.0]), np.array([30.0]))[0] == 1.0
    recent = p_alive(params, np.array([3.0]), np.array([29.0]), np.array([30.0]))[0]
    silent = p_alive(params, np.array([3.0]), np.array([2.0]), np.array([30.0]))[0]
    assert silent < recent
    assert churn_risk(params, np.array([3.0]), np.array([2.0]), np.array([30.0]))[0] == (
        pytest.approx(1 - silent)
    )


customer = st.tuples(
    st.integers(min_value=0, max_value=200),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0.01, max_value=500),
)
params_st = st.builds(
    BGNBDParams,
    r=st.floats(0.01, 20),
    alpha=st.floats(0.01, 100),
    a=st.floats(0.01, 20),
    b=st.floats(0.01, 20),
)


@settings(max_examples=300, deadline=None)
@given(params=params_st, c=customer)
def test_p_alive_is_a_probability(params: BGNBDParams, c: tuple[int, float, float]) -> None:
    x, share, big_t = c
    t_x = share * big_t if x > 0 else 0.0
    value = p_alive(params, np.array([float(x)]), np.array([t_x]), np.array([big_t]))[0]
    assert 0.0 <= value <= 1.0


@settings(max_examples=100, deadline=None)
@given(c=customer, horizon=st.floats(1, 104))
def test_expected_purchases_grow_with_the_horizon(c, horizon: float) -> None:
    params = BGNBDParams(**PAPER)
    x, share, big_t = c
    args = (np.array([float(x)]), np.array([share * big_t if x else 0.0]), np.array([big_t]))
    shorter = conditional_expected_purchases(params, horizon, *args)[0]
    longer = conditional_expected_purchases(params, horizon * 1.5, *args)[0]
    assert 0 <= shorter <= longer + 1e-9


def test_expected_purchases_for_a_new_customer_start_at_zero() -> None:
    params = BGNBDParams(**PAPER)
    values = expected_purchases_new(params, np.array([1e-9, 10.0, 52.0]))
    assert values[0] == pytest.approx(0.0, abs=1e-6)
    assert 0 < values[1] < values[2]


def test_clv_discounting_lowers_value_and_spend_is_shrunk_to_the_mean() -> None:
    bg = BGNBDParams(**PAPER)
    gg = GammaGammaParams(**PAPER_GG)
    args = dict(
        frequency=np.array([0.0, 4.0]),
        recency=np.array([0.0, 30.0]),
        T=np.array([38.0, 38.0]),
        monetary=np.array([0.0, 50.0]),
        horizon=52.0,
        step=52 / 12,
        steps_per_year=12,
    )
    flat = customer_lifetime_value(bg, gg, annual_discount_rate=0.0, **args)
    discounted = customer_lifetime_value(bg, gg, annual_discount_rate=0.2, **args)
    assert np.all(discounted < flat) and np.all(discounted > 0)
    spend = expected_spend(gg, np.array([0.0, 4.0]), np.array([0.0, 50.0]))
    population_mean = gg.p * gg.gamma / (gg.q - 1)
    assert spend[0] == pytest.approx(population_mean)
    assert population_mean < spend[1] < 50.0
