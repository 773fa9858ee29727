"""Matrix factorisation for implicit feedback (Hu, Koren and Volinsky 2008), through the
maintained `implicit` package: every customer and product becomes a vector of ``factors``
numbers, fitted by alternating least squares with confidence 1 + ``alpha`` x purchases."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from tradewinds.recommend.matrix import PurchaseMatrix


class AlsModel:
    def __init__(
        self,
        purchases: PurchaseMatrix,
        *,
        factors: int = 64,
        regularization: float = 0.1,
        alpha: float = 1.0,
        iterations: int = 15,
        seed: int = 0,
    ) -> None:
        from implicit.cpu.als import AlternatingLeastSquares

        self.purchases = purchases
        self.params = {"factors": factors, "regularization": regularization, "alpha": alpha}
        # implicit asks for one BLAS thread (its own loop is parallel); a threaded BLAS
        # under it is slower and prints a warning
        with threadpool_limits(1, "blas"):
            model = AlternatingLeastSquares(
                factors=factors,
                regularization=regularization,
                alpha=alpha,
                iterations=iterations,
                random_state=seed,
                calculate_training_loss=False,
            )
            model.fit(purchases.matrix.tocsr().astype(np.float32), show_progress=False)
        self.user_factors = np.asarray(model.user_factors, dtype=np.float32)
        self.item_factors = np.asarray(model.item_factors, dtype=np.float32)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return self.user_factors[rows] @ self.item_factors.T
