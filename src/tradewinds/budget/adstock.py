"""Geometric adstock: today's effective spend carries a share of the previous days' spend.

The weights ``decay**lag`` for ``lag = 0 … max_lag`` are normalised to sum to one, so a
steady spend of ``x`` a day has an adstocked value of ``x`` too: the decay moves spend in
time without changing its total (which is what lets the planner read a curve in spend per
day).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

#: the longest carry-over the model considers, in days
MAX_LAG = 14


def weights(decay: float, max_lag: int = MAX_LAG) -> NDArray[np.float64]:
    """The normalised weights of lags ``0 … max_lag``."""
    w = np.power(float(decay), np.arange(max_lag + 1, dtype=float))
    return w / w.sum()


def geometric(
    spend: NDArray[np.float64], decay: float, max_lag: int = MAX_LAG
) -> NDArray[np.float64]:
    """Adstocked ``spend`` (days along the last axis); days before the first count as 0."""
    w = weights(decay, max_lag)
    x = np.asarray(spend, dtype=float)
    out = np.convolve(x, w)[: x.shape[-1]] if x.ndim == 1 else _rows(x, w)
    return out


def _rows(x: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.stack([np.convolve(row, w)[: x.shape[-1]] for row in x])


def half_life(decay: float) -> float:
    """Days until a day's spend has lost half its effect (0 for no carry-over)."""
    if decay <= 0:
        return 0.0
    return float(np.log(0.5) / np.log(decay))
