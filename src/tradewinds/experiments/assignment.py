"""Deterministic assignment: the same unit always gets the same variation, from Python,
from the API (``/api/v1/experiments/assign``) and in the browser
(``/static/tw-experiments.js``).

The hash is GrowthBook's hash version 2: 32-bit FNV-1a of ``salt + unit_id``, hashed again
as its decimal string, modulo 10,000, divided by 10,000 — a number in [0, 1). Text is hashed
as UTF-8 bytes on both sides (GrowthBook's JavaScript SDK hashes UTF-16 code units, which
is the same for ASCII ids). The number falls into one variation's range: the weights,
normalised to sum to 1, laid end to end in the variations' order.
"""

from __future__ import annotations

from collections.abc import Sequence

FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193
BUCKETS = 10_000


def fnv1a32(text: str) -> int:
    value = FNV_OFFSET
    for byte in text.encode("utf-8"):
        value ^= byte
        value = (value * FNV_PRIME) & 0xFFFFFFFF
    return value


def bucket(salt: str, unit_id: str) -> float:
    """The unit's place in [0, 1) for an experiment salted ``salt``."""
    return (fnv1a32(str(fnv1a32(salt + unit_id))) % BUCKETS) / BUCKETS


def ranges(weights: Sequence[float]) -> list[tuple[float, float]]:
    total = float(sum(weights))
    if total <= 0 or any(w < 0 for w in weights):
        raise ValueError("weights must be 0 or more and not all 0")
    out, cumulative = [], 0.0
    for w in weights:
        start = cumulative
        cumulative += w / total
        out.append((start, cumulative))
    return out


def choose(place: float, weights: Sequence[float]) -> int:
    """The index of the variation whose range holds ``place``."""
    spans = ranges(weights)
    for i, (start, end) in enumerate(spans):
        if start <= place < end:
            return i
    return max(i for i, w in enumerate(weights) if w > 0)  # rounding at the very top


def assign(salt: str, unit_id: str, weights: Sequence[float]) -> int:
    return choose(bucket(salt, unit_id), weights)
