"""Purchase interactions: who bought which product in which basket, and when.

The recommenders read one frame with the columns ``customer_id``, ``item_id``,
``basket_id`` and ``date``, and optionally ``title`` (the product's name, for the
similar-names signal of ``titles.py``). The customers service builds it from the warehouse's
orders/order_lines with one SQL join; :func:`tradewinds.ingest.purchases.load_online_retail`
reads the UCI Online Retail export (used to evaluate the models on real data).
"""

from __future__ import annotations

import pandas as pd

INTERACTION_COLUMNS = ("customer_id", "item_id", "basket_id", "date")


def time_split(
    interactions: pd.DataFrame, *, split_at: pd.Timestamp | str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Everything before ``split_at`` to train on, everything from it on to test with."""
    cut = pd.Timestamp(split_at)
    return interactions[interactions["date"] < cut], interactions[interactions["date"] >= cut]
