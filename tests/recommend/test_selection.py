"""Choosing a recommender by a validation split inside the training period."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tradewinds.ingest.purchases import load_online_retail
from tradewinds.recommend.evaluation import evaluate, holdout_targets
from tradewinds.recommend.interactions import time_split
from tradewinds.recommend.matrix import PurchaseMatrix
from tradewinds.recommend.popularity import PopularityModel
from tradewinds.recommend.selection import CANDIDATES, FALLBACK, fit, select, validation_cut


@pytest.mark.slow
def test_time_split_with_validation_inside_the_training_period(shared_data: Path) -> None:
    # the cross-border subset: train to August 2011, test on September-December
    interactions = load_online_retail(
        [shared_data / "online_retail" / "online_retail_non_uk.csv.gz"]
    )
    train, test = time_split(interactions, split_at="2011-09-01")
    choice = select(train)
    assert choice.validated and choice.validation_customers >= 20
    assert train["date"].min() < choice.validation_from < pd.Timestamp("2011-09-01")
    assert {c.name for c in choice.candidates} == set(CANDIDATES)
    assert choice.winner == choice.ranked()[0].name
    assert choice.gain_over("als") is not None and choice.gain_over("als") >= 0
    # the winner, refitted on the whole training period, beats popularity on the test period
    purchases = PurchaseMatrix.build(train)
    rows, targets = holdout_targets(purchases, test)
    model = fit(choice.winner, train)
    won = evaluate(model, rows, targets)
    baseline = evaluate(PopularityModel(purchases), rows, targets)
    assert won.precision > baseline.precision and won.ndcg > baseline.ndcg


def test_validation_window_and_too_little_history() -> None:
    days = pd.Series(pd.date_range("2024-01-01", "2024-12-31", freq="D"))
    cut = validation_cut(days)
    assert pd.Timestamp("2024-10-02") <= cut <= pd.Timestamp("2024-11-03")  # 20% of a year, ≤ 90 d
    tiny = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "item_id": ["x", "y", "x"],
            "basket_id": ["1", "2", "3"],
            "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-03-02"]),
        }
    )
    choice = select(tiny)
    assert not choice.validated and choice.winner == FALLBACK
    model = fit(choice.winner, tiny)
    assert model.scores(np.array([0])).shape == (1, 2)
