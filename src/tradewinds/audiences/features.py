"""Behavioural features per customer, shared by clusters and lookalikes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tradewinds.i18n_markers import N_

BEHAVIOUR_COLUMNS = ("recency_days", "orders", "revenue", "aov", "tenure_days")

FEATURE_LABELS = {
    "recency_days": N_("days since last order"),
    "orders": N_("orders"),
    "revenue": N_("total spent"),
    "aov": N_("average order value"),
    "tenure_days": N_("days since first order"),
}


def behaviour(transactions: pd.DataFrame, *, as_of: pd.Timestamp | str) -> pd.DataFrame:
    """One row per customer (index customer_id) with the columns in BEHAVIOUR_COLUMNS."""
    as_of = pd.Timestamp(as_of).normalize()
    tx = transactions[transactions["date"] <= as_of]
    grouped = tx.groupby("customer_id", sort=True)
    first = grouped["date"].min()
    last = grouped["date"].max()
    out = pd.DataFrame(
        {
            "recency_days": (as_of - last).dt.days.astype(float),
            "orders": grouped.size().astype(float),
            "revenue": grouped["amount"].sum().astype(float),
            "tenure_days": (as_of - first).dt.days.astype(float),
        }
    )
    out["aov"] = out["revenue"] / out["orders"]
    return out[list(BEHAVIOUR_COLUMNS)]


def log_scaled(frame: pd.DataFrame) -> np.ndarray:
    """log1p of non-negative skewed features (spend, counts, days) before standardising."""
    return np.log1p(frame.clip(lower=0).to_numpy(dtype=float))
