"""Lookalikes: rank customers outside a seed audience by how much they resemble it.

The seed is any set of customers — a saved segment, an RFM segment, a rule, an uploaded
list. A regularised logistic regression learns "seed vs everyone else" from behaviour
(log-scaled, standardised: recency, orders, spend, basket size, tenure), geography (one-hot
market) and **taste**: each customer's position on the main axes of the customer × product
purchase matrix (a truncated SVD), so "buys the same kind of products" counts as much as
"spends the same". Scores are probabilities, calibrated by Platt scaling on cross-validated
folds (scikit-learn's ``CalibratedClassifierCV``), so 0.3 means about three in ten
customers so scored look like seed members. The coefficients are readable, so each
candidate's score comes with the features that pushed it up the most.

:func:`holdout_lift` says how good the ranking is for *this* seed: a quarter of the seed is
hidden, the model learns from the rest, and the lift@10% is how many times more hidden
seed members the top 10% of the ranking holds than a random 10% would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.decomposition import TruncatedSVD
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from tradewinds.audiences.features import BEHAVIOUR_COLUMNS, FEATURE_LABELS, log_scaled
from tradewinds.i18n_markers import N_, Text
from tradewinds.recommend.matrix import PurchaseMatrix

#: the share of the seed hidden to measure the lift
HOLDOUT_SHARE = 0.25


@dataclass(frozen=True)
class LookalikeResult:
    scores: pd.DataFrame  # customer_id, score, top_features (list of str)
    weights: pd.Series  # feature -> coefficient (positive = more like the seed)


@dataclass(frozen=True)
class LookalikeEvaluation:
    lift_at_10: float  # hidden seed members in the top 10%, against a random 10% (= 1.0)
    champions_lift: float | None  # the same for the RFM Champions segment, as a ranking
    held_out: int
    pool: int


_BUYS = N_("buys products like %(product)s")
_LIKES = N_("likes what the seed buys (%(product)s)")
_MARKET = N_("market %(market)s")
_FEATURE_PATTERNS = (
    (re.compile(r"^buys products like (?P<product>.+?)(?: \((?P<n>\d+)\))?$"), _BUYS),
    (re.compile(r"^likes what the seed buys \((?P<product>.*)\)$"), _LIKES),
    (re.compile(r"^market (?P<market>.+)$"), _MARKET),
)
#: the behaviour features' names, for translation
BEHAVIOUR_NAMES = {label: N_(label) for label in FEATURE_LABELS.values()}


def feature_text(name: str) -> Text:
    """A feature's name as a sentence to translate where it is shown ("market DE" →
    ``Text("market %(market)s", market="DE")``)."""
    for pattern, msgid in _FEATURE_PATTERNS:
        found = pattern.match(name)
        if found:
            values = {k: v for k, v in found.groupdict().items() if k != "n"}
            return Text(msgid, **values)
    return Text(BEHAVIOUR_NAMES.get(name, name))


def taste(
    purchases: PurchaseMatrix, titles: pd.Series | None = None, *, components: int = 12
) -> pd.DataFrame:
    """Customers x taste axes: the truncated SVD of the purchase matrix (rows scaled to unit
    length, so a wholesaler's thousand products and a one-off buyer's three count alike).
    Each column is named after the product that loads most on it."""
    m = purchases.matrix
    k = min(components, min(m.shape) - 1)
    if k < 1:
        return pd.DataFrame(index=purchases.customers)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    scaled = m.multiply(1.0 / np.maximum(norms, 1e-9)[:, None]).tocsr()
    svd = TruncatedSVD(n_components=k, random_state=0)
    values = svd.fit_transform(scaled)
    names = []
    for axis in range(k):
        loading = svd.components_[axis]
        if values[:, axis].mean() < 0:  # point each axis towards its buyers
            values[:, axis] *= -1
            loading = -loading
        item = purchases.items[int(np.argmax(loading))]
        title = titles.get(item) if titles is not None else None
        names.append(_BUYS % {"product": title or item})
    # two axes led by the same product stay apart
    seen: dict[str, int] = {}
    for i, n in enumerate(names):
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            names[i] = f"{n} ({seen[n]})"
    return pd.DataFrame(values, index=purchases.customers, columns=names)


def seed_affinity(
    purchases: PurchaseMatrix,
    seed: pd.Index,
    predicted: np.ndarray,
    titles: pd.Series | None = None,
    *,
    min_buyers: int = 5,
) -> pd.Series:
    """How much each customer is predicted to like the seed's typical products.

    A product's weight is how over-represented the seed is among its buyers (the log of
    (seed buyers + 1) / (buyers + 2) against the seed's share of all customers; products
    with fewer than ``min_buyers`` buyers or under-represented ones weigh 0); a customer's
    affinity is the recommender's predicted scores (``predicted``, customers x products, e.g.
    EASE) summed with those weights, log-damped. The series is named after the seed's most
    typical product."""
    m = purchases.matrix
    in_seed = purchases.customers.isin(seed).astype(float)
    base = in_seed.mean()
    if base == 0:
        return pd.Series(0.0, index=purchases.customers, name="likes the seed's products")
    seed_buyers = m.T @ in_seed
    buyers = np.asarray(m.sum(axis=0)).ravel()
    weight = np.log(((seed_buyers + 1) / (buyers + 2)) / base)
    weight[(buyers < min_buyers) | (weight < 0)] = 0.0
    affinity = np.log1p(np.maximum(np.asarray(predicted) @ weight, 0.0))
    # the seed's typical product: the most over-represented of those a tenth of it bought
    common = seed_buyers >= 0.1 * in_seed.sum()
    ranked = np.where(common, weight, -np.inf) if common.any() else weight
    typical = purchases.items[int(np.argmax(ranked))]
    title = titles.get(typical) if titles is not None else None
    return pd.Series(
        affinity, index=purchases.customers, name=_LIKES % {"product": title or typical}
    )


def _design(
    features: pd.DataFrame,
    markets: pd.Series | None,
    top_markets: list[str],
    tastes: pd.DataFrame | None,
) -> tuple[np.ndarray, list[str]]:
    behaviour = log_scaled(features[list(BEHAVIOUR_COLUMNS)])
    names = [FEATURE_LABELS[c] for c in BEHAVIOUR_COLUMNS]
    parts = [behaviour]
    if markets is not None and top_markets:
        m = markets.reindex(features.index).fillna("").astype(str).to_numpy()
        parts.append(np.column_stack([(m == t).astype(float) for t in top_markets]))
        names += [_MARKET % {"market": t} for t in top_markets]
    if tastes is not None and not tastes.empty:
        parts.append(tastes.reindex(features.index).fillna(0.0).to_numpy(dtype=float))
        names += list(tastes.columns)
    return np.hstack(parts), names


def _top_markets(markets: pd.Series | None, index: pd.Index, limit: int) -> list[str]:
    if markets is None:
        return []
    counts = markets.reindex(index).fillna("").astype(str).value_counts()
    return [t for t in counts.index[:limit].tolist() if t]


def _fit(
    xs: np.ndarray, y: np.ndarray
) -> tuple[LogisticRegression, LogisticRegression | CalibratedClassifierCV]:
    """The readable model (for reasons) and the calibrated one (for scores)."""
    base = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    base.fit(xs, y)
    folds = int(min(3, y.sum(), (1 - y).sum()))
    if folds < 2:
        return base, base
    calibrated = CalibratedClassifierCV(
        LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000),
        method="sigmoid",
        cv=folds,
    )
    calibrated.fit(xs, y)
    return base, calibrated


def score_lookalikes(
    features: pd.DataFrame,
    *,
    seed: pd.Index | list[str],
    candidates: pd.Index | list[str],
    markets: pd.Series | None = None,
    tastes: pd.DataFrame | None = None,
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
    top_markets = _top_markets(markets, features.index, max_markets)
    x, names = _design(features, markets, top_markets, tastes)
    excluded = {FEATURE_LABELS.get(c) for c in exclude_from_model}
    keep = [i for i, n in enumerate(names) if n not in excluded]
    x, names = x[:, keep], [names[i] for i in keep]
    xs = StandardScaler().fit_transform(x)
    base, calibrated = _fit(xs, seed_idx.astype(int))
    cand_mask = features.index.isin(pd.Index(candidates)) & ~seed_idx
    xc = xs[cand_mask]
    proba = calibrated.predict_proba(xc)[:, 1]
    contributions = xc * base.coef_[0]
    order = np.argsort(-contributions, axis=1)[:, :top_n_features]
    explained = [[names[j] for j in row if contributions[i, j] > 0] for i, row in enumerate(order)]
    scores = pd.DataFrame(
        {"customer_id": features.index[cand_mask], "score": proba, "top_features": explained}
    ).sort_values("score", ascending=False, kind="stable")
    weights = pd.Series(base.coef_[0], index=names).sort_values(ascending=False)
    return LookalikeResult(scores.reset_index(drop=True), weights)


def lift_at(ranked: pd.Series, outcome: pd.Series, *, share: float = 0.1) -> float:
    """How many times more often ``outcome`` holds in the top ``share`` of ``ranked``
    (customer -> score, higher first) than in all of it."""
    order = ranked.sort_values(ascending=False, kind="stable").index
    hit = outcome.reindex(order).fillna(False).astype(bool).to_numpy()
    base = hit.mean()
    if base == 0:
        return 0.0
    top = max(1, int(round(len(hit) * share)))
    return float(hit[:top].mean() / base)


def group_lift(members: pd.Index, outcome: pd.Series) -> float | None:
    """The outcome's rate among ``members`` against its rate in everyone of ``outcome``."""
    hit = outcome.astype(bool)
    inside = hit[hit.index.isin(members)]
    if inside.empty or hit.mean() == 0:
        return None
    return float(inside.mean() / hit.mean())


