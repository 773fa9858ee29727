"""Choose a workspace's recommender by a validation split inside its own history.

The last part of the history (``validation_share`` of its days, between 28 and 90 days) is
held back; every candidate learns from what came before and is scored on what each customer
then bought for the first time (NDCG@10, then precision@10). The winner is refitted on the
whole history. The test period of an offline evaluation is never looked at: pass only the
training interactions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tradewinds.i18n_markers import N_
from tradewinds.recommend.als import AlsModel
from tradewinds.recommend.blend import BlendModel
from tradewinds.recommend.ease import EaseModel, gram
from tradewinds.recommend.evaluation import RankingScores, evaluate, holdout_targets
from tradewinds.recommend.interactions import time_split
from tradewinds.recommend.item_item import ItemItemModel
from tradewinds.recommend.matrix import PurchaseMatrix
from tradewinds.recommend.popularity import PopularityModel
from tradewinds.recommend.recency import recency_weighted
from tradewinds.recommend.sequence import MarkovNextBasketModel
from tradewinds.recommend.titles import TitleModel
from tradewinds.recommend.topn import Scorer

#: fewer validation customers than this and the choice is no better than a guess
MIN_VALIDATION_CUSTOMERS = 20
#: the model used when the history is too short to validate on
FALLBACK = "ease"


class _Fitting:
    """What several candidates share while fitting on one history (the Gram matrix)."""

    def __init__(self, purchases: PurchaseMatrix, interactions: pd.DataFrame) -> None:
        self.purchases = purchases
        self.interactions = interactions
        self._gram: np.ndarray | None = None
        self._models: dict[str, Scorer] = {}
        self._titles: TitleModel | None = None

    def title_model(self) -> TitleModel | None:
        """Similar product names (None when the history has no titles), built once."""
        if "title" not in self.interactions or not self.interactions["title"].notna().any():
            return None
        if self._titles is None:
            named = self.interactions.dropna(subset=["title"])
            titles = named.groupby("item_id")["title"].first()
            self._titles = TitleModel(self.purchases, titles)
        return self._titles

    def gram(self) -> np.ndarray:
        if self._gram is None:
            self._gram = gram(self.purchases.matrix)
        return self._gram

    def model(self, name: str) -> Scorer:
        if name not in self._models:
            self._models[name] = CANDIDATES[name].build(self)
        return self._models[name]


@dataclass(frozen=True)
class Candidate:
    name: str
    label: str
    family: str  # popularity | item-item | als | ease | sequence | blend
    build: Callable[[_Fitting], Scorer]


def _ease(l2: float) -> Callable[[_Fitting], Scorer]:
    return lambda f: EaseModel(f.purchases, l2=l2, gram_matrix=f.gram())


def _als(factors: int, reg: float, alpha: float) -> Callable[[_Fitting], Scorer]:
    return lambda f: AlsModel(f.purchases, factors=factors, regularization=reg, alpha=alpha)


def _ease_recency(f: _Fitting) -> Scorer:
    signal = recency_weighted(f.interactions, f.purchases, half_life_days=180)
    return EaseModel(f.purchases, l2=200.0, signal=signal)


def _blend(f: _Fitting) -> Scorer:
    return BlendModel([(f.model("ease"), 1.0), (f.model("als-32"), 0.5)])


def _with_titles(base: str) -> Callable[[_Fitting], Scorer]:
    def build(f: _Fitting) -> Scorer:
        titles = f.title_model()
        if titles is None:
            raise NoTitles
        return BlendModel([(f.model(base), 1.0), (titles, 0.3)])

    return build


class NoTitles(Exception):
    """The history has no product titles: the title blends cannot run."""


CANDIDATES: dict[str, Candidate] = {
    c.name: c
    for c in (
        Candidate(
            "popular", N_("most popular"), "popularity", lambda f: PopularityModel(f.purchases)
        ),
        Candidate(
            "item-item",
            N_("item-item co-occurrence"),
            "item-item",
            lambda f: ItemItemModel(f.purchases),
        ),
        Candidate("als-32", N_("ALS (32 factors, reg 0.1, alpha 1)"), "als", _als(32, 0.1, 1.0)),
        Candidate("ease", N_("EASE (L2 500)"), "ease", _ease(500.0)),
        Candidate(
            "ease-recency", N_("EASE, recency-weighted (half-life 180 days)"), "ease", _ease_recency
        ),
        Candidate(
            "markov",
            N_("next-basket Markov chain"),
            "sequence",
            lambda f: MarkovNextBasketModel(f.purchases, f.interactions),
        ),
        Candidate("ease+als", N_("EASE + ALS blend"), "blend", _blend),
        Candidate("ease+titles", N_("EASE + similar product names"), "blend", _with_titles("ease")),
        Candidate(
            "ease-recency+titles",
            N_("EASE, recency-weighted + similar product names"),
            "blend",
            _with_titles("ease-recency"),
        ),
    )
}


@dataclass(frozen=True)
class CandidateScore:
    name: str
    label: str
    family: str
    scores: RankingScores


@dataclass(frozen=True)
class Selection:
    winner: str
    label: str
    validated: bool  # False: too little history, the fallback was used
    validation_from: pd.Timestamp | None
    validation_customers: int
    candidates: list[CandidateScore] = field(default_factory=list)

    def score_of(self, name: str) -> RankingScores | None:
        return next((c.scores for c in self.candidates if c.name == name), None)

    def gain_over(self, family: str) -> float | None:
        """The winner's relative NDCG@10 gain over the best candidate of ``family`` (0.08 =
        8% better), on the validation split."""
        mine = self.score_of(self.winner)
        others = [c.scores.ndcg for c in self.candidates if c.family == family]
        if mine is None or not others or max(others) <= 0:
            return None
        return mine.ndcg / max(others) - 1.0

    def runner_up(self) -> CandidateScore | None:
        rest = [c for c in self.ranked() if c.name != self.winner]
        return rest[0] if rest else None

    def ranked(self) -> list[CandidateScore]:
        return sorted(self.candidates, key=lambda c: (-c.scores.ndcg, -c.scores.precision, c.name))


def validation_cut(dates: pd.Series, *, share: float = 0.2) -> pd.Timestamp:
    start, end = pd.Timestamp(dates.min()), pd.Timestamp(dates.max())
    days = (end - start).days * share
    days = min(max(days, 28), 90)
    return (end - pd.Timedelta(days=days)).normalize()


def select(
    interactions: pd.DataFrame,
    *,
    candidates: list[str] | None = None,
    validation_share: float = 0.2,
    k: int = 10,
    progress: Callable[[str], None] | None = None,
) -> Selection:
    """Validate every candidate on the last part of ``interactions``; the best one wins."""
    names = list(CANDIDATES) if candidates is None else candidates
    if interactions.empty:
        return Selection(FALLBACK, CANDIDATES[FALLBACK].label, False, None, 0)
    cut = validation_cut(interactions["date"], share=validation_share)
    train, later = time_split(interactions, split_at=cut)
    if train.empty:
        return Selection(FALLBACK, CANDIDATES[FALLBACK].label, False, cut, 0)
    purchases = PurchaseMatrix.build(train)
    rows, targets = holdout_targets(purchases, later)
    if len(rows) < MIN_VALIDATION_CUSTOMERS:
        return Selection(FALLBACK, CANDIDATES[FALLBACK].label, False, cut, len(rows))
    fitting = _Fitting(purchases, train)
    scored: list[CandidateScore] = []
    for name in names:
        if progress:
            progress(CANDIDATES[name].label)
        spec = CANDIDATES[name]
        scored.append(
            CandidateScore(
                name, spec.label, spec.family, evaluate(fitting.model(name), rows, targets, k=k)
            )
        )
    best = min(scored, key=lambda c: (-c.scores.ndcg, -c.scores.precision, c.name))
    return Selection(best.name, best.label, True, cut, len(rows), scored)


def fit(name: str, interactions: pd.DataFrame) -> Scorer:
    """The named candidate fitted on all of ``interactions``."""
    return _Fitting(PurchaseMatrix.build(interactions), interactions).model(name)
