from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tradewinds.audiences.rfm import (
    SegmentMap,
    load_segment_map,
    quintile_scores,
    rf_grid,
    rfm_table,
    segment_sizes,
)

NAMES = [
    "Champions",
    "Loyal",
    "Potential loyalists",
    "New",
    "Promising",
    "Need attention",
    "About to sleep",
    "At risk",
    "Can't lose",
    "Hibernating",
    "Lost",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=300), st.booleans())
def test_quintile_scores_are_1_to_5_and_monotone(values: list[float], higher: bool) -> None:
    scores = quintile_scores(np.array(values), higher_is_better=higher)
    assert scores.min() >= 1 and scores.max() <= 5
    order = np.argsort(values)
    ranked = scores[order] if higher else scores[order][::-1]
    assert np.all(np.diff(ranked.astype(int)) >= 0)  # better value never scores lower
    # equal values share a score
    for v in set(values):
        assert len(set(scores[np.array(values) == v])) == 1


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 400), st.floats(0.01, 1000)),
        min_size=1,
        max_size=120,
    )
)
def test_rfm_table_scores_in_range_and_every_customer_named(rows) -> None:
    tx = pd.DataFrame(
        {
            "customer_id": [f"c{c}" for c, _, _ in rows],
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta([d for _, d, _ in rows], "D"),
            "amount": [a for _, _, a in rows],
        }
    )
    table = rfm_table(tx, as_of="2025-03-01")
    assert len(table) == tx["customer_id"].nunique()
    for col in ("r", "f", "m"):
        assert table[col].between(1, 5).all()
    assert table["segment"].isin(NAMES).all()


def test_shipped_map_has_the_usual_segments() -> None:
    assert sorted(load_segment_map().names) == sorted(NAMES)


def test_map_must_cover_every_cell() -> None:
    with pytest.raises(ValidationError, match="no segment covers"):
        SegmentMap.model_validate({"segments": [{"name": "Only best", "r": [5, 5]}]})
    with pytest.raises(ValidationError, match="1 <= low <= high <= 5"):
        SegmentMap.model_validate({"segments": [{"name": "All", "r": [0, 5]}]})


def test_segments_follow_behaviour_and_per_market_scoring() -> None:
    day = pd.Timestamp("2024-01-01")
    rows = []
    for i in range(50):  # frequent, recent buyers in DE
        rows += [(f"de{i}", day + pd.Timedelta(days=300 + 10 * k), 100.0) for k in range(6)]
    for i in range(50):  # single purchase long ago in FR
        rows.append((f"fr{i}", day, 10.0))
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    table = rfm_table(tx, as_of=day + pd.Timedelta(days=400)).set_index("customer_id")
    assert set(table.loc[[f"de{i}" for i in range(50)], "segment"]) <= {"Champions", "Loyal"}
    assert set(table.loc[[f"fr{i}" for i in range(50)], "segment"]) == {"Lost"}
    markets = pd.Series({c: c[:2].upper() for c in table.index})
    per_market = rfm_table(tx, as_of=day + pd.Timedelta(days=400), markets=markets)
    assert per_market["market"].nunique() == 2
    # within one market where everyone behaves alike, every score is the same
    fr = per_market[per_market["market"] == "FR"]
    assert fr[["r", "f", "m"]].nunique().max() == 1
    sizes = segment_sizes(per_market)
    assert sizes["customers"].sum() == 100 and list(sizes["segment"]) == load_segment_map().names
    assert int(rf_grid(per_market).to_numpy().sum()) == 100


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=5, max_size=400), st.booleans())
def test_five_distinct_values_fill_all_five_scores(values: list[int], higher: bool) -> None:
    scores = quintile_scores(np.array(values), higher_is_better=higher)
    distinct = len(set(values))
    if distinct >= 5:
        assert set(scores.tolist()) == {1, 2, 3, 4, 5}
    else:
        assert len(set(scores.tolist())) == distinct


def test_cuts_sit_at_the_tie_edge_nearest_each_fifth() -> None:
    # 35 % one order, 19 % two, 12 % three, 8 % four, then a long tail: the shape of
    # Online Retail, where fixed quintile positions gave nobody F = 2
    values = [1] * 35 + [2] * 19 + [3] * 12 + [4] * 8 + [5] * 6 + list(range(6, 26))
    scores = quintile_scores(np.array(values))
    by_value = {v: int(s) for v, s in zip(values, scores, strict=True)}
    assert [by_value[v] for v in (1, 2, 3, 4)] == [1, 2, 3, 4]
    assert by_value[25] == 5


def _online_retail_orders(shared_data) -> pd.DataFrame:
    files = sorted((shared_data / "online_retail").glob("online_retail_2*.csv.gz"))
    cols = ["InvoiceNo", "InvoiceDate", "CustomerID", "Quantity", "UnitPrice"]
    raw = pd.concat(pd.read_csv(f, usecols=cols, dtype={"InvoiceNo": str}) for f in files)
    raw = raw.dropna(subset=["CustomerID"])
    raw = raw[~raw["InvoiceNo"].str.startswith("C")]  # cancellations are not orders
    raw["amount"] = raw["Quantity"] * raw["UnitPrice"]
    orders = raw.groupby("InvoiceNo").agg(
        customer_id=("CustomerID", "first"), date=("InvoiceDate", "first"), amount=("amount", "sum")
    )
    orders["date"] = pd.to_datetime(orders["date"])
    return orders.reset_index(drop=True)


def test_online_retail_grid_has_no_empty_score(shared_data) -> None:
    table = rfm_table(_online_retail_orders(shared_data), as_of="2011-12-10")
    assert len(table) == 4339  # customers with at least one order in the file
    for score in ("r", "f", "m"):
        sizes = table[score].value_counts()
        assert sorted(sizes.index) == [1, 2, 3, 4, 5], score
        assert sizes.min() > 0.1 * len(table), (score, sizes.to_dict())
    grid = rf_grid(table)
    assert (grid.sum(axis=0) > 0).all() and (grid.sum(axis=1) > 0).all()
    # frequency scores follow the order count: one order is F = 1, two orders F = 2
    assert set(table.loc[table["orders"] == 1, "f"]) == {1}
    assert set(table.loc[table["orders"] == 2, "f"]) == {2}
