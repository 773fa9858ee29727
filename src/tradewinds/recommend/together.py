"""Frequently bought together: products that share baskets more than chance predicts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tradewinds.recommend.matrix import PurchaseMatrix


def bought_together(
    interactions: pd.DataFrame,
    *,
    n: int = 5,
    min_baskets: int = 3,
    items: list[str] | None = None,
) -> pd.DataFrame:
    """For each product (or each of ``items``), up to ``n`` companions: item_id, other_id,
    baskets, confidence, lift.

    ``baskets`` is how many orders held both; ``confidence`` the share of the product's
    orders that also held the companion; ``lift`` how many times more often than if
    the two were bought independently. Pairs seen in fewer than ``min_baskets`` orders
    are left out as noise.
    """
    baskets = PurchaseMatrix.build(interactions, key="basket_id")
    m = baskets.matrix
    total = m.shape[0]
    counts = np.asarray(m.sum(axis=0)).ravel()
    if items is None:
        rows_of = np.arange(m.shape[1])
        co = (m.T @ m).tocoo()
    else:  # only the pairs of these products (fast when they are few)
        rows_of = np.flatnonzero(baskets.items.isin(items))
        co = (m[:, rows_of].T @ m).tocoo()
    i, j, c = rows_of[co.row], co.col, co.data
    keep = (i != j) & (c >= min_baskets)
    i, j, c = i[keep], j[keep], c[keep]
    confidence = c / counts[i]
    lift = confidence / (counts[j] / total)
    pairs = pd.DataFrame(
        {
            "item_id": baskets.items.to_numpy()[i],
            "other_id": baskets.items.to_numpy()[j],
            "baskets": c.astype(int),
            "confidence": confidence,
            "lift": lift,
        }
    )
    pairs = pairs.sort_values(["item_id", "baskets", "lift"], ascending=[True, False, False])
    return pairs.groupby("item_id", sort=False).head(n).reset_index(drop=True)
