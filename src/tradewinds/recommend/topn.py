"""Top-N products per customer from any model's score matrix, skipping what they own."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

from tradewinds.recommend.matrix import PurchaseMatrix


class Scorer(Protocol):
    purchases: PurchaseMatrix

    def scores(self, rows: np.ndarray) -> np.ndarray: ...


def top_n(
    model: Scorer,
    *,
    rows: np.ndarray | None = None,
    n: int = 10,
    exclude_purchased: bool = True,
    batch: int = 2048,
    mark_excluded: bool = False,
) -> np.ndarray:
    """Item column indices (len(rows) x n), best first, for each customer row.

    ``mark_excluded``: where a customer has fewer than n products left to recommend (they
    own or the rules hold back the rest), the places past them hold -1."""
    matrix = model.purchases.matrix
    rows = np.arange(matrix.shape[0]) if rows is None else np.asarray(rows)
    out = np.empty((len(rows), n), dtype=np.int64)
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        s = np.array(model.scores(chunk), dtype=np.float32, copy=True)
        if exclude_purchased:
            owned = matrix[chunk].tocoo()
            s[owned.row, owned.col] = -np.inf
        k = min(n, s.shape[1])
        # a stable sort, not argpartition: products with equal scores (the baseline's equal
        # counts) are taken in catalogue order, the same on every machine — argpartition's
        # choice among ties depends on the CPU's vector instructions
        best = np.argsort(-s, axis=1, kind="stable")[:, :k]
        if mark_excluded:
            best[np.isneginf(np.take_along_axis(s, best, axis=1))] = -1
        out[start : start + len(chunk), :k] = best
    return out


def recommendations_frame(model: Scorer, *, n: int = 10) -> pd.DataFrame:
    """customer_id, rank (1 = best), item_id for every customer in the model."""
    idx = top_n(model, n=n)
    purchases = model.purchases
    return pd.DataFrame(
        {
            "customer_id": np.repeat(purchases.customers.to_numpy(), idx.shape[1]),
            "rank": np.tile(np.arange(1, idx.shape[1] + 1), idx.shape[0]),
            "item_id": purchases.items.to_numpy()[idx.ravel()],
        }
    )
