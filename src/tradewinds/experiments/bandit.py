"""Thompson-sampling bandits: each day's traffic weights for an experiment's creatives.

Each creative's conversion rate has a Beta(1 + conversions, 1 + misses) posterior (a mean
metric: a normal posterior, mean ± its standard error). The weight of a creative is the share
of posterior draws in which it is best, so traffic moves towards the winner as evidence
grows while every creative keeps at least ``floor`` of the traffic (no arm starves before it
has been seen enough). Draws are seeded by the experiment, metric and day: the same day
always gives the same weights, and the next day re-allocates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from tradewinds.experiments.assignment import fnv1a32

DRAWS = 10_000
DEFAULT_FLOOR = 0.05


@dataclass(frozen=True)
class Arm:
    name: str
    units: float
    sum: float
    sum_squares: float | None = None  # None: a binomial metric (sum = conversions)


def seed_for(experiment: str, metric: str, day: date) -> int:
    return fnv1a32(f"{experiment}\x1f{metric}\x1f{day.isoformat()}")


def posterior_draws(arms: Sequence[Arm], rng: np.random.Generator, draws: int) -> np.ndarray:
    columns = []
    for arm in arms:
        if arm.sum_squares is None:
            hits = min(max(arm.sum, 0.0), arm.units)
            columns.append(rng.beta(1 + hits, 1 + arm.units - hits, draws))
        else:
            n = max(arm.units, 1.0)
            mean = arm.sum / n
            var = (arm.sum_squares - arm.sum**2 / n) / (n - 1) if n > 1 else 0.0
            sd = float(np.sqrt(max(var, 0.0) / n)) if n > 1 else 1e9
            columns.append(rng.normal(mean, sd, draws))
    return np.column_stack(columns)


def thompson_weights(
    arms: Sequence[Arm],
    *,
    seed: int,
    floor: float = DEFAULT_FLOOR,
    draws: int = DRAWS,
) -> list[float]:
    """Traffic weights (summing to 1) for ``arms``, each at least ``floor``."""
    k = len(arms)
    if k == 0:
        return []
    floor = min(max(floor, 0.0), 1.0 / k)
    rng = np.random.default_rng(seed)
    samples = posterior_draws(arms, rng, draws)
    best = np.bincount(samples.argmax(axis=1), minlength=k) / draws
    weights = floor + (1 - k * floor) * best
    return [float(w) for w in weights / weights.sum()]
