"""Customer x item purchase matrix shared by the recommenders."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse


@dataclass(frozen=True)
class PurchaseMatrix:
    customers: pd.Index
    items: pd.Index
    matrix: sparse.csr_matrix  # customers x items, 1.0 where the customer bought the item

    @classmethod
    def build(cls, interactions: pd.DataFrame, *, key: str = "customer_id") -> PurchaseMatrix:
        rows, customers = pd.factorize(interactions[key], sort=True)
        cols, items = pd.factorize(interactions["item_id"], sort=True)
        m = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(customers), len(items)),
        )
        m.sum_duplicates()
        m.data[:] = 1.0
        return cls(pd.Index(customers), pd.Index(items), m)