def holdout_lift(
    features: pd.DataFrame,
    *,
    seed: pd.Index,
    candidates: pd.Index,
    champions: pd.Index | None = None,
    markets: pd.Series | None = None,
    tastes: Callable[[pd.Index], pd.DataFrame | None] | None = None,
    exclude_from_model: tuple[str, ...] = (),
    rng_seed: int = 0,
) -> LookalikeEvaluation | None:
    """Hide a quarter of the seed, learn from the rest, and see where the hidden ones rank
    among the candidates (None when the seed is too small to split). ``tastes(seed)`` gives
    the taste features for a seed (they may depend on it, as :func:`seed_affinity` does)."""
    seed = pd.Index(seed).intersection(features.index)
    if len(seed) < 8:
        return None
    rng = np.random.default_rng(rng_seed)
    hidden = pd.Index(
        rng.choice(seed.to_numpy(), size=max(2, int(len(seed) * HOLDOUT_SHARE)), replace=False)
    )
    kept = seed.difference(hidden)
    pool = pd.Index(candidates).difference(seed).union(hidden)
    result = score_lookalikes(
        features,
        seed=kept,
        candidates=pool,
        markets=markets,
        tastes=tastes(kept) if tastes else None,
        exclude_from_model=exclude_from_model,
    )
    ranked = result.scores.set_index("customer_id")["score"]
    outcome = pd.Series(ranked.index.isin(hidden), index=ranked.index)
    champs = None
    # Champions as the alternative audience — not when the seed is (mostly) Champions, nor
    # when no seed member is one (another RFM segment: the segments do not overlap)
    if champions is not None and len(champions) and 0 < seed.isin(champions).mean() < 0.5:
        champs = group_lift(pd.Index(champions), outcome)
    return LookalikeEvaluation(lift_at(ranked, outcome), champs, len(hidden), len(ranked))
