"""Behavioural clusters (k-means on scaled features) with a plain-language profile each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from tradewinds.audiences.features import BEHAVIOUR_COLUMNS, log_scaled
from tradewinds.i18n_markers import Number, Percent, Text


@dataclass(frozen=True)
class ClusterProfile:
    cluster: int
    name: Text
    customers: int
    share: float
    medians: dict[str, float]
    description: Text


@dataclass(frozen=True)
class Clustering:
    labels: pd.Series  # customer_id -> cluster number
    profiles: list[ClusterProfile]
    k: int
    silhouette: float


def _name(z: dict[str, float]) -> Text:
    if z["recency_days"] < -0.25:
        recency = Text("Recent")
    elif z["recency_days"] > 0.25:
        recency = Text("Lapsed")
    else:
        recency = Text("Steady")
    if z["orders"] > 0.5:
        habit = Text("repeat buyers")
    elif z["orders"] < -0.25:
        habit = Text("one-off buyers")
    else:
        habit = Text("occasional buyers")
    if z["aov"] > 0.5 or z["revenue"] > 0.75:
        return Text("%(recency)s %(habit)s, big baskets", recency=recency, habit=habit)
    if z["aov"] < -0.5:
        return Text("%(recency)s %(habit)s, small baskets", recency=recency, habit=habit)
    return Text("%(recency)s %(habit)s", recency=recency, habit=habit)


def _fmt(value: float, column: str) -> Number:
    return Number(value, 2 if column in {"revenue", "aov"} else 0)


def _describe(
    medians: dict[str, float], overall: dict[str, float], customers: int, share: float
) -> Text:
    figures = {c: _fmt(medians[c], c) for c in ("orders", "revenue", "aov")}
    figures |= {"all_" + c: _fmt(overall[c], c) for c in ("orders", "revenue", "aov")}
    return Text(
        "%(customers)s customers (%(share)s). Typical member: days since last order "
        "%(recency)s (all customers: %(all_recency)s); orders %(orders)s (all customers: "
        "%(all_orders)s); total spent %(revenue)s (all customers: %(all_revenue)s); "
        "average order value %(aov)s (all customers: %(all_aov)s).",
        customers=customers,
        share=Percent(share),
        recency=_fmt(medians["recency_days"], "recency_days"),
        **figures,
        all_recency=_fmt(overall["recency_days"], "recency_days"),
    )


def cluster_customers(
    features: pd.DataFrame,
    *,
    k: int | None = None,
    k_range: range = range(2, 8),
    random_state: int = 0,
    sample_size: int = 2000,
) -> Clustering:
    """k-means on log-scaled, standardised behaviour; k by silhouette when not given.

    ``features`` is indexed by customer_id with the columns of ``features.behaviour``.
    """
    frame = features[list(BEHAVIOUR_COLUMNS)]
    if len(frame) < 3:
        raise ValueError("clustering needs at least 3 customers")
    x = StandardScaler().fit_transform(log_scaled(frame))
    rng = np.random.default_rng(random_state)
    sample = rng.choice(len(x), size=min(sample_size, len(x)), replace=False)
    candidates = [k] if k else [c for c in k_range if c < len(frame)]
    best_k, best_score = candidates[0], -2.0
    if len(candidates) > 1:
        # choose k on a sample (silhouette is quadratic in the number of points)
        for c in candidates:
            labels = KMeans(n_clusters=c, n_init=2, random_state=random_state).fit_predict(
                x[sample]
            )
            score = silhouette_score(x[sample], labels) if len(set(labels)) > 1 else -1.0
            if score > best_score:
                best_k, best_score = c, score
    model = KMeans(n_clusters=best_k, n_init=4, random_state=random_state).fit(x)
    if best_score == -2.0:
        labels = model.labels_[sample]
        best_score = silhouette_score(x[sample], labels) if len(set(labels)) > 1 else -1.0
    score = best_score
    labels = model.labels_
    overall = frame.median().to_dict()
    z_all = pd.DataFrame(x, columns=frame.columns)
    profiles = []
    for c in range(model.n_clusters):
        members = labels == c
        medians = frame[members].median().to_dict()
        z = z_all[members].mean().to_dict()
        n = int(members.sum())
        share = n / len(frame)
        profiles.append(
            ClusterProfile(c, _name(z), n, share, medians, _describe(medians, overall, n, share))
        )
    # disambiguate identical names
    seen: dict[str, int] = {}
    for i, p in enumerate(profiles):
        seen[p.name] = seen.get(p.name, 0) + 1
        if seen[p.name] > 1:
            profiles[i] = ClusterProfile(
                p.cluster,
                Text("%(name)s (%(n)s)", name=p.name, n=seen[p.name]),
                p.customers,
                p.share,
                p.medians,
                p.description,
            )
    profiles.sort(key=lambda p: -p.medians["revenue"])
    return Clustering(
        pd.Series(labels, index=frame.index, name="cluster"),
        profiles,
        model.n_clusters,
        float(score),
    )
