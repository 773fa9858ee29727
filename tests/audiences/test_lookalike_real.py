"""Lookalikes on the real Online Retail orders: the top 10% find a category's next buyers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradewinds.audiences.lookalike_evaluation import category_lift
from tradewinds.ingest.purchases import online_retail_files, online_retail_orders


@pytest.mark.slow
def test_top_decile_finds_next_buyers_of_a_category(shared_data: Path) -> None:
    files = online_retail_files(shared_data / "online_retail")
    orders, lines, countries = online_retail_orders(files)
    # the first category of bench/customers_lookalike.py; docs/customers.md lists them all
    for word in ("LUNCH BAG",):
        r = category_lift(
            transactions=orders,
            interactions=lines,
            keyword=word,
            split="2011-09-01",
            countries=countries,
        )
        assert r.seed > 500 and r.buyers_after > 50
        assert r.lift_at_10 >= 2.0, (word, r)
        assert r.champions_lift is not None and r.lift_at_10 > r.champions_lift
