"""Recommendations for every Online Retail customer, and the hold-out evaluation.

    .venv/bin/python bench/customers_recommend.py

1. Speed (target <= 60 s): from the raw files to top-10 products for every customer plus
   "frequently bought together" for every product.
2. Quality: train on orders before 2011-09-01, test on what each customer bought for the
   first time from then on; precision@10, recall@10, NDCG@10 of item-item co-occurrence
   against the most-popular-products baseline. (`lifetimes` has no recommender, so there
   is no peer time to print here.)
"""

from __future__ import annotations

import time
from pathlib import Path

from tradewinds.ingest.purchases import load_online_retail, online_retail_files
from tradewinds.recommend.evaluation import evaluate, holdout_targets
from tradewinds.recommend.interactions import time_split
from tradewinds.recommend.item_item import ItemItemModel
from tradewinds.recommend.matrix import PurchaseMatrix
from tradewinds.recommend.popularity import PopularityModel
from tradewinds.recommend.together import bought_together
from tradewinds.recommend.topn import recommendations_frame

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "online_retail"
SPLIT = "2011-09-01"


def main() -> int:
    started = time.perf_counter()
    interactions = load_online_retail(online_retail_files(DATA))
    loaded = time.perf_counter() - started
    purchases = PurchaseMatrix.build(interactions)
    model = ItemItemModel(purchases)
    recs = recommendations_frame(model, n=10)
    fbt = bought_together(interactions, n=5)
    total = time.perf_counter() - started
    print(
        f"Online Retail: {len(interactions):,} purchase lines, {len(purchases.customers):,} "
        f"customers, {len(purchases.items):,} products"
    )
    print(
        f"top-10 for every customer ({len(recs):,} rows) + bought-together for "
        f"{fbt['item_id'].nunique():,} products: {total:.1f} s incl. {loaded:.1f} s reading "
        f"the files (target <= 60 s)"
    )

    train, test = time_split(interactions, split_at=SPLIT)
    train_matrix = PurchaseMatrix.build(train)
    rows, targets = holdout_targets(train_matrix, test)
    print(
        f"\nhold-out: train before {SPLIT}, test after; {len(rows):,} customers bought "
        f"something new in the test period"
    )
    print("| model | precision@10 | recall@10 | NDCG@10 |")
    print("|---|---:|---:|---:|")
    scores = {}
    for name, scorer in (
        ("most popular (baseline)", PopularityModel(train_matrix)),
        ("item-item co-occurrence", ItemItemModel(train_matrix)),
    ):
        s = scores[name] = evaluate(scorer, rows, targets, k=10)
        print(f"| {name} | {s.precision:.4f} | {s.recall:.4f} | {s.ndcg:.4f} |")
    base, model = scores["most popular (baseline)"], scores["item-item co-occurrence"]
    beats = model.ndcg > base.ndcg and model.recall > base.recall
    print(f"item-item beats the baseline on recall@10 and NDCG@10: {'yes' if beats else 'NO'}")
    return 0 if total <= 60 and beats else 1


if __name__ == "__main__":
    raise SystemExit(main())
