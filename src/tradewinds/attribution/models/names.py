"""The attribution models: one registry, name → label (importable without numpy, for the
CLI's help). The API's ``model`` choices, the CLI's ``--model`` choices and the page's
column labels are all read from ``MODELS``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

# marks a label for the translation catalogs (babel.cfg); pages translate it where shown
N_: Callable[[str], str] = str

MODELS: dict[str, str] = {
    "first": N_("First touch"),
    "last": N_("Last touch"),
    "last_non_direct": N_("Last non-direct"),
    "linear": N_("Linear"),
    "time_decay": N_("Time decay"),
    "position": N_("Position (40/20/40)"),
    "markov": N_("Markov"),
    "shapley": N_("Shapley"),
}
MODEL_NAMES: tuple[str, ...] = tuple(MODELS)
EVERY_MODEL = "all"  # asks for every model at once


def model_literal(*extra: str) -> Any:
    """The model names (and ``extra`` choices) as a ``Literal`` type, for API schemas."""
    return Literal.__getitem__((*MODEL_NAMES, *extra))
