from __future__ import annotations

import pandas as pd

from tradewinds.audiences.features import behaviour
from tradewinds.audiences.lookalike import score_lookalikes


def test_candidates_resembling_the_seed_score_higher() -> None:
    day = pd.Timestamp("2024-01-01")
    rows = []
    for i in range(60):  # best customers: many orders, big baskets, recent
        rows += [(f"best{i}", day + pd.Timedelta(days=300 + 5 * k), 250.0 + i) for k in range(6)]
    for i in range(60):  # one big recent order: look like the best
        rows.append((f"like{i}", day + pd.Timedelta(days=350), 240.0 + i))
    for i in range(60):  # one small old order
        rows.append((f"unlike{i}", day + pd.Timedelta(days=10), 8.0 + i / 10))
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    features = behaviour(tx, as_of=day + pd.Timedelta(days=365))
    markets = pd.Series(
        {c: ("DE" if c.startswith(("best", "like")) else "US") for c in features.index}
    )
    result = score_lookalikes(
        features,
        seed=[f"best{i}" for i in range(60)],
        candidates=features.index,
        markets=markets,
        exclude_from_model=("orders", "revenue"),
    )
    scores = result.scores.set_index("customer_id")["score"]
    assert not any(c.startswith("best") for c in scores.index)
    assert (
        scores[[f"like{i}" for i in range(60)]].min()
        > scores[[f"unlike{i}" for i in range(60)]].max()
    )
    explained = result.scores.set_index("customer_id").loc["like0", "top_features"]
    assert explained and set(explained) <= set(result.weights.index)
    assert "orders" not in result.weights.index
