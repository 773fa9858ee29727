"""Each workspace's recommender: chosen on its own history, kept until its orders change.

Choosing (``recommend/selection.py``) fits and validates every candidate model — on a shop
the size of Online Retail about half a minute — so the choice is stored, as JSON beside the
app's data (``HOME/recommend/<workspace>.json``, with the data version it was made on), and
only the winner is refitted when a process needs it (a few seconds), then kept in memory
until the orders change. A page that finds no choice for the current data asks for one in
the background (the ``audiences.choose_recommender`` task) and answers with the default
model meanwhile; the command line chooses at once.

The seller's business rules (``recommend/rules.py``) are read from
``HOME/recommend/<workspace>.rules.yaml`` when that file exists.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from cachetools import LRUCache
from pydantic import ValidationError

from tradewinds.audiences.schemas import CandidateScorePublic, RecommenderPublic
from tradewinds.errors import InvalidInput
from tradewinds.recommend.matrix import PurchaseMatrix
from tradewinds.recommend.rules import BusinessRules, RuledModel
from tradewinds.recommend.selection import CANDIDATES, FALLBACK, Selection, fit, select
from tradewinds.recommend.topn import Scorer, top_n
from tradewinds.warehouse.backend import Warehouse

log = logging.getLogger("tradewinds.audiences")

TASK = "audiences.choose_recommender"
#: the stored choice's layout; a file of another layout is chosen again
FORMAT = 1


def _folder() -> Path:
    from tradewinds.config import get_settings

    folder = get_settings().home_dir / "recommend"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def choice_path(workspace_key: str) -> Path:
    return _folder() / f"{workspace_key}.json"


def rules_path(workspace_key: str) -> Path:
    return _folder() / f"{workspace_key}.rules.yaml"


def load_rules(workspace_key: str) -> BusinessRules:
    path = rules_path(workspace_key)
    if not path.exists():
        return BusinessRules()
    try:
        return BusinessRules.model_validate(yaml.safe_load(path.read_text("utf-8")) or {})
    except (yaml.YAMLError, ValidationError) as exc:
        raise InvalidInput(f"{path}: the recommendation rules are not valid: {exc}") from exc


def describe(selection: Selection, *, pending: bool = False) -> RecommenderPublic:
    runner = selection.runner_up()
    return RecommenderPublic(
        model=selection.winner,
        label=selection.label,
        validated=selection.validated,
        pending=pending,
        validation_from=(
            selection.validation_from.date() if selection.validation_from is not None else None
        ),
        validation_customers=selection.validation_customers,
        runner_up=runner.label if runner else None,
        gain_over_runner_up=(
            selection.score_of(selection.winner).ndcg / runner.scores.ndcg - 1.0
            if runner and runner.scores.ndcg > 0 and selection.score_of(selection.winner)
            else None
        ),
        gain_over_als=selection.gain_over("als"),
        candidates=[
            CandidateScorePublic(
                model=c.name,
                label=c.label,
                family=c.family,
                precision_at_10=c.scores.precision,
                recall_at_10=c.scores.recall,
                ndcg_at_10=c.scores.ndcg,
            )
            for c in selection.ranked()
        ],
    )


def _stored(workspace_key: str, version: str) -> RecommenderPublic | None:
    path = choice_path(workspace_key)
    try:
        saved = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if (
        saved.get("format") != FORMAT
        or saved.get("data_version") != version
        or saved.get("model") not in CANDIDATES
    ):
        return None
    try:
        return RecommenderPublic.model_validate(saved["recommender"])
    except (KeyError, ValidationError):
        return None


def _store(workspace_key: str, version: str, recommender: RecommenderPublic) -> None:
    path = choice_path(workspace_key)
    body = {
        "format": FORMAT,
        "data_version": version,
        "model": recommender.model,
        "recommender": recommender.model_dump(mode="json"),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, indent=1), "utf-8")
    tmp.replace(path)


def choose(
    *,
    warehouse: Warehouse,
    interactions: pd.DataFrame,
    version: str,
    progress: Callable[[str], None] | None = None,
) -> RecommenderPublic:
    """Validate every candidate on the workspace's history and store the winner."""
    recommender = describe(select(interactions, progress=progress))
    key = getattr(warehouse, "workspace_key", None)
    if key:
        _store(key, version, recommender)
    return recommender


@dataclass(frozen=True)
class Recommender:
    choice: RecommenderPublic
    model: Scorer

    @property
    def purchases(self) -> PurchaseMatrix:
        return self.model.purchases

    def top(self, rows: np.ndarray, n: int) -> list[list[str]]:
        items = self.purchases.items.to_numpy()
        best = top_n(self.model, rows=rows, n=n, mark_excluded=True)
        return [items[r[r >= 0]].tolist() for r in best]

    def all_customers(self, n: int, *, batch: int = 2048) -> Iterator[tuple[str, list[str]]]:
        """(customer id, top-n product ids) for every customer with history, in id order."""
        customers = self.purchases.customers.to_numpy()
        for start in range(0, len(customers), batch):
            rows = np.arange(start, min(start + batch, len(customers)))
            for row, items in zip(rows, self.top(rows, n), strict=True):
                yield str(customers[row]), items


_MODELS: LRUCache[tuple, Recommender] = LRUCache(maxsize=4)
_LOCK = threading.Lock()


def recommender(
    *,
    warehouse: Warehouse,
    interactions: pd.DataFrame,
    version: str,
    choose_now: bool,
    progress: Callable[[str], None] | None = None,
) -> Recommender:
    """The workspace's fitted recommender, with its business rules.

    ``choose_now``: with no stored choice for this data, choose at once (the command line);
    otherwise ask for the choice in the background and answer with the default model."""
    key = getattr(warehouse, "workspace_key", None)
    cache_key = (key, version)
    with _LOCK:
        cached = _MODELS.get(cache_key)
    choice = _stored(key, version) if key else None
    if cached is not None and (
        cached.choice == choice or (choice is None and cached.choice.pending and not choose_now)
    ):
        return cached
    if choice is None and (choose_now or not key):
        choice = choose(
            warehouse=warehouse, interactions=interactions, version=version, progress=progress
        )
    if choice is None:
        _ask_in_background(key)
        choice = RecommenderPublic(
            model=FALLBACK, label=CANDIDATES[FALLBACK].label, validated=False, pending=True
        )
    if cached is not None and cached.choice.model == choice.model:
        built = Recommender(choice, cached.model)
    else:
        model: Scorer = fit(choice.model, interactions)
        rules = load_rules(key) if key else BusinessRules()
        if not rules.is_empty():
            model = RuledModel(model, rules, interactions)
        built = Recommender(choice, model)
    with _LOCK:
        _MODELS[cache_key] = built
    return built


def _ask_in_background(workspace_key: str | None) -> None:
    from tradewinds.tasks import enqueue, plugged

    if workspace_key and plugged() is not None:
        enqueue(TASK, workspace_key=workspace_key)


def choose_for_workspace(workspace_key: str) -> str:
    """The background task: choose and store the workspace's recommender."""
    from tradewinds.audiences.service import data_version, interactions_of
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(workspace_key) as warehouse:
        version = data_version(warehouse)
        if _stored(workspace_key, version) is not None:
            return "already chosen"
        interactions = interactions_of(warehouse)
        if interactions.empty:
            return "no purchases"
        choice = choose(warehouse=warehouse, interactions=interactions, version=version)
    log.info("recommender for %s: %s", workspace_key, choice.label)
    return choice.model
