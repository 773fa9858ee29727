"""The attribution models: one registry, name → label (importable without numpy, for the
CLI's help). The API's ``model`` choices, the CLI's ``--model`` choices and the page's
column labels are all read from ``MODELS``."""

from __future__ import annotations

from typing import Any, Literal

MODELS: dict[str, str] = {
    "first": "First touch",
    "last": "Last touch",
    "last_non_direct": "Last non-direct",
    "linear": "Linear",
    "time_decay": "Time decay",
    "position": "Position (40/20/40)",
    "markov": "Markov",
    "shapley": "Shapley",
}
MODEL_NAMES: tuple[str, ...] = tuple(MODELS)
EVERY_MODEL = "all"  # asks for every model at once


def model_literal(*extra: str) -> Any:
    """The model names (and ``extra`` choices) as a ``Literal`` type, for API schemas."""
    return Literal.__getitem__((*MODEL_NAMES, *extra))
