"""Lookalikes: score customers who are not (yet) among the best by how much they resemble them.

A regularised logistic regression learns "best customer vs everyone else" from behaviour
(log-scaled, standardised) and geography (one-hot market). Its coefficients are readable,
so each candidate's score comes with the features that pushed it up the most.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from tradewinds.audiences.features import BEHAVIOUR_COLUMNS, FEATURE_LABELS, log_scaled


@dataclass(frozen=True)
class LookalikeResult:
    scores: pd.DataFrame  # customer_id, score, top_features (list of str)
    weights: pd.Series  # feature -> coefficient (positive = more like the best customers)


def _design(
    features: pd.DataFrame, markets: pd.Series | None, top_markets: list[str]
) -> tuple[np.ndarray, list[str]]:
    behaviour = log_scaled(features[list(BEHAVIOUR_COLUMNS)])
    names = [FEATURE_LABELS[c] for c in BEHAVIOUR_COLUMNS]
    parts = [behaviour]
    if markets is not None and top_markets:
        m = markets.reindex(features.index).fillna("").astype(str).to_numpy()
        parts.append(np.column_stack([(m == t).astype(float) for t in top_markets]))
        names += [f"market {t}" for t in top_markets]
    return np.hstack(parts), names


def score_lookalikes(
    features: pd.DataFrame,
    *,
    seed: pd.Index | list[str],
    candidates: pd.Index | list[str],
    markets: pd.Series | None = None,
    exclude_from_model: tuple[str, ...] = (),
    max_markets: int = 15,
    top_n_features: int = 3,
) -> LookalikeResult:
    """Score ``candidates`` (customer ids in ``features``) by resemblance to ``seed``.

    ``exclude_from_model`` drops behaviour columns the seed was defined by (e.g. "revenue"
    when the seed is "top 10% by revenue") so the model learns what else marks them out.
    """
    seed_idx = features.index.isin(pd.Index(seed))
    if seed_idx.sum() < 2:
        raise ValueError("the seed audience needs at least 2 customers")
    if seed_idx.all():
        raise ValueError("every customer is in the seed; nothing to compare with")
    top_markets: list[str] = []
    if markets is not None:
        top_markets = (
            markets.reindex(features.index)
            .fillna("")
            .astype(str)
            .value_counts()
            .index[:max_markets]
            .tolist()
        )
        top_markets = [t for t in top_markets if t]
    x, names = _design(features, markets, top_markets)
    keep = [
        i
        for i, n in enumerate(names)
        if not any(FEATURE_LABELS.get(c) == n for c in exclude_from_model)
    ]
    x, names = x[:, keep], [names[i] for i in keep]
    scaler = StandardScaler().fit(x)
    xs = scaler.transform(x)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    model.fit(xs, seed_idx.astype(int))
    cand_mask = features.index.isin(pd.Index(candidates)) & ~seed_idx
    xc = xs[cand_mask]
    proba = model.predict_proba(xc)[:, 1]
    contributions = xc * model.coef_[0]
    order = np.argsort(-contributions, axis=1)[:, :top_n_features]
    explained = [[names[j] for j in row if contributions[i, j] > 0] for i, row in enumerate(order)]
    scores = pd.DataFrame(
        {"customer_id": features.index[cand_mask], "score": proba, "top_features": explained}
    ).sort_values("score", ascending=False, kind="stable")
    weights = pd.Series(model.coef_[0], index=names).sort_values(ascending=False)
    return LookalikeResult(scores.reset_index(drop=True), weights)
