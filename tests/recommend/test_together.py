from __future__ import annotations

import pandas as pd

from tradewinds.recommend.together import bought_together


def test_pairs_from_shared_baskets() -> None:
    rows = []
    for b in range(20):
        rows += [(f"o{b}", "tea"), (f"o{b}", "cups")]
        if b % 4 == 0:
            rows.append((f"o{b}", "spoon"))
    for b in range(20, 60):
        rows.append((f"o{b}", "hammer"))
    frame = pd.DataFrame(rows, columns=["basket_id", "item_id"])
    frame["customer_id"] = "c"
    frame["date"] = pd.Timestamp("2024-01-01")
    pairs = bought_together(frame, n=2, min_baskets=3)
    tea = pairs[pairs["item_id"] == "tea"]
    assert tea.iloc[0]["other_id"] == "cups" and tea.iloc[0]["baskets"] == 20
    assert tea.iloc[0]["confidence"] == 1.0 and tea.iloc[0]["lift"] == 3.0
    assert "hammer" not in set(pairs["item_id"]) | set(pairs["other_id"])


def test_pairs_for_some_products_only() -> None:
    rows = [(f"o{b}", item) for b in range(10) for item in ("tea", "cups", "milk")]
    frame = pd.DataFrame(rows, columns=["basket_id", "item_id"])
    frame["customer_id"] = "c"
    frame["date"] = pd.Timestamp("2024-01-01")
    everything = bought_together(frame, n=5)
    tea_only = bought_together(frame, n=5, items=["tea"])
    assert set(tea_only["item_id"]) == {"tea"}
    pd.testing.assert_frame_equal(
        tea_only.reset_index(drop=True),
        everything[everything["item_id"] == "tea"].reset_index(drop=True),
    )
