"""The two-sided Welch t-test on the relative uplift (gbstats' ``TwoSidedTTest`` with
``difference_type="relative"``).

The uplift's variance is the delta method's (:func:`moments.relative_difference`); the
degrees of freedom are Welch–Satterthwaite's on the variations' own variances.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import t as student_t

from tradewinds.experiments.moments import Flags, Floats, Moments, relative_difference


@dataclass(frozen=True)
class TestResults:
    """One row per comparison; NaN where ``valid`` is false."""

    estimate: Floats
    ci_low: Floats
    ci_high: Floats
    p_value: Floats
    valid: Flags


def welch_dof(a: Moments, b: Moments) -> Floats:
    var_a, var_b = a.variance, b.variance
    with np.errstate(divide="ignore", invalid="ignore"):
        dof = (var_b / b.n + var_a / a.n) ** 2 / (
            var_b**2 / (b.n**2 * (b.n - 1)) + var_a**2 / (a.n**2 * (a.n - 1))
        )
    return np.where(np.isfinite(dof), dof, 1.0)


def two_sided_ttest(a: Moments, b: Moments, *, alpha: float = 0.05) -> TestResults:
    """Relative uplift of ``b`` over control ``a``, its (1 - alpha) CI and p-value."""
    estimate, variance, valid = relative_difference(a, b)
    dof = np.where(valid, welch_dof(a, b), 1.0)
    sd = np.sqrt(variance)
    z = estimate / sd
    p_value = 2 * (1 - student_t.cdf(np.abs(z), dof))
    width = student_t.ppf(1 - alpha / 2, dof) * sd
    nan = np.nan
    return TestResults(
        estimate=np.where(valid, estimate, nan),
        ci_low=np.where(valid, estimate - width, nan),
        ci_high=np.where(valid, estimate + width, nan),
        p_value=np.where(valid, p_value, nan),
        valid=valid,
    )
