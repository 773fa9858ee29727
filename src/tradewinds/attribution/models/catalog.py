"""Every model by name, with its settings, so edges can run any of them the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tradewinds.attribution.models import heuristic, markov, shapley
from tradewinds.attribution.models.names import MODEL_NAMES
from tradewinds.attribution.pathtable import ChannelCredit, PathTable

__all__ = ["MODEL_NAMES", "ModelSettings"]

ShapleyVariant = Literal["exact", "simplified", "ordered"]


@dataclass(frozen=True)
class ModelSettings:
    """Knobs of the models; each model reads only its own."""

    order: int = 1
    half_life: float | None = None  # None: 7 days with timestamps, 1 touch without
    position_first: float = 0.4
    position_last: float = 0.4
    shapley_variant: ShapleyVariant = "exact"
    shapley_worth: shapley.Worth = "conversions"
    direct_channels: tuple[str, ...] = field(default=heuristic.DIRECT_CHANNELS)


def default_half_life(table: PathTable) -> float:
    return 7.0 if table.ages is not None else 1.0


def run_model(table: PathTable, model: str, settings: ModelSettings | None = None) -> ChannelCredit:
    """Attribute ``table`` with the model called ``model``."""
    s = settings or ModelSettings()
    if model == "first":
        return heuristic.first_touch(table)
    if model == "last":
        return heuristic.last_touch(table)
    if model == "last_non_direct":
        return heuristic.last_non_direct(table, direct_channels=s.direct_channels)
    if model == "linear":
        return heuristic.linear(table)
    if model == "time_decay":
        half_life = s.half_life if s.half_life is not None else default_half_life(table)
        return heuristic.time_decay(table, half_life=half_life)
    if model == "position":
        return heuristic.position_based(table, first=s.position_first, last=s.position_last)
    if model == "markov":
        return markov.markov(table, order=s.order).credit
    if model == "shapley":
        if s.shapley_variant == "exact":
            return shapley.shapley(table, worth=s.shapley_worth).credit
        if s.shapley_variant in ("simplified", "ordered"):
            return shapley.simplified_shapley(table)
        raise ValueError(f"unknown Shapley variant {s.shapley_variant!r}")
    raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODEL_NAMES)}")
