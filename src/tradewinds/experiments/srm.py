"""The sample-ratio-mismatch check: Pearson's chi-squared test of the units each variation
received against the split its weights promise (gbstats' ``check_srm``).

A variation with weight 0 adds nothing to the statistic; the degrees of freedom are the
number of variations less one, whatever the weights. No units at all gives 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import chi2

#: below this p-value the split is reported as broken (GrowthBook's default threshold)
SRM_THRESHOLD = 0.001


def srm_statistic(units: Sequence[float], weights: Sequence[float]) -> float:
    observed = np.asarray(units, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    total = observed.sum()
    if not total:
        return 0.0
    live = w > 0
    expected = w[live] / w.sum() * total
    return float((((observed[live] - expected) ** 2) / expected).sum())


def check_srm(units: Sequence[float], weights: Sequence[float]) -> float:
    """The p-value of the observed split ``units`` under ``weights``."""
    if not sum(units):
        return 1.0
    return float(chi2.sf(srm_statistic(units, weights), len(units) - 1))


def check_srm_many(statistics: Sequence[float], dofs: Sequence[int]) -> list[float]:
    """p-values of many experiments' statistics at once (one scipy call)."""
    return [float(p) for p in chi2.sf(np.asarray(statistics), np.asarray(dofs))]
