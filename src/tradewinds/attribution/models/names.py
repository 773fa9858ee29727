"""The names of the attribution models (importable without numpy, for the CLI's help)."""

from __future__ import annotations

MODEL_NAMES: tuple[str, ...] = (
    "first",
    "last",
    "last_non_direct",
    "linear",
    "time_decay",
    "position",
    "markov",
    "shapley",
)
