"""Item-item collaborative filtering on purchase co-occurrence.

Two products are similar when the same customers buy both: cosine similarity of their
customer columns, shrunk towards zero when few customers bought both
(sim = co / (sqrt(n_i * n_j) + shrink)). A customer's score for a product is the sum of
its similarities to everything the customer bought, plus a small popularity prior that
breaks ties for customers with thin histories. Dense item x item similarity is fine for
catalogues up to ~20,000 products; beyond that keep the top-k neighbours per item.
"""

from __future__ import annotations

import numpy as np

from tradewinds.recommend.matrix import PurchaseMatrix


class ItemItemModel:
    def __init__(
        self, purchases: PurchaseMatrix, *, shrink: float = 0.0, popularity_weight: float = 0.01
    ) -> None:
        self.purchases = purchases
        m = purchases.matrix
        counts = np.asarray(m.sum(axis=0)).ravel().astype(np.float32)
        co = (m.T @ m).toarray().astype(np.float32)
        np.fill_diagonal(co, 0.0)
        norm = np.sqrt(np.outer(counts, counts)) + shrink
        self.similarity = co / norm
        self.prior = popularity_weight * counts / max(float(counts.max()), 1.0)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """Scores (customers x items) for the given customer rows of the purchase matrix."""
        history = self.purchases.matrix[rows]
        sims = np.asarray(history @ self.similarity)
        sizes = np.asarray(history.sum(axis=1)).ravel()
        sims /= np.maximum(sizes, 1.0)[:, None]
        return sims + self.prior[None, :]


def scores_for_customer(
    purchases: PurchaseMatrix,
    row: int,
    *,
    shrink: float = 0.0,
    popularity_weight: float = 0.01,
) -> np.ndarray:
    """One customer's scores, the same as ``ItemItemModel(...).scores([row])[0]``, computed
    from the co-occurrence rows of their own products only (fast for one customer)."""
    m = purchases.matrix
    counts = np.asarray(m.sum(axis=0)).ravel().astype(np.float32)
    owned = m[row].indices
    prior = popularity_weight * counts / max(float(counts.max()), 1.0)
    if len(owned) == 0:
        return prior
    co = (m[:, owned].T @ m).toarray().astype(np.float32)
    co[np.arange(len(owned)), owned] = 0.0
    norm = np.sqrt(counts[owned][:, None] * counts[None, :]) + shrink
    return (co / norm).sum(axis=0) / len(owned) + prior
