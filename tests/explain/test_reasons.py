"""Top reasons from SHAP values (tree models) and coefficient × value (linear models)."""

from __future__ import annotations

import numpy as np
import pytest

from tradewinds.explain import linear_reasons, top_reasons, tree_reasons


def test_linear_contributions_add_up_to_the_output():
    x = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0]])
    rows = linear_reasons(
        x,
        coef=[1.5, -1.0, 0.5],
        intercept=0.1,
        feature_names=["a", "b", "c"],
        top=3,
        direction="both",
    )
    for row, values in zip(rows, x, strict=True):
        assert row.output == pytest.approx(0.1 + values @ [1.5, -1.0, 0.5])
    assert [r.feature for r in rows[0].reasons] == ["a", "b"]  # c contributes nothing
    up = linear_reasons(x, coef=[1.5, -1.0, 0.5], intercept=0.0, feature_names="abc", top=1)
    assert up[1].reasons[0].feature == "c" and up[1].reasons[0].contribution == 0.5


def test_baseline_centres_the_contributions():
    rows = linear_reasons(
        np.array([[3.0]]), coef=[2.0], intercept=1.0, feature_names=["x"], baseline=[1.0]
    )
    assert rows[0].base_value == 3.0 and rows[0].reasons[0].contribution == 4.0


def test_top_reasons_direction_and_shape_checks():
    contrib = np.array([[0.2, -0.5, 0.1]])
    down = top_reasons(contrib, np.ones((1, 3)), ["a", "b", "c"], direction="down")
    assert [r.feature for r in down[0].reasons] == ["b"]
    with pytest.raises(ValueError):
        top_reasons(contrib, np.ones((1, 2)), ["a", "b", "c"])


def test_tree_shap_reasons_of_a_gradient_boosting_model():
    from sklearn.ensemble import GradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 3))
    y = (x[:, 0] + 0.1 * rng.normal(size=300) > 0).astype(int)
    model = GradientBoostingClassifier(n_estimators=20, max_depth=2, random_state=0).fit(x, y)
    rows = tree_reasons(model, x[:5], ["signal", "noise1", "noise2"], top=1, direction="both")
    assert all(r.reasons[0].feature == "signal" for r in rows)
    raw = model.decision_function(x[:5])
    contrib_sum = [r.output for r in rows]
    assert np.allclose(contrib_sum, raw, atol=1e-6)
