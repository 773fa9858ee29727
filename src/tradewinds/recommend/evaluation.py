"""Offline evaluation on a time split: precision@k, recall@k and NDCG@k."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tradewinds.recommend.matrix import PurchaseMatrix
from tradewinds.recommend.topn import Scorer, top_n


@dataclass(frozen=True)
class RankingScores:
    precision: float
    recall: float
    ndcg: float
    users: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "ndcg": self.ndcg,
            "users": self.users,
        }


def ranking_metrics(
    recommended: list[list[str]], relevant: list[set[str]], *, k: int
) -> RankingScores:
    """Mean precision@k, recall@k and NDCG@k (binary relevance) over users."""
    if not recommended:
        return RankingScores(0.0, 0.0, 0.0, 0)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    p = r = nd = 0.0
    for recs, truth in zip(recommended, relevant, strict=True):
        hits = np.array([item in truth for item in recs[:k]], dtype=float)
        p += hits.sum() / k
        r += hits.sum() / len(truth)
        ideal = discounts[: min(len(truth), k)].sum()
        nd += float(hits @ discounts[: len(hits)]) / ideal
    n = len(recommended)
    return RankingScores(p / n, r / n, nd / n, n)


def holdout_targets(train: PurchaseMatrix, test: pd.DataFrame) -> tuple[np.ndarray, list[set[str]]]:
    """Rows of train customers who bought something new in the test period, and what."""
    owned = train.matrix.tolil().rows
    known_items = set(train.items)
    customer_row = {c: i for i, c in enumerate(train.customers)}
    rows: list[int] = []
    targets: list[set[str]] = []
    for customer, items in test.groupby("customer_id")["item_id"]:
        row = customer_row.get(customer)
        if row is None:
            continue
        seen = {train.items[j] for j in owned[row]}
        new = {i for i in items if i in known_items} - seen
        if new:
            rows.append(row)
            targets.append(new)
    return np.asarray(rows, dtype=np.int64), targets


def evaluate(
    model: Scorer, rows: np.ndarray, targets: list[set[str]], *, k: int = 10
) -> RankingScores:
    idx = top_n(model, rows=rows, n=k)
    items = model.purchases.items.to_numpy()
    recommended = [list(items[r]) for r in idx]
    return ranking_metrics(recommended, targets, k=k)
