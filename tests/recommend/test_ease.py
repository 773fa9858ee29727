"""EASE's closed form against the constrained least-squares problem it solves."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from tradewinds.recommend.ease import EaseModel, ease_weights
from tradewinds.recommend.matrix import PurchaseMatrix


def _matrix(seed: int = 3, customers: int = 40, items: int = 7) -> PurchaseMatrix:
    rng = np.random.default_rng(seed)
    dense = (rng.random((customers, items)) < 0.35).astype(np.float32)
    return PurchaseMatrix(
        pd.Index([f"c{i}" for i in range(customers)]),
        pd.Index([f"p{j}" for j in range(items)]),
        sparse.csr_matrix(dense),
    )


def test_weights_minimise_the_penalised_error_with_a_zero_diagonal() -> None:
    m = _matrix()
    x = m.matrix.toarray().astype(np.float64)
    lam = 5.0
    b = ease_weights(x.T @ x, lam)
    assert np.allclose(np.diag(b), 0.0)
    # column j solved directly: regress item j on the other items, ridge penalty lam
    for j in range(x.shape[1]):
        others = [k for k in range(x.shape[1]) if k != j]
        a = x[:, others]
        direct = np.linalg.solve(a.T @ a + lam * np.eye(len(others)), a.T @ x[:, j])
        assert np.allclose(b[others, j], direct, atol=1e-4)


def test_scores_are_the_history_times_the_weights() -> None:
    m = _matrix()
    model = EaseModel(m, l2=2.0)
    rows = np.array([0, 5, 9])
    expected = m.matrix[rows].toarray() @ model.weights
    assert np.allclose(model.scores(rows), expected, atol=1e-5)


def test_products_bought_together_recommend_each_other() -> None:
    # everyone who bought p0 also bought p1; c_new bought only p0
    rows = [(f"c{i}", p) for i in range(20) for p in ("p0", "p1")]
    rows += [(f"d{i}", p) for i in range(20) for p in ("p2", "p3")]
    rows += [("c_new", "p0"), ("c_new", "p3")] + [("e", "p2")]
    frame = pd.DataFrame(rows, columns=["customer_id", "item_id"])
    m = PurchaseMatrix.build(frame)
    model = EaseModel(m, l2=1.0)
    row = m.customers.get_loc("c_new")
    scores = pd.Series(model.scores(np.array([row]))[0], index=m.items)
    assert scores["p1"] > 0.5 and scores["p2"] > 0.5
