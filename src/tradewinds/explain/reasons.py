"""Top reasons from per-feature contributions (see the package docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

Direction = Literal["up", "down", "both"]


class _Model(Protocol):  # anything shap.TreeExplainer accepts
    pass


@dataclass(frozen=True)
class Reason:
    """One feature's push on one row's score.

    ``contribution`` is in the model's raw output units (log-odds for a classifier): positive
    pushes the score up. ``value`` is the row's value of the feature (``None`` when missing).
    """

    feature: str
    value: float | None
    contribution: float


@dataclass(frozen=True)
class RowExplanation:
    """A row's score split into a base value and its features' contributions."""

    base_value: float
    output: float
    reasons: list[Reason] = field(default_factory=list)


def _value(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def top_reasons(
    contributions: np.ndarray,
    values: np.ndarray,
    feature_names: Sequence[str],
    *,
    base_value: float | Sequence[float] = 0.0,
    top: int = 3,
    direction: Direction = "up",
    min_abs: float = 0.0,
) -> list[RowExplanation]:
    """Rank each row's contributions (``n_rows × n_features``) and keep the ``top`` ones.

    ``direction="up"`` keeps the features that raise the score (largest first), ``"down"``
    those that lower it (most negative first), ``"both"`` the largest in absolute size.
    Contributions whose size is ``min_abs`` or less are left out.
    """
    contrib = np.asarray(contributions, dtype=float)
    vals = np.asarray(values, dtype=float)
    if contrib.ndim != 2 or contrib.shape != vals.shape:
        raise ValueError("contributions and values must both be n_rows × n_features")
    if contrib.shape[1] != len(feature_names):
        raise ValueError(f"{contrib.shape[1]} contributions per row for {len(feature_names)} names")
    bases = np.broadcast_to(np.asarray(base_value, dtype=float), (contrib.shape[0],))
    key = {"up": -contrib, "down": contrib, "both": -np.abs(contrib)}[direction]
    k = min(top, contrib.shape[1])
    order = np.argsort(key, axis=1, kind="stable")[:, :k]
    out = []
    for i in range(contrib.shape[0]):
        reasons = []
        for j in order[i]:
            c = float(contrib[i, j])
            if (
                abs(c) <= min_abs
                or (direction == "up" and c <= 0)
                or (direction == "down" and c >= 0)
            ):
                continue
            reasons.append(Reason(feature_names[j], _value(vals[i, j]), c))
        out.append(RowExplanation(float(bases[i]), float(bases[i] + contrib[i].sum()), reasons))
    return out


def tree_shap(model: _Model, values: np.ndarray) -> tuple[np.ndarray, float]:
    """SHAP values (``n_rows × n_features``, raw output units) and the base value of a tree
    model for a binary or single-output model, with ``shap.TreeExplainer``."""
    import warnings

    import shap

    explainer = shap.TreeExplainer(model)
    with warnings.catch_warnings():  # shap's notice that a binary model's output is a list
        warnings.simplefilter("ignore", UserWarning)
        shap_values = explainer.shap_values(np.asarray(values, dtype=float))
    expected = explainer.expected_value
    if isinstance(shap_values, list):  # older shap: one array per class
        shap_values = shap_values[-1]
        expected = expected[-1]
    shap_values = np.asarray(shap_values)
    if shap_values.ndim == 3:  # (rows, features, classes)
        shap_values = shap_values[:, :, -1]
        expected = np.asarray(expected).ravel()[-1]
    return shap_values, float(np.asarray(expected).ravel()[0])


def tree_reasons(
    model: _Model,
    values: np.ndarray,
    feature_names: Sequence[str],
    *,
    top: int = 3,
    direction: Direction = "up",
    min_abs: float = 0.0,
) -> list[RowExplanation]:
    """The top SHAP reasons of a tree model for each row of ``values``."""
    contrib, base = tree_shap(model, values)
    return top_reasons(
        contrib,
        values,
        feature_names,
        base_value=base,
        top=top,
        direction=direction,
        min_abs=min_abs,
    )


def linear_reasons(
    values: np.ndarray,
    *,
    coef: Sequence[float] | np.ndarray,
    intercept: float,
    feature_names: Sequence[str],
    baseline: Sequence[float] | np.ndarray | None = None,
    top: int = 3,
    direction: Direction = "up",
    min_abs: float = 0.0,
) -> list[RowExplanation]:
    """Contributions ``coef × (value − baseline)`` of a linear model (``baseline``: the
    features' training means; zeros when not given, as for standardised features)."""
    vals = np.atleast_2d(np.asarray(values, dtype=float))
    weights = np.asarray(coef, dtype=float).ravel()
    ref = np.zeros_like(weights) if baseline is None else np.asarray(baseline, dtype=float)
    contrib = (vals - ref) * weights
    base = float(intercept + float(ref @ weights))
    return top_reasons(
        contrib,
        vals,
        feature_names,
        base_value=base,
        top=top,
        direction=direction,
        min_abs=min_abs,
    )
