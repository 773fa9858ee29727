"""The baseline every recommender must beat: the most-bought products, for everyone."""

from __future__ import annotations

import numpy as np

from tradewinds.recommend.matrix import PurchaseMatrix


class PopularityModel:
    def __init__(self, purchases: PurchaseMatrix) -> None:
        self.purchases = purchases
        self.item_counts = np.asarray(purchases.matrix.sum(axis=0)).ravel()

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """Scores (customers x items) for the given customer rows: item purchase counts."""
        return np.broadcast_to(self.item_counts, (len(rows), len(self.item_counts))).astype(
            np.float32
        )
