"""Lookalikes on Online Retail: do they find tomorrow's buyers of a category?

    .venv/bin/python bench/customers_lookalike.py

For each category (products whose name holds a word): the seed is every customer who
bought it before 2011-09-01; the model ranks every other customer with orders before that
day, from that history only; the answer is who bought the category afterwards. Printed per
category: the lift of the top 10% of the ranking (a random 10% = 1.0x) and of the RFM
Champions segment as of the same day. Target: top-10% lift >= 2x random on the median
category.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from tradewinds.audiences.lookalike_evaluation import category_lift
from tradewinds.ingest.purchases import online_retail_files, online_retail_orders

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "online_retail"
SPLIT = "2011-09-01"
CATEGORIES = ("LUNCH BAG", "CANDLE", "CAKE", "PARTY", "DOORMAT", "HEART", "CHRISTMAS")


def main() -> int:
    orders, lines, countries = online_retail_orders(online_retail_files(DATA))
    print(f"seed = bought the category before {SPLIT}; answer = bought it afterwards\n")
    print("| category | seed | ranked | bought after | top-10% lift | Champions lift | s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    lifts = []
    for word in CATEGORIES:
        started = time.perf_counter()
        r = category_lift(
            transactions=orders, interactions=lines, keyword=word, split=SPLIT, countries=countries
        )
        lifts.append(r.lift_at_10)
        champions = f"{r.champions_lift:.2f}x" if r.champions_lift is not None else "–"
        print(
            f"| {word} | {r.seed:,} | {r.ranked:,} | {r.buyers_after:,} | {r.lift_at_10:.2f}x | "
            f"{champions} | {time.perf_counter() - started:.1f} |"
        )
    median = statistics.median(lifts)
    print(f"\nmedian top-10% lift {median:.2f}x (target >= 2x random)")
    return 0 if median >= 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
