"""Tradewinds' statistics equal GrowthBook's stats engine (gbstats 0.8.0) to 1e-6 on the
standard inputs; the peer's numbers are stored in data/gbstats_fixtures.json by
bench/experiments_peer_runner.py (gbstats is never imported here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tradewinds.experiments.bayesian import effect_bayesian
from tradewinds.experiments.frequentist import two_sided_ttest
from tradewinds.experiments.moments import Moments
from tradewinds.experiments.sequential import sequential_ttest
from tradewinds.experiments.srm import check_srm

FIXTURES = json.loads((Path(__file__).parent / "data" / "gbstats_fixtures.json").read_text())
TOLERANCE = 1e-6


def _moments(kind: str, stat: list[float]) -> Moments:
    return Moments.of([stat[0]], [stat[1]], [stat[2]], kind == "binomial")


@pytest.mark.parametrize("case", FIXTURES["ab"], ids=lambda c: c["name"])
def test_tests_equal_gbstats(case):
    a, b = _moments(case["type"], case["a"]), _moments(case["type"], case["b"])
    freq, seq, bayes = two_sided_ttest(a, b), sequential_ttest(a, b), effect_bayesian(a, b)
    ours = {
        "relative_uplift": freq.estimate[0],
        "ci_low": freq.ci_low[0],
        "ci_high": freq.ci_high[0],
        "p_value": freq.p_value[0],
        "sequential_ci_low": seq.ci_low[0],
        "sequential_ci_high": seq.ci_high[0],
        "sequential_p_value": seq.p_value[0],
        "chance_to_win": bayes.chance_to_win[0],
        "risk_control": bayes.risk_control[0],
        "risk_treatment": bayes.risk_treatment[0],
        "bayesian_ci_low": bayes.ci_low[0],
        "bayesian_ci_high": bayes.ci_high[0],
    }
    for name, value in ours.items():
        assert value == pytest.approx(case[name], abs=TOLERANCE), name


@pytest.mark.parametrize("case", FIXTURES["srm"], ids=lambda c: c["name"])
def test_srm_equals_gbstats(case):
    assert check_srm(case["units"], case["weights"]) == pytest.approx(
        case["p_value"], abs=TOLERANCE
    )


def test_the_fixtures_cover_the_standard_inputs():
    kinds = {c["type"] for c in FIXTURES["ab"]}
    assert kinds == {"binomial", "mean"}
    sizes = [c["a"][0] for c in FIXTURES["ab"]]
    assert min(sizes) < 20 and max(sizes) >= 100_000
    assert any(c["p_value"] < 0.001 for c in FIXTURES["srm"])  # one broken split
    assert FIXTURES["peer"] == "gbstats 0.8.0"


def test_no_answer_where_the_control_is_zero_or_there_is_no_variance():
    a = Moments.of([100, 100, 1], [0, 10, 5], [0, 10, 30], [True, True, False])
    b = Moments.of([100, 100, 1], [5, 10, 5], [5, 10, 30], [True, True, False])
    result = two_sided_ttest(a, b)
    assert result.valid.tolist() == [False, True, False]
