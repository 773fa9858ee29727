"""ALS, the next-basket Markov chain, similar names, blends and the business rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tradewinds.recommend.als import AlsModel
from tradewinds.recommend.blend import BlendModel, standardised
from tradewinds.recommend.matrix import PurchaseMatrix
from tradewinds.recommend.popularity import PopularityModel
from tradewinds.recommend.recency import recency_weighted
from tradewinds.recommend.rules import BusinessRules, RuledModel
from tradewinds.recommend.sequence import MarkovNextBasketModel
from tradewinds.recommend.titles import TitleModel, title_similarity
from tradewinds.recommend.topn import top_n


def _orders(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "item_id", "basket_id", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_markov_chain_follows_what_comes_next() -> None:
    rows = []
    for i in range(10):  # starter kit, then refills
        rows += [
            (f"c{i}", "kit", f"o{i}a", "2024-01-01"),
            (f"c{i}", "refill", f"o{i}b", "2024-02-01"),
        ]
    rows += [("new", "kit", "n1", "2024-03-01"), ("new", "other", "n0", "2024-01-01")]
    rows += [("x", "other", "x1", "2024-01-01"), ("x", "gift", "x2", "2024-01-05")]
    frame = _orders(rows)
    m = PurchaseMatrix.build(frame)
    model = MarkovNextBasketModel(m, frame)
    scores = pd.Series(model.scores(np.array([m.customers.get_loc("new")]))[0], index=m.items)
    assert scores["refill"] == pytest.approx(1.0)  # every kit order was followed by a refill
    assert scores.drop("refill").max() < 1.0


def test_similar_names_are_neighbours() -> None:
    titles = pd.Series(
        [
            "JUMBO BAG RED RETROSPOT",
            "JUMBO BAG PINK POLKADOT",
            "WHITE METAL LANTERN",
            "红色礼品袋",
            "粉色礼品袋",
        ],
        index=["a", "b", "c", "d", "e"],
    )
    sim = title_similarity(titles).toarray()
    assert np.allclose(np.diag(sim), 0)
    assert sim[0, 1] > sim[0, 2] and sim[3, 4] > sim[3, 2]
    frame = _orders([("c", "a", "o", "2024-01-01")] + [("z", x, "p", "2024-01-01") for x in "bcde"])
    m = PurchaseMatrix.build(frame)
    scores = TitleModel(m, titles).scores(np.array([m.customers.get_loc("c")]))[0]
    assert m.items[int(np.argmax(scores))] == "b"


def test_als_is_repeatable_and_ranks_a_group_together() -> None:
    rows = [(f"g{i}", p, f"o{i}", "2024-01-01") for i in range(30) for p in ("a", "b", "c")]
    rows += [(f"h{i}", p, f"q{i}", "2024-01-01") for i in range(30) for p in ("x", "y", "z")]
    rows += [("one", "a", "w", "2024-01-01"), ("one", "b", "w", "2024-01-01")]
    m = PurchaseMatrix.build(_orders(rows))
    first = AlsModel(m, factors=4, iterations=10)
    again = AlsModel(m, factors=4, iterations=10)
    row = np.array([m.customers.get_loc("one")])
    assert np.allclose(first.scores(row), again.scores(row))
    best = m.items[top_n(first, rows=row, n=1)[0, 0]]
    assert best == "c"


def test_blend_standardises_each_model() -> None:
    s = standardised(np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]]))
    assert np.allclose(s[0], [-1.2247449, 0.0, 1.2247449]) and np.allclose(s[1], 0.0)
    m = PurchaseMatrix.build(
        _orders([("c", "a", "o", "2024-01-01"), ("d", "b", "p", "2024-01-01")])
    )
    pop = PopularityModel(m)
    assert BlendModel([(pop, 1.0)]).scores(np.array([0])).shape == (1, 2)


def test_recency_weights_recent_purchases_more() -> None:
    frame = _orders(
        [
            ("c", "old", "o1", "2023-01-01"),
            ("c", "new", "o2", "2024-01-01"),
            ("c", "new", "o3", "2024-01-01"),
        ]
    )
    m = PurchaseMatrix.build(frame)
    w = recency_weighted(frame, m, half_life_days=365).toarray()[0]
    assert w[m.items.get_loc("new")] == pytest.approx(np.log1p(2.0))
    assert w[m.items.get_loc("old")] == pytest.approx(np.log1p(0.5), rel=1e-3)
    with pytest.raises(ValueError):
        recency_weighted(frame, m, half_life_days=0)


def test_business_rules_hold_back_and_boost() -> None:
    rows = [(f"c{i}", p, f"o{i}", "2024-06-01") for i in range(5) for p in ("a", "b", "c", "d")]
    rows += [("c9", "stale", "old", "2023-01-01"), ("me", "a", "m", "2024-06-01")]
    frame = _orders(rows)
    m = PurchaseMatrix.build(frame)
    pop = PopularityModel(m)
    me = np.array([m.customers.get_loc("me")])
    plain = [m.items[j] for j in top_n(pop, rows=me, n=5)[0]]
    assert plain[0] == "b"  # ties in catalogue order; "a" is owned
    rules = BusinessRules(exclude=["b"], out_of_stock=["c"], stale_days=180, margins={"d": 0.9})
    ruled = RuledModel(pop, rules, frame)
    picked = [m.items[j] for j in top_n(ruled, rows=me, n=1)[0]]
    assert picked == ["d"]
    assert ruled.blocked[m.items.get_loc("stale")]
    scores = ruled.scores(me)[0]
    assert np.isinf(scores[m.items.get_loc("b")]) and np.isinf(scores[m.items.get_loc("c")])
    with pytest.raises(ValueError):
        BusinessRules.model_validate({"exclude": [], "unknown": 1})
