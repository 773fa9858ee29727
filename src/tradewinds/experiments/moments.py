"""A variation's metric as sufficient statistics: units, sum and sum of squares.

Every test reads a metric through these three numbers, as GrowthBook's stats engine does
(``SampleMeanStatistic`` and ``ProportionStatistic`` of gbstats): a binomial metric's sum is
its conversions and its variance ``p (1 - p)``; a mean metric's variance is the sample
variance ``(Σx² - (Σx)²/n) / (n - 1)``. Arrays hold many variations at once, so a thousand
experiments are analysed in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Flags = NDArray[np.bool_]


@dataclass(frozen=True)
class Moments:
    """Sufficient statistics of one metric for a vector of variations."""

    n: Floats
    sum: Floats
    sum_squares: Floats
    binomial: Flags

    @classmethod
    def of(
        cls,
        n: list[float] | Floats,
        sums: list[float] | Floats,
        sum_squares: list[float] | Floats | None = None,
        binomial: bool | list[bool] | Flags = False,
    ) -> Moments:
        n_ = np.asarray(n, dtype=np.float64)
        s_ = np.asarray(sums, dtype=np.float64)
        ss = s_ if sum_squares is None else np.asarray(sum_squares, dtype=np.float64)
        flags = np.broadcast_to(np.asarray(binomial, dtype=np.bool_), n_.shape)
        return cls(n=n_, sum=s_, sum_squares=np.where(flags, s_, ss), binomial=flags)

    @property
    def mean(self) -> Floats:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.n > 0, self.sum / self.n, 0.0)

    @property
    def variance(self) -> Floats:
        mean = self.mean
        with np.errstate(divide="ignore", invalid="ignore"):
            sample = (self.sum_squares - self.sum**2 / self.n) / (self.n - 1)
        sample = np.where(self.n > 1, sample, 0.0)
        return np.where(self.binomial, mean * (1 - mean), sample)


def relative_difference(a: Moments, b: Moments) -> tuple[Floats, Floats, Flags]:
    """The relative uplift of ``b`` over ``a`` and its delta-method variance, and whether
    the comparison can be made (the control's mean is not 0 and both variances are
    positive — otherwise the tests give no answer, as gbstats does)."""
    mean_a, mean_b = a.mean, b.mean
    var_a, var_b = a.variance, b.variance
    valid = (mean_a != 0) & (var_a > 0) & (var_b > 0) & (a.n > 0) & (b.n > 0)
    safe_a = np.where(valid, mean_a, 1.0)
    n_a = np.where(valid, a.n, 1.0)
    n_b = np.where(valid, b.n, 1.0)
    estimate = (mean_b - mean_a) / safe_a
    variance = var_b / (safe_a**2 * n_b) + var_a * mean_b**2 / (safe_a**4 * n_a)
    return estimate, np.where(valid, variance, 1.0), valid
