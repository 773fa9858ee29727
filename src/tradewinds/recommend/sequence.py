"""A sequence-aware option: a first-order Markov chain over baskets.

What a customer buys next depends most on what they bought last. From every pair of a
customer's consecutive orders it counts how often product j was in the next order after
product i was in the previous one, P(j next | i last) = count(i → j) / baskets with i
followed by another; a customer's score for j sums those chances over the products of
their latest order (FPMC without the factorisation, Rendle et al. 2010). No maintained,
CPU-friendly GRU4Rec/SASRec package is on the registry (the ones there pull a GPU deep-
learning stack), so the Markov chain is the sequence model; the selection uses it only when
it wins on validation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from tradewinds.recommend.matrix import PurchaseMatrix


def _baskets(interactions: pd.DataFrame, purchases: PurchaseMatrix) -> pd.DataFrame:
    lines = interactions[["customer_id", "item_id", "basket_id", "date"]].copy()
    lines["col"] = purchases.items.get_indexer(lines["item_id"])
    lines["row"] = purchases.customers.get_indexer(lines["customer_id"])
    lines = lines[(lines["col"] >= 0) & (lines["row"] >= 0)]
    first = lines.groupby(["row", "basket_id"], sort=False)["date"].min().rename("start")
    order = first.reset_index().sort_values(["row", "start", "basket_id"], kind="stable")
    order["seq"] = order.groupby("row").cumcount()
    order["basket"] = np.arange(len(order))
    return lines.merge(order[["row", "basket_id", "seq", "basket"]], on=["row", "basket_id"])


class MarkovNextBasketModel:
    def __init__(self, purchases: PurchaseMatrix, interactions: pd.DataFrame) -> None:
        self.purchases = purchases
        n_items = len(purchases.items)
        lines = _baskets(interactions, purchases)
        n_baskets = int(lines["basket"].max()) + 1 if len(lines) else 0
        contents = sparse.csr_matrix(
            (np.ones(len(lines), dtype=np.float32), (lines["basket"], lines["col"])),
            shape=(n_baskets, n_items),
        )
        contents.data[:] = 1.0
        heads = lines.drop_duplicates("basket")[["row", "seq", "basket"]]
        nxt = heads.merge(
            heads.assign(seq=heads["seq"] - 1), on=["row", "seq"], suffixes=("", "_next")
        )
        before = contents[nxt["basket"].to_numpy()]
        after = contents[nxt["basket_next"].to_numpy()]
        counts = (before.T @ after).toarray()
        followed = np.asarray(before.sum(axis=0)).ravel()
        self.transitions = (counts / np.maximum(followed, 1.0)[:, None]).astype(np.float32)
        last = heads.loc[heads.groupby("row")["seq"].idxmax()]
        pick = sparse.csr_matrix(
            (np.ones(len(last), dtype=np.float32), (last["row"], last["basket"])),
            shape=(len(purchases.customers), n_baskets),
        )
        self.latest = (pick @ contents).tocsr()

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return np.asarray(self.latest[rows] @ self.transitions)
