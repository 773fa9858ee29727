from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from tradewinds.attribution.pathtable import PathTable

from .strategies import path_tables


@settings(max_examples=40, deadline=None)
@given(table=path_tables(with_ages=True))
def test_collapse_repeats(table: PathTable) -> None:
    collapsed = table.collapse_repeats()
    for before, after in zip(table.sequences(), collapsed.sequences(), strict=True):
        expected = [c for k, c in enumerate(before) if k == len(before) - 1 or before[k + 1] != c]
        assert after == expected
    assert collapsed.ages is not None and len(collapsed.ages) == len(collapsed.touches)


@settings(max_examples=40, deadline=None)
@given(table=path_tables())
def test_aggregate_merges_identical_paths(table: PathTable) -> None:
    merged = table.aggregate()
    totals: dict[tuple[str, ...], list[float]] = {}
    for path, c, v, n in zip(
        table.sequences(), table.conversions, table.value, table.nulls, strict=True
    ):
        acc = totals.setdefault(tuple(path), [0.0, 0.0, 0.0])
        acc[0] += c
        acc[1] += v
        acc[2] += n
    assert [tuple(p) for p in merged.sequences()] == list(totals)
    got = np.column_stack([merged.conversions, merged.value, merged.nulls])
    assert np.allclose(got, np.array(list(totals.values())))


def test_validation() -> None:
    with pytest.raises(ValueError, match="at least one touch"):
        PathTable.from_sequences([["a"], []], [1, 1])
    with pytest.raises(ValueError, match="negative"):
        PathTable.from_sequences([["a"]], [-1])
    with pytest.raises(ValueError, match="distinct"):
        PathTable.from_sequences([["a", "b"]], [1]).rename({"a": "b"})
