from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewinds.compliance.counting import length, overflow_start


def test_units() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert length(family, "chars") == 5
    assert length(family, "graphemes") == 1
    assert length("é", "bytes") == 2
    assert length("最佳a", "width") == 5
    with pytest.raises(ValueError):
        length("x", "words")


@given(
    st.text(max_size=40),
    st.sampled_from(["chars", "graphemes", "bytes", "width"]),
    st.integers(1, 30),
)
def test_overflow_start_agrees_with_length(text: str, unit: str, limit: int) -> None:
    start = overflow_start(text, unit, limit)
    if start is None:
        assert length(text, unit) <= limit
    else:
        assert length(text[:start], unit) <= limit < length(text, unit)
