"""Properties every model must have, run through the model catalog."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.attribution.models.catalog import MODEL_NAMES, ModelSettings, run_model
from tradewinds.attribution.pathtable import PathTable

from .strategies import path_tables

VARIANTS = [(m, ModelSettings()) for m in MODEL_NAMES if m not in ("markov", "shapley")] + [
    ("markov", ModelSettings(order=1)),
    ("markov", ModelSettings(order=2)),
    ("markov", ModelSettings(order=3)),
    ("markov", ModelSettings(order=4)),
    ("shapley", ModelSettings(shapley_variant="exact")),
    ("shapley", ModelSettings(shapley_variant="exact", shapley_worth="conversion_rate")),
    ("shapley", ModelSettings(shapley_variant="simplified")),
    ("position", ModelSettings(position_first=0.3, position_last=0.5)),
    ("time_decay", ModelSettings(half_life=2.5)),
]
IDS = [f"{m}-{i}" for i, (m, _) in enumerate(VARIANTS)]


@pytest.mark.parametrize(("model", "options"), VARIANTS, ids=IDS)
@settings(max_examples=20, deadline=None)
@given(table=path_tables())
def test_totals_are_preserved(model: str, options: ModelSettings, table: PathTable) -> None:
    credit = run_model(table, model, options)
    assert credit.conversions.sum() == pytest.approx(table.conversions.sum(), rel=1e-9)
    assert credit.value.sum() == pytest.approx(table.value.sum(), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(("model", "options"), VARIANTS, ids=IDS)
@settings(max_examples=12, deadline=None)
@given(table=path_tables(), data=st.data())
def test_renaming_channels_permutes_the_result(
    model: str, options: ModelSettings, table: PathTable, data: st.DataObject
) -> None:
    others = [c for c in table.channels if c != "direct"]  # direct keeps its meaning
    new_names = data.draw(st.permutations([f"ch{i}" for i in range(len(others))]))
    mapping = dict(zip(others, new_names, strict=True))
    before = run_model(table, model, options).by_channel()
    after = run_model(table.rename(mapping), model, options).by_channel()
    for old, new in mapping.items():
        assert after[new] == pytest.approx(before[old], rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(("model", "options"), VARIANTS, ids=IDS)
@settings(max_examples=12, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 6), min_size=1, max_size=8),
    conversions=st.lists(st.integers(0, 9), min_size=8, max_size=8),
    nulls=st.lists(st.integers(0, 9), min_size=8, max_size=8),
)
def test_one_channel_gets_everything(
    model: str,
    options: ModelSettings,
    lengths: list[int],
    conversions: list[int],
    nulls: list[int],
) -> None:
    n = len(lengths)
    conv = [c + (i == 0) for i, c in enumerate(conversions[:n])]
    table = PathTable.from_sequences(
        [["email"] * k for k in lengths], conv, [2.5 * c for c in conv], nulls[:n]
    )
    credit = run_model(table, model, options)
    assert credit.channels == ("email",)
    assert credit.conversions[0] == pytest.approx(sum(conv))
    assert credit.value[0] == pytest.approx(2.5 * sum(conv))


def test_unknown_model_is_refused() -> None:
    table = PathTable.from_sequences([["a"]], [1])
    with pytest.raises(ValueError, match="unknown model"):
        run_model(table, "magic")


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_channels_never_touched_by_converting_paths_get_nothing(model: str) -> None:
    table = PathTable.from_sequences(
        [["a", "b"], ["c"]], conversions=[3, 0], value=[30.0, 0.0], nulls=[1, 5]
    )
    credit = run_model(table, model).by_channel()
    assert credit["c"] == (0.0, 0.0)
    assert np.isclose(credit["a"][0] + credit["b"][0], 3)
