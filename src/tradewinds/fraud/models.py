"""The two models of the fraud score.

* :class:`SourceAnomaly` — unsupervised: an isolation forest over *sources* (one row per
  IP, placement or campaign, with its click volume, spread and rhythm). Each source gets
  the forest's anomaly score ``s`` in (0, 1) (0.5 ≈ ordinary; Liu et al. 2008), mapped to
  ``a = clip(2s − 1, 0, 1)`` so ordinary sources score 0.
* :class:`AttributionModel` — supervised, where labels exist: LightGBM predicting
  ``label`` (the click led to an install or order, i.e. a *genuine* click) from the
  features of ``features.py``, categorical columns encoded with the training vocabulary.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tradewinds.errors import InvalidInput
from tradewinds.fraud.features import Features, codes, dense, distinct
from tradewinds.i18n_markers import Text

SOURCE_FEATURES = (
    "clicks",
    "distinct_devices",
    "distinct_campaigns",
    "distinct_placements",
    "peak_minute_clicks",
    "mean_gap_seconds",
)

LGBM_PARAMS: dict[str, float | int | str] = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 15,
    "max_depth": 5,
    "min_child_samples": 40,
    "min_sum_hessian_in_leaf": 1e-3,
    "colsample_bytree": 0.7,
    "subsample": 0.8,
    "subsample_freq": 1,
    "reg_lambda": 5.0,
    "scale_pos_weight": 20.0,
    "max_cat_to_onehot": 4,
    "cat_smooth": 20.0,
    "min_data_per_group": 50,
    "verbose": -1,
    "seed": 7,
}
ROUNDS = 100


def source_table(
    key: np.ndarray, frame: pd.DataFrame, seconds: np.ndarray, f: Features | None = None
) -> pd.DataFrame:
    """One row per source code of ``key`` with :data:`SOURCE_FEATURES`."""
    n_src = int(key.max(initial=-1)) + 1
    out = np.zeros((n_src, len(SOURCE_FEATURES)))
    out[:, 0] = np.bincount(key, minlength=n_src)
    # the features already hold each IP's distinct devices, campaigns and placements
    spread = (
        ("device", "ip_devices"),
        ("campaign", "ip_campaigns"),
        ("placement", "ip_placements"),
    )
    for j, (column, name) in enumerate(spread, 1):
        if f is not None and name in f.numeric:
            out[key, j] = f.numeric[name].to_numpy()
        else:
            out[key, j] = distinct(key, dense(frame[column]))
    minute = codes(key, seconds // 60)
    per_minute = np.bincount(minute)
    minute_key = np.zeros(len(per_minute), dtype=np.int64)
    minute_key[minute] = key
    peak = np.zeros(n_src)
    np.maximum.at(peak, minute_key, per_minute)
    out[:, 4] = peak
    # mean seconds between a source's clicks: its span over its clicks less one
    first = np.full(n_src, np.iinfo(np.int64).max)
    last = np.full(n_src, np.iinfo(np.int64).min)
    np.minimum.at(first, key, seconds)
    np.maximum.at(last, key, seconds)
    clicks = out[:, 0]
    whole = float(seconds.max() - seconds.min() + 86_400) if len(seconds) else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        out[:, 5] = np.where(clicks > 1, (last - first) / np.maximum(clicks - 1, 1), whole)
    return pd.DataFrame(out, columns=list(SOURCE_FEATURES))


@dataclass
class SourceAnomaly:
    """Isolation-forest anomaly of each source and each click's value (its source's)."""

    per_source: np.ndarray
    per_click: np.ndarray
    table: pd.DataFrame


def source_anomaly(
    key: np.ndarray, f: Features, frame: pd.DataFrame, *, seed: int = 0
) -> SourceAnomaly:
    from sklearn.ensemble import IsolationForest

    seconds = frame["click_time"].to_numpy().astype("datetime64[s]").astype(np.int64)
    table = source_table(key, frame, seconds, f if key is f.ip_code else None)
    if len(table) < 8:
        zeros = np.zeros(len(table))
        return SourceAnomaly(zeros, zeros[key] if len(key) else zeros, table)
    x = np.log1p(table.to_numpy())
    # sources with the same figures get the same score: score each distinct row once
    rounded = pd.DataFrame(np.round(x, 3))
    groups = rounded.groupby(list(rounded.columns), sort=False).ngroup().to_numpy()
    first = np.zeros(int(groups.max(initial=-1)) + 1, dtype=np.int64)
    first[groups[::-1]] = np.arange(len(groups))[::-1]
    distinct_rows = x[first]
    forest = IsolationForest(
        n_estimators=64, max_samples=min(256, len(x)), random_state=seed, n_jobs=1
    )
    # fit on at most 200k sources: the forest sees 256 of them per tree anyway
    rng = np.random.default_rng(seed)
    fit_rows = x if len(x) <= 200_000 else x[rng.choice(len(x), 200_000, replace=False)]
    forest.fit(fit_rows)
    s = -forest.score_samples(distinct_rows)[groups]
    a = np.clip(2 * s - 1, 0, 1)
    return SourceAnomaly(a, a[key], table)


@dataclass
class AttributionModel:
    """LightGBM predicting that a click is genuine (led to an install or order)."""

    booster: object
    feature_names: list[str]
    categorical: list[str]
    vocab: dict[str, list[str]] = field(default_factory=dict)
    base_rate: float = 0.0
    label_rate: float = 0.0
    trained_on: int = 0

    def matrix(self, f: Features) -> pd.DataFrame:
        x = f.numeric.copy()
        for column in self.categorical:
            if column not in f.categorical:
                x[column] = np.nan
                continue
            values = f.categorical[column]
            vocab = self.vocab[column]
            if values.dtype.kind in "iu" and all(v.lstrip("-").isdigit() for v in vocab):
                index = pd.Index(np.array([int(v) for v in vocab], dtype=np.int64))
                found = index.get_indexer(values.to_numpy())
            else:
                found = pd.Index(vocab).get_indexer(values.astype(str))
            x[column] = np.where(found < 0, np.nan, found.astype(np.float64))
        return x[self.feature_names]

    def predict(self, f: Features) -> np.ndarray:
        """P(genuine) for each click."""
        # a plain contiguous array: LightGBM reads a DataFrame half again as slowly
        x = np.ascontiguousarray(self.matrix(f).to_numpy(dtype=np.float64))
        return np.asarray(self.booster.predict(x, num_threads=threads_for(len(x))))  # type: ignore[attr-defined]


def threads_for(rows: int) -> int:
    """LightGBM's threads: one below half a million rows (OpenMP's waiting costs more than
    it saves there, the more so on a busy machine), else every core."""
    return 1 if rows < 500_000 else (os.cpu_count() or 1)


def train(f: Features, labels: np.ndarray, *, rounds: int = ROUNDS) -> AttributionModel:
    import lightgbm as lgb

    labels = np.asarray(labels, dtype=np.int8)
    positives = int(labels.sum())
    if positives < 5 or positives == len(labels):
        raise InvalidInput(
            Text(
                "the training file needs both genuine and other clicks (it has %(positives)s "
                "attributed of %(clicks)s)",
                positives=positives,
                clicks=len(labels),
            ),
            details={"field": "is_attributed"},
        )
    categorical = list(f.categorical.columns)
    vocab = {}
    for column in categorical:
        counts = f.categorical[column].astype(str).value_counts()
        vocab[column] = [str(v) for v in counts.index[counts >= 1]]
    model = AttributionModel(None, list(f.numeric.columns) + categorical, categorical, vocab)
    x = model.matrix(f)
    data = lgb.Dataset(x, label=labels, categorical_feature=categorical, free_raw_data=True)
    params = dict(LGBM_PARAMS)
    params["num_threads"] = threads_for(len(labels))
    model.booster = lgb.train(params, data, num_boost_round=rounds)
    # π of scoring.py: the average training click's predicted chance of being genuine
    model.base_rate = float(np.mean(model.booster.predict(x, num_threads=params["num_threads"])))
    model.label_rate = positives / len(labels)
    model.trained_on = len(labels)
    return model
