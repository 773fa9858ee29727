"""A blend of recommenders: each model's scores standardised per customer (mean 0, unit
spread over the catalogue) and summed with weights, so models on different scales — EASE's
regression weights, ALS's dot products — add up fairly."""

from __future__ import annotations

import numpy as np

from tradewinds.recommend.matrix import PurchaseMatrix
from tradewinds.recommend.topn import Scorer


def standardised(scores: np.ndarray) -> np.ndarray:
    s = np.asarray(scores, dtype=np.float32)
    spread = s.std(axis=1, keepdims=True)
    return (s - s.mean(axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)


class BlendModel:
    def __init__(self, parts: list[tuple[Scorer, float]]) -> None:
        if not parts:
            raise ValueError("a blend needs at least one model")
        self.parts = parts
        self.purchases: PurchaseMatrix = parts[0][0].purchases

    def scores(self, rows: np.ndarray) -> np.ndarray:
        total = np.zeros((len(rows), len(self.purchases.items)), dtype=np.float32)
        for model, weight in self.parts:
            total += weight * standardised(model.scores(rows))
        return total
