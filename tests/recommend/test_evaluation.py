"""Time-based hold-out on real Online Retail orders: the model must beat popularity."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradewinds.ingest.purchases import load_online_retail
from tradewinds.recommend.evaluation import evaluate, holdout_targets, ranking_metrics
from tradewinds.recommend.interactions import time_split
from tradewinds.recommend.item_item import ItemItemModel
from tradewinds.recommend.matrix import PurchaseMatrix
from tradewinds.recommend.popularity import PopularityModel


def test_item_item_beats_popularity_on_a_time_split(shared_data: Path) -> None:
    # the last four months of the data set: train to October, test November-December
    interactions = load_online_retail(
        [shared_data / "online_retail" / "online_retail_2011-09_2011-12.csv.gz"]
    )
    train, test = time_split(interactions, split_at="2011-11-01")
    assert train["date"].max() < test["date"].min()
    purchases = PurchaseMatrix.build(train)
    rows, targets = holdout_targets(purchases, test)
    assert len(rows) > 500
    baseline = evaluate(PopularityModel(purchases), rows, targets, k=10)
    model = evaluate(ItemItemModel(purchases), rows, targets, k=10)
    assert model.precision > baseline.precision
    assert model.recall > baseline.recall
    assert model.ndcg > baseline.ndcg


def test_ranking_metrics_by_hand() -> None:
    scores = ranking_metrics([["a", "b", "c"], ["x", "y", "z"]], [{"b", "q"}, {"z"}], k=3)
    assert scores.precision == pytest.approx((1 / 3 + 1 / 3) / 2)
    assert scores.recall == pytest.approx((1 / 2 + 1) / 2)
    import math

    first = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    second = (1 / math.log2(4)) / 1
    assert scores.ndcg == pytest.approx((first + second) / 2)
    assert ranking_metrics([["a"]], [{"a"}], k=1).ndcg == 1.0
