"""Recency-weighted interactions: a purchase counts 0.5 ** (age / half-life), so what a
customer bought last month weighs more than what they bought two years ago. Repeat
purchases of a product add up and are log-damped (log1p), so one wholesaler's fifty
reorders do not drown everyone else's single ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from tradewinds.recommend.matrix import PurchaseMatrix


def recency_weighted(
    interactions: pd.DataFrame, purchases: PurchaseMatrix, *, half_life_days: float
) -> sparse.csr_matrix:
    """Customers x items, aligned with ``purchases``: log1p of the summed decayed purchases
    (one per order and product), measured from the last day in ``interactions``."""
    if half_life_days <= 0:
        raise ValueError("the half-life must be a positive number of days")
    lines = interactions.drop_duplicates(["customer_id", "item_id", "basket_id"])
    rows = purchases.customers.get_indexer(lines["customer_id"])
    cols = purchases.items.get_indexer(lines["item_id"])
    keep = (rows >= 0) & (cols >= 0)
    dates = pd.to_datetime(lines["date"])
    age = (dates.max() - dates).dt.total_seconds().to_numpy() / 86_400.0
    weight = np.power(0.5, age / half_life_days)
    m = sparse.csr_matrix(
        (weight[keep].astype(np.float32), (rows[keep], cols[keep])),
        shape=purchases.matrix.shape,
    )
    m.sum_duplicates()
    m.data = np.log1p(m.data)
    return m
