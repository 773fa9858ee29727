"""Sequential testing: an always-valid confidence sequence, so the results can be looked at
every day without inflating false positives (gbstats' ``SequentialTwoSidedTTest``).

The interval is eq. 9 of Waudby-Smith et al. (2023, arXiv 2103.06476v7), an asymptotic
confidence sequence with the mixing parameter ρ of eq. 161 tuned for ``tuning`` units
(GrowthBook's default 5000); the p-value is the reciprocal of eq. 155's e-value, capped at 1.
"""

from __future__ import annotations

import numpy as np

from tradewinds.experiments.frequentist import TestResults
from tradewinds.experiments.moments import Moments, relative_difference

DEFAULT_TUNING = 5000.0


def rho(alpha: float, tuning: float) -> float:
    return float(np.sqrt((-2 * np.log(alpha) + np.log(-2 * np.log(alpha) + 1)) / tuning))


def sequential_ttest(
    a: Moments, b: Moments, *, alpha: float = 0.05, tuning: float = DEFAULT_TUNING
) -> TestResults:
    estimate, variance, valid = relative_difference(a, b)
    total = a.n + b.n
    r = rho(alpha, tuning)
    s2 = variance * total
    nr2 = total * r**2 + 1
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        width = np.sqrt(s2) * np.sqrt(2 * nr2 * np.log(np.sqrt(nr2) / alpha) / (total * r) ** 2)
        st2 = estimate**2 * total / variance
        evalue = np.exp(r**2 * st2 / (2 * nr2)) / np.sqrt(nr2)
        p_value = np.minimum(1 / evalue, 1.0)
    nan = np.nan
    return TestResults(
        estimate=np.where(valid, estimate, nan),
        ci_low=np.where(valid, estimate - width, nan),
        ci_high=np.where(valid, estimate + width, nan),
        p_value=np.where(valid, p_value, nan),
        valid=valid,
    )
