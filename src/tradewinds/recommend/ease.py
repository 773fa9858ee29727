"""EASE: a closed-form linear item-item model (Steck, "Embarrassingly Shallow Autoencoders
for Sparse Data", WWW 2019).

It learns the item x item weight matrix B that best rebuilds each customer's purchases from
their other purchases, with an L2 penalty ``l2`` and a zero diagonal (a product may not
explain itself):  P = (XᵀX + λI)⁻¹,  B = −P / diag(P),  diag(B) = 0.  One matrix inverse of
the catalogue's size, no iterations, no random seed. A customer's score for a product is
their purchase row times B. Dense B is fine for catalogues up to ~20,000 products (the
inverse of 20k x 20k takes about a minute on two cores); past that, keep the top-k weights
per item.

No maintained package ships EASE on its own (RecBole's and Microsoft Recommenders'
versions come with a whole framework), and the model is these four lines of linear algebra.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg, sparse

from tradewinds.recommend.matrix import PurchaseMatrix


def gram(matrix: sparse.csr_matrix) -> np.ndarray:
    """XᵀX as a dense float64 matrix: how many customers bought both products."""
    return (matrix.T @ matrix).toarray().astype(np.float64)


def ease_weights(gram_matrix: np.ndarray, l2: float) -> np.ndarray:
    """The EASE weight matrix B for one penalty (the Gram matrix is left untouched)."""
    g = gram_matrix.copy()
    g[np.diag_indices_from(g)] += l2
    # XᵀX + λI is symmetric positive definite: a Cholesky inverse takes half the time of LU
    factor, info = linalg.lapack.dpotrf(g, lower=False, overwrite_a=True)
    if info != 0:
        raise np.linalg.LinAlgError(f"the Gram matrix is not positive definite ({info})")
    p, info = linalg.lapack.dpotri(factor, lower=False, overwrite_c=True)
    p = np.triu(p) + np.triu(p, 1).T
    b = p / (-np.diag(p))
    np.fill_diagonal(b, 0.0)
    return b.astype(np.float32)


class EaseModel:
    """EASE over the purchase matrix; ``gram_matrix`` lets several penalties share one Gram."""

    def __init__(
        self,
        purchases: PurchaseMatrix,
        *,
        l2: float = 500.0,
        gram_matrix: np.ndarray | None = None,
        signal: sparse.csr_matrix | None = None,
    ) -> None:
        """``signal`` replaces the 0/1 purchase matrix as what the model learns from and
        scores with (e.g. :func:`tradewinds.recommend.recency.recency_weighted`)."""
        self.purchases = purchases
        self.l2 = l2
        self.signal = purchases.matrix if signal is None else signal
        g = gram(self.signal) if gram_matrix is None else gram_matrix
        self.weights = ease_weights(g, l2)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """Scores (customers x items) for the given customer rows of the purchase matrix."""
        return np.asarray(self.signal[rows] @ self.weights)
