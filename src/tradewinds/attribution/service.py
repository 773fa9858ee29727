"""Attribution services: load paths once, run the pure models, shape the answer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tradewinds.attribution.models.catalog import MODEL_NAMES, ModelSettings, run_model
from tradewinds.attribution.pathfile import read_path_file
from tradewinds.attribution.pathtable import ChannelCredit, PathTable


@dataclass(frozen=True)
class ModelOutcome:
    """One model's credit, or why it could not run on this data."""

    model: str
    credit: ChannelCredit | None
    error: str | None = None


def prepare_table(table: PathTable, *, collapse_repeats: bool = False) -> PathTable:
    return table.collapse_repeats() if collapse_repeats else table


def attribute_path_file(
    *,
    file: Path | str,
    model: str,
    settings: ModelSettings | None = None,
    sep: str = ";",
    path_sep: str = ">",
    collapse_repeats: bool = False,
) -> ChannelCredit:
    """Read a ChannelAttribution-style path file and attribute it with ``model``."""
    if model not in MODEL_NAMES:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODEL_NAMES)}")
    table = read_path_file(file, sep=sep, path_sep=path_sep)
    return run_model(prepare_table(table, collapse_repeats=collapse_repeats), model, settings)


def compare_models(
    *,
    table: PathTable,
    settings: ModelSettings | None = None,
    models: Iterable[str] = MODEL_NAMES,
) -> list[ModelOutcome]:
    """Run several models on the same paths; a model that cannot run says why."""
    outcomes = []
    for model in models:
        try:
            outcomes.append(ModelOutcome(model, run_model(table, model, settings)))
        except ValueError as exc:
            outcomes.append(ModelOutcome(model, None, str(exc)))
    return outcomes


def credit_payload(credit: ChannelCredit) -> dict[str, object]:
    """The JSON shape shared by the CLI and the API."""
    return {"channels": credit.as_rows()}
