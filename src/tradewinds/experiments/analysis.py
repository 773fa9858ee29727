"""All the tests of many experiments in one vectorised pass, and each experiment's verdict.

Every (experiment, metric, variation other than the control) is one comparison; the
frequentist, sequential and Bayesian tests run over the arrays of all of them at once, and
the sample-ratio check over all experiments at once (one scipy call each), so a thousand
experiments take a fraction of a second.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tradewinds.experiments.bayesian import effect_bayesian
from tradewinds.experiments.frequentist import two_sided_ttest
from tradewinds.experiments.moments import Moments
from tradewinds.experiments.schemas import (
    ExperimentResultPublic,
    MetricResultPublic,
    VariationPublic,
    VerdictPublic,
)
from tradewinds.experiments.sequential import DEFAULT_TUNING, sequential_ttest
from tradewinds.experiments.srm import SRM_THRESHOLD, check_srm_many, srm_statistic
from tradewinds.experiments.summaries import ExperimentData
from tradewinds.i18n_markers import Text

#: the chance to beat control a winner needs (and 1 - it, a loser)
WIN_CHANCE = 0.95


@dataclass(frozen=True)
class _Pair:
    experiment: int
    metric: str
    metric_type: str
    variation: str
    units: int
    a: tuple[float, float, float]
    b: tuple[float, float, float]


def _f(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _pairs(experiments: Sequence[ExperimentData]) -> list[_Pair]:
    out = []
    for i, exp in enumerate(experiments):
        for metric in exp.metrics:
            if metric.sums[0] is None:
                continue
            s0 = float(metric.sums[0])
            control = (float(exp.units[0]), s0, float(metric.sum_squares[0] or s0))
            for j in range(1, len(exp.variations)):
                total = metric.sums[j]
                if total is None:
                    continue
                squares = metric.sum_squares[j]
                out.append(
                    _Pair(
                        experiment=i,
                        metric=metric.name,
                        metric_type=metric.metric_type,
                        variation=exp.variations[j],
                        units=exp.units[j],
                        a=control,
                        b=(float(exp.units[j]), float(total), float(squares or total)),
                    )
                )
    return out


def _verdict(results: list[MetricResultPublic], srm: bool) -> VerdictPublic:
    if srm:
        return VerdictPublic(kind="srm")
    if not results:
        return VerdictPublic(kind="no_answer")
    primary = results[0].metric
    answered = [r for r in results if r.metric == primary and r.chance_to_win is not None]
    if not answered:
        return VerdictPublic(kind="no_answer", metric=primary)
    best = max(answered, key=lambda r: r.chance_to_win or 0.0)
    winner = (best.chance_to_win or 0) >= WIN_CHANCE and (best.sequential_ci_low or 0) > 0
    losers = all(
        (r.chance_to_win or 0) <= 1 - WIN_CHANCE and (r.sequential_ci_high or 0) < 0
        for r in answered
    )
    kind = "ship" if winner else "keep_control" if losers else "keep_running"
    return VerdictPublic(
        kind=kind,
        metric=primary,
        variation=best.variation,
        relative_uplift=best.relative_uplift,
        ci_low=best.sequential_ci_low,
        ci_high=best.sequential_ci_high,
        chance_to_win=best.chance_to_win,
    )


def analyze(
    experiments: Sequence[ExperimentData], *, alpha: float = 0.05, tuning: float = DEFAULT_TUNING
) -> list[ExperimentResultPublic]:
    pairs = _pairs(experiments)
    binomial = np.array([p.metric_type == "binomial" for p in pairs], dtype=np.bool_)
    a_arr = np.array([p.a for p in pairs], dtype=np.float64).reshape(-1, 3)
    b_arr = np.array([p.b for p in pairs], dtype=np.float64).reshape(-1, 3)
    a = Moments.of(a_arr[:, 0], a_arr[:, 1], a_arr[:, 2], binomial)
    b = Moments.of(b_arr[:, 0], b_arr[:, 1], b_arr[:, 2], binomial)
    freq = two_sided_ttest(a, b, alpha=alpha)
    seq = sequential_ttest(a, b, alpha=alpha, tuning=tuning)
    bayes = effect_bayesian(a, b, alpha=alpha)
    mean_a, mean_b = a.mean.tolist(), b.mean.tolist()
    columns = [
        freq.estimate.tolist(),
        freq.ci_low.tolist(),
        freq.ci_high.tolist(),
        freq.p_value.tolist(),
        seq.ci_low.tolist(),
        seq.ci_high.tolist(),
        seq.p_value.tolist(),
        bayes.chance_to_win.tolist(),
        bayes.risk_control.tolist(),
        bayes.risk_treatment.tolist(),
    ]
    valid = freq.valid.tolist()
    by_experiment: list[list[MetricResultPublic]] = [[] for _ in experiments]
    for k, pair in enumerate(pairs):
        note = None
        if not valid[k]:
            note = (
                Text("the control's mean is 0: no relative uplift")
                if mean_a[k] == 0
                else Text("a variation has no variance yet: no test")
            )
        up, lo, hi, p, slo, shi, sp, ctw, rc, rt = (_f(c[k]) for c in columns)
        by_experiment[pair.experiment].append(
            MetricResultPublic(
                metric=pair.metric,
                metric_type=pair.metric_type,  # type: ignore[arg-type]
                variation=pair.variation,
                units=pair.units,
                control_mean=mean_a[k],
                variation_mean=mean_b[k],
                relative_uplift=up,
                ci_low=lo,
                ci_high=hi,
                p_value=p,
                sequential_ci_low=slo,
                sequential_ci_high=shi,
                sequential_p_value=sp,
                chance_to_win=ctw,
                risk_control=rc,
                risk_treatment=rt,
                note=note,
            )
        )
    statistics = [srm_statistic(e.units, e.weights) for e in experiments]
    srm_p = check_srm_many(statistics, [len(e.units) - 1 for e in experiments])
    out = []
    for i, exp in enumerate(experiments):
        total_units = sum(exp.units) or 1
        total_weight = sum(exp.weights)
        warn = srm_p[i] < SRM_THRESHOLD
        out.append(
            ExperimentResultPublic(
                experiment=exp.key,
                control=exp.variations[0],
                variations=[
                    VariationPublic(
                        variation=v,
                        units=u,
                        weight=w / total_weight,
                        share=u / total_units,
                    )
                    for v, u, w in zip(exp.variations, exp.units, exp.weights, strict=True)
                ],
                srm_p_value=srm_p[i],
                srm_warning=warn,
                results=by_experiment[i],
                verdict=_verdict(by_experiment[i], warn),
            )
        )
    return out
