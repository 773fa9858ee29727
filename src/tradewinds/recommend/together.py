"""Frequently bought together: products that share baskets more than chance predicts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tradewinds.recommend.matrix import PurchaseMatrix


def bought_together(
    interactions: pd.DataFrame, *, n: int = 5, min_baskets: int = 3
) -> pd.DataFrame:
    """For each product, up to ``n`` companions: item_id, other_id, baskets, confidence, lift.

    ``baskets`` is how many orders held both; ``confidence`` the share of the product's
    orders that also held the companion; ``lift`` how many times more often than if
    the two were bought independently. Pairs seen in fewer than ``min_baskets`` orders
    are left out as noise.
    """
    baskets = PurchaseMatrix.build(interactions, key="basket_id")
    m = baskets.matrix
    total = m.shape[0]
    counts = np.asarray(m.sum(axis=0)).ravel()
    co = (m.T @ m).tocoo()
    keep = (co.row != co.col) & (co.data >= min_baskets)
    i, j, c = co.row[keep], co.col[keep], co.data[keep]
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
