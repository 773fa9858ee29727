from __future__ import annotations

import numpy as np
import pandas as pd

from tradewinds.recommend.item_item import ItemItemModel, scores_for_customer
from tradewinds.recommend.matrix import PurchaseMatrix
from tradewinds.recommend.topn import recommendations_frame, top_n


def _interactions(pairs: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [c for c, _ in pairs],
            "item_id": [i for _, i in pairs],
            "basket_id": [f"{c}-1" for c, _ in pairs],
            "date": pd.Timestamp("2024-01-01"),
        }
    )


def test_recommends_what_similar_customers_bought_and_skips_owned() -> None:
    pairs = [(f"u{i}", item) for i in range(10) for item in ("tea", "cups")]
    pairs += [(f"v{i}", item) for i in range(10) for item in ("nails", "hammer")]
    pairs += [(f"w{i}", "popular") for i in range(30)]
    pairs += [("me", "tea")]
    purchases = PurchaseMatrix.build(_interactions(pairs))
    model = ItemItemModel(purchases)
    me = purchases.customers.get_loc("me")
    best = purchases.items[top_n(model, rows=np.array([me]), n=2)[0]]
    assert best[0] == "cups"
    assert "tea" not in best
    frame = recommendations_frame(model, n=2)
    assert set(frame.columns) == {"customer_id", "rank", "item_id"}
    assert len(frame) == 2 * len(purchases.customers)


def test_single_customer_scores_equal_the_full_model() -> None:
    rng = np.random.default_rng(5)
    pairs = [(f"u{rng.integers(0, 40)}", f"i{rng.integers(0, 25)}") for _ in range(300)]
    purchases = PurchaseMatrix.build(_interactions(pairs))
    model = ItemItemModel(purchases)
    for row in (0, 7, 19):
        np.testing.assert_allclose(
            scores_for_customer(purchases, row), model.scores(np.array([row]))[0], rtol=1e-5
        )
