from __future__ import annotations

import numpy as np
import pandas as pd

from tradewinds.audiences.clusters import cluster_customers
from tradewinds.audiences.features import BEHAVIOUR_COLUMNS, behaviour


def _two_kinds() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = []
    day = pd.Timestamp("2024-01-01")
    for i in range(120):  # loyal big spenders, recent
        for k in range(8):
            rows.append(
                (
                    f"a{i}",
                    day + pd.Timedelta(days=200 + 20 * k + int(rng.integers(0, 5))),
                    200 + rng.normal(0, 20),
                )
            )
    for i in range(200):  # one order long ago, small
        rows.append(
            (f"b{i}", day + pd.Timedelta(days=int(rng.integers(0, 30))), 15 + rng.normal(0, 2))
        )
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"])


def test_clusters_separate_behaviours_and_describe_them() -> None:
    features = behaviour(_two_kinds(), as_of="2024-12-31")
    assert list(features.columns) == list(BEHAVIOUR_COLUMNS)
    result = cluster_customers(features, k_range=range(2, 5))
    labels = result.labels
    a_labels = set(labels[[f"a{i}" for i in range(120)]])
    b_labels = set(labels[[f"b{i}" for i in range(200)]])
    assert a_labels.isdisjoint(b_labels)
    assert sum(p.customers for p in result.profiles) == 320
    top = result.profiles[0]  # sorted by median spend
    assert top.name.startswith("Recent") and "repeat" in top.name
    assert top.customers == 120 and top.description.startswith("120 customers")
    assert result.profiles[-1].name.startswith("Lapsed")
