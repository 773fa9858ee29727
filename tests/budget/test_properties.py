"""Properties of the transforms and the CSV reader, for any input."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.budget import adstock, saturation
from tradewinds.budget.reader import read_csv

spends = st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=60)


@given(spends, st.floats(0, 0.95))
def test_adstock_moves_spend_in_time_without_making_any(values, decay) -> None:
    x = np.array(values + [0.0] * (adstock.MAX_LAG + 1))
    out = adstock.geometric(x, decay)
    assert np.all(out >= -1e-9)
    assert abs(out.sum() - x.sum()) <= 1e-6 * max(x.sum(), 1.0)


@given(
    st.floats(0, 1e6, allow_nan=False),
    st.floats(0, 1e6, allow_nan=False),
    st.floats(1, 1e5),
    st.floats(0.5, 3),
)
def test_hill_is_a_share_that_grows_with_spend(a, b, k, s) -> None:
    low, high = sorted((a, b))
    assert 0 <= saturation.hill(low, k, s) <= saturation.hill(high, k, s) <= 1


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1e6, allow_nan=False), st.floats(0, 1e5, allow_nan=False)),
        min_size=1,
        max_size=30,
    )
)
def test_the_reader_gives_back_every_day_it_was_given(tmp_path_factory, rows) -> None:
    path = Path(tmp_path_factory.mktemp("csv")) / "daily.csv"
    days = np.arange(np.datetime64("2024-02-20"), np.datetime64("2024-02-20") + len(rows))
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "revenue", "google"])
        for day, (revenue, spend) in reversed(list(zip(days, rows, strict=True))):
            writer.writerow([str(day), repr(revenue), repr(spend)])
    data = read_csv(path)
    assert list(data.days) == list(days)
    assert data.revenue.tolist() == [r for r, _ in rows]
    assert data.spend["google"].tolist() == [s for _, s in rows]
