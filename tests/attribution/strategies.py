"""Hypothesis strategies shared by the attribution tests."""

from __future__ import annotations

from hypothesis import strategies as st

from tradewinds.attribution.pathtable import PathTable

NAMES = ("search", "social", "email", "direct", "display", "affiliate", "video", "sms")


@st.composite
def path_tables(
    draw, max_channels: int = 5, max_paths: int = 12, max_len: int = 5, with_ages: bool = False
) -> PathTable:
    n_channels = draw(st.integers(1, max_channels))
    names = NAMES[:n_channels]
    n_paths = draw(st.integers(1, max_paths))
    paths = [
        draw(st.lists(st.sampled_from(names), min_size=1, max_size=max_len)) for _ in range(n_paths)
    ]
    conversions = [draw(st.integers(0, 5)) for _ in range(n_paths)]
    # make sure something converts
    conversions[draw(st.integers(0, n_paths - 1))] += 1
    value = [draw(st.floats(0, 500, allow_nan=False)) * (c > 0) for c in conversions]
    nulls = [draw(st.integers(0, 6)) for _ in range(n_paths)]
    ages = None
    if with_ages:
        ages = [
            sorted((draw(st.floats(0, 40, allow_nan=False)) for _ in p), reverse=True)
            for p in paths
        ]
    return PathTable.from_sequences(paths, conversions, value, nulls, ages)
