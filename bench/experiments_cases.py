"""The standard inputs both sides of the gbstats comparison read (no import of either side).

Each case is a control and a treatment as sufficient statistics (units, sum, sum of
squares): binomial metrics (sum = conversions) and mean metrics, small and large samples,
a negative effect, several variations of one experiment; and traffic splits for the
sample-ratio check, one of them broken.
"""

from __future__ import annotations

import random

Stat = tuple[int, float, float]


def _mean(n: int, mu: float, sd: float, rng: random.Random) -> Stat:
    total = squares = 0.0
    for _ in range(n):
        x = max(0.0, rng.gauss(mu, sd))
        total += x
        squares += x * x
    return n, total, squares


def ab_cases() -> list[dict[str, object]]:
    rng = random.Random(20261207)
    cases: list[dict[str, object]] = [
        {"name": "binomial small", "type": "binomial", "a": (100, 10, 10), "b": (110, 18, 18)},
        {
            "name": "binomial equal",
            "type": "binomial",
            "a": (1000, 100, 100),
            "b": (1000, 100, 100),
        },
        {
            "name": "binomial large",
            "type": "binomial",
            "a": (250_000, 7_410, 7_410),
            "b": (249_100, 7_822, 7_822),
        },
        {
            "name": "binomial worse",
            "type": "binomial",
            "a": (5_000, 400, 400),
            "b": (5_100, 330, 330),
        },
        {
            "name": "binomial variation C",
            "type": "binomial",
            "a": (5_000, 400, 400),
            "b": (4_950, 470, 470),
        },
        {"name": "binomial tiny", "type": "binomial", "a": (12, 3, 3), "b": (15, 7, 7)},
        {"name": "mean classic", "type": "mean", "a": (500, 1000, 2500), "b": (520, 1170, 3100)},
        {
            "name": "mean large",
            "type": "mean",
            "a": (40_000, 1_240_000, 61_000_000),
            "b": (40_300, 1_281_000, 63_400_000),
        },
        {"name": "mean small", "type": "mean", "a": (8, 24.5, 90.1), "b": (11, 41.0, 180.0)},
    ]
    for i, (n, mu, lift) in enumerate(
        [(60, 30.0, 1.05), (3_000, 55.0, 0.97), (20_000, 12.0, 1.02)]
    ):
        a = _mean(n, mu, mu * 0.8, rng)
        b = _mean(n + 7 * i, mu * lift, mu * 0.8, rng)
        cases.append({"name": f"mean simulated {i}", "type": "mean", "a": a, "b": b})
    return cases


def srm_cases() -> list[dict[str, object]]:
    return [
        {"name": "balanced", "units": [1000, 1012], "weights": [0.5, 0.5]},
        {"name": "broken split", "units": [10_000, 9_400], "weights": [0.5, 0.5]},
        {"name": "three arms", "units": [3_320, 3_301, 3_410], "weights": [1, 1, 1]},
        {"name": "unequal weights", "units": [2_010, 7_990], "weights": [0.2, 0.8]},
        {"name": "a paused arm", "units": [500, 480, 0], "weights": [0.5, 0.5, 0]},
        {"name": "no units", "units": [0, 0], "weights": [0.5, 0.5]},
    ]
