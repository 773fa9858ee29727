"""Does a lookalike ranking find tomorrow's buyers? A time-split check on real orders.

The seed is everyone who bought a product category before a day; the model ranks every
other customer with history before that day (features from that history only); the answer
is who bought the category afterwards (none of them had before: they are not in the seed).
lift@10% = their rate in the top 10% of the ranking ÷ their rate among all ranked customers
(a random 10% scores 1.0). The
RFM Champions segment as of the same day is measured the same way, as the obvious
alternative audience.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tradewinds.audiences.features import behaviour
from tradewinds.audiences.lookalike import (
    group_lift,
    lift_at,
    score_lookalikes,
    seed_affinity,
    taste,
)
from tradewinds.audiences.rfm import rfm_table
from tradewinds.recommend.ease import EaseModel
from tradewinds.recommend.matrix import PurchaseMatrix


@dataclass(frozen=True)
class CategoryLift:
    category: str
    split: pd.Timestamp
    seed: int
    ranked: int
    buyers_after: int
    lift_at_10: float
    champions_lift: float | None
    champions: int


def category_items(interactions: pd.DataFrame, keyword: str) -> set[str]:
    """Product ids whose title contains ``keyword`` (case-insensitive): the category."""
    titles = interactions.dropna(subset=["title"])
    hit = titles["title"].str.contains(keyword, case=False, regex=False)
    return set(titles.loc[hit, "item_id"])


def category_lift(
    *,
    transactions: pd.DataFrame,
    interactions: pd.DataFrame,
    keyword: str,
    split: pd.Timestamp | str,
    countries: pd.Series | None = None,
) -> CategoryLift:
    """``transactions``: customer_id, date, amount (one row per order); ``interactions``:
    customer_id, item_id, basket_id, date, title (one row per order line)."""
    cut = pd.Timestamp(split)
    items = category_items(interactions, keyword)
    before = interactions[interactions["date"] < cut]
    after = interactions[interactions["date"] >= cut]
    in_category = before["item_id"].isin(items)
    seed = pd.Index(before.loc[in_category, "customer_id"].unique())
    tx = transactions[transactions["date"] < cut]
    features = behaviour(tx, as_of=cut)
    purchases = PurchaseMatrix.build(before)
    titles = before.dropna(subset=["title"]).groupby("item_id")["title"].first()
    predicted = EaseModel(purchases).scores(np.arange(len(purchases.customers)))
    tastes = taste(purchases, titles).join(seed_affinity(purchases, seed, predicted, titles))
    candidates = features.index.difference(seed)
    result = score_lookalikes(
        features, seed=seed, candidates=candidates, markets=countries, tastes=tastes
    )
    ranked = result.scores.set_index("customer_id")["score"]
    buyers = set(after.loc[after["item_id"].isin(items), "customer_id"])
    outcome = pd.Series(ranked.index.isin(list(buyers)), index=ranked.index)
    rfm = rfm_table(tx, as_of=cut)
    champions = pd.Index(rfm.loc[rfm["segment"] == "Champions", "customer_id"])
    return CategoryLift(
        category=keyword,
        split=cut,
        seed=len(seed),
        ranked=len(ranked),
        buyers_after=int(outcome.sum()),
        lift_at_10=lift_at(ranked, outcome, share=0.1),
        champions_lift=group_lift(champions, outcome),
        champions=int(champions.isin(ranked.index).sum()),
    )
