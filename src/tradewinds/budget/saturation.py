"""Hill saturation: the share of a channel's greatest effect that a level of spend reaches.

``hill(x) = x**s / (x**s + k**s)``: ``k`` is the spend that reaches half the greatest
effect (the half-saturation point), ``s`` the shape (≤ 1 concave from the first unit, > 1
S-shaped: spend below a threshold does little).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def hill(
    x: NDArray[np.float64] | float,
    k: NDArray[np.float64] | float,
    s: NDArray[np.float64] | float,
) -> NDArray[np.float64]:
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    xs = np.power(x, s)
    return xs / (xs + np.power(k, s))


def hill_slope(
    x: NDArray[np.float64] | float,
    k: NDArray[np.float64] | float,
    s: NDArray[np.float64] | float,
) -> NDArray[np.float64]:
    """d hill / d x (the marginal share per unit of spend)."""
    x = np.maximum(np.asarray(x, dtype=float), 1e-12)
    ks = np.power(k, s)
    xs = np.power(x, s)
    return s * ks * xs / (x * (xs + ks) ** 2)
