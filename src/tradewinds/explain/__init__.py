"""Why a model scored a row as it did: the top reasons behind each score.

One small API serves every scored list in Tradewinds (invalid clicks, churn, lookalikes):

* :func:`tree_reasons` — SHAP values of a tree ensemble (LightGBM, XGBoost, scikit-learn
  forests and gradient boosting) through the ``shap`` package's exact TreeSHAP.
* :func:`linear_reasons` — coefficient × (value − baseline) contributions of a linear or
  logistic model (exact Shapley values for a linear model with independent features).
* :func:`top_reasons` — the same ranking over contributions you already have.

Each returns one :class:`RowExplanation` per row: the model's base value, the row's output
(both in the model's raw units, log-odds for a classifier) and its :class:`Reason` list,
largest push first in the direction asked for. Plain dataclasses: a page, a CSV or a JSON
answer shows them as they are.

>>> import numpy as np
>>> rows = linear_reasons(np.array([[2.0, 0.0]]), coef=[1.5, -1.0], intercept=0.1,
...                       feature_names=["orders", "days_since"], top=1)
>>> rows[0].reasons[0].feature, rows[0].reasons[0].contribution
('orders', 3.0)
"""

from tradewinds.explain.reasons import (
    Reason,
    RowExplanation,
    linear_reasons,
    top_reasons,
    tree_reasons,
)

__all__ = ["Reason", "RowExplanation", "linear_reasons", "top_reasons", "tree_reasons"]
