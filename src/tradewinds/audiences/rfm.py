"""RFM: recency, frequency and monetary quintile scores (1-5) and named segments.

The segment names and the score ranges that define them are data
(``data/rfm_segments.yaml``), validated on load: every (R, F, M) cell must map to a segment.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, Field, field_validator

SCORES = range(1, 6)


class SegmentRule(BaseModel):
    name: str
    r: tuple[int, int] = (1, 5)
    f: tuple[int, int] = (1, 5)
    m: tuple[int, int] = (1, 5)
    description: str = ""
    action: str = ""

    @field_validator("r", "f", "m")
    @classmethod
    def _range(cls, value: tuple[int, int]) -> tuple[int, int]:
        lo, hi = value
        if not (1 <= lo <= hi <= 5):
            raise ValueError(f"score range {list(value)} must satisfy 1 <= low <= high <= 5")
        return value

    def matches(self, r: np.ndarray, f: np.ndarray, m: np.ndarray) -> np.ndarray:
        return (
            (r >= self.r[0])
            & (r <= self.r[1])
            & (f >= self.f[0])
            & (f <= self.f[1])
            & (m >= self.m[0])
            & (m <= self.m[1])
        )


class SegmentMap(BaseModel):
    version: int = 1
    segments: list[SegmentRule] = Field(min_length=1)

    @field_validator("segments")
    @classmethod
    def _covers_every_cell(cls, segments: list[SegmentRule]) -> list[SegmentRule]:
        names = [s.name for s in segments]
        if len(set(names)) != len(names):
            raise ValueError("segment names must be unique")
        grid = np.array([(r, f, m) for r in SCORES for f in SCORES for m in SCORES])
        covered = np.zeros(len(grid), dtype=bool)
        for seg in segments:
            covered |= seg.matches(grid[:, 0], grid[:, 1], grid[:, 2])
        if not covered.all():
            r, f, m = grid[np.flatnonzero(~covered)[0]]
            raise ValueError(f"no segment covers R={r} F={f} M={m}")
        return segments

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.segments]

    def assign(self, r: np.ndarray, f: np.ndarray, m: np.ndarray) -> np.ndarray:
        """Segment name for each customer: the first rule that matches."""
        out = np.full(len(r), "", dtype=object)
        free = np.ones(len(r), dtype=bool)
        for seg in self.segments:
            hit = free & seg.matches(r, f, m)
            out[hit] = seg.name
            free &= ~hit
        return out


def load_segment_map(path: Path | str | None = None) -> SegmentMap:
    """The segment map from ``path`` or the one shipped with Tradewinds."""
    if path is None:
        return _default_map()
    return SegmentMap.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _default_map() -> SegmentMap:
    text = (
        resources.files("tradewinds.audiences")
        .joinpath("data/rfm_segments.yaml")
        .read_text(encoding="utf-8")
    )
    return SegmentMap.model_validate(yaml.safe_load(text))


def quintile_scores(values: np.ndarray | pd.Series, *, higher_is_better: bool = True) -> np.ndarray:
    """Scores 1-5 that split the customers into five populated groups, as near to fifths as
    ties allow.

    Equal values always share a score, so the cut between two scores can only fall between
    two distinct values. Each of the four cuts is put at the distinct-value edge nearest to
    its fifth (20 %, 40 %, 60 %, 80 % of customers), never on or before the previous cut, and
    leaving enough distinct values for the scores after it. So with at least five distinct
    values every score has customers: on Online Retail, where a third of the customers
    ordered once, F = 1 is one order, F = 2 two orders, F = 3 three, and so on — where cuts
    at fixed quintile positions left F = 2 empty. With fewer distinct values (k < 5) the k
    groups get scores spread over 1-5 (two values: 1 and 5; three: 1, 3, 5; four: 1, 2, 4,
    5), and when everyone is equal there is no information and everyone gets 3.
    """
    series = np.asarray(values, dtype=float)
    if not higher_is_better:
        series = -series
    n = len(series)
    if n == 0:
        return np.zeros(0, dtype=np.int8)
    distinct, group_of, counts = np.unique(series, return_inverse=True, return_counts=True)
    groups = len(distinct)
    if groups == 1:
        return np.full(n, 3, dtype=np.int8)
    if groups < 5:
        spread = {2: [1, 5], 3: [1, 3, 5], 4: [1, 2, 4, 5]}[groups]
        return np.asarray(spread, dtype=np.int8)[group_of]
    ends = np.cumsum(counts)  # customers at or below each distinct value
    cuts: list[int] = []  # index of the last distinct value of scores 1..4
    for k in range(1, 5):
        low = cuts[-1] + 1 if cuts else 0
        high = groups - 1 - (5 - k)  # leave one distinct value for each later score
        candidates = ends[low : high + 1]
        cuts.append(low + int(np.argmin(np.abs(candidates - k * n / 5))))
    score_of_group = np.searchsorted(np.asarray(cuts), np.arange(groups), side="left") + 1
    return score_of_group.astype(np.int8)[group_of]


def rfm_table(
    transactions: pd.DataFrame,
    *,
    as_of: pd.Timestamp | str,
    markets: pd.Series | None = None,
    segment_map: SegmentMap | None = None,
) -> pd.DataFrame:
    """One row per customer: recency_days, orders, revenue, R/F/M scores and segment.

    ``transactions`` has customer_id, date, amount (one row per order). ``markets``, if
    given, maps customer_id to a market (e.g. country): scores are then quintiles within
    each market instead of across the whole workspace.
    """
    smap = segment_map or load_segment_map()
    as_of = pd.Timestamp(as_of).normalize()
    tx = transactions[transactions["date"] <= as_of]
    codes, uniques = pd.factorize(tx["customer_id"], sort=True)
    n = len(uniques)
    day = tx["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    last = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last, codes, day)
    orders = np.bincount(codes, minlength=n)
    revenue = np.bincount(codes, weights=tx["amount"].to_numpy(dtype=float), minlength=n)
    as_of_day = np.datetime64(as_of.date(), "D").astype(np.int64)
    table = pd.DataFrame(
        {
            "customer_id": np.asarray(uniques, dtype=object),
            "recency_days": (as_of_day - last).astype(np.int64),
            "orders": orders.astype(np.int64),
            "revenue": revenue,
        }
    )
    if markets is not None:
        table["market"] = (
            pd.Series(markets).reindex(table["customer_id"]).fillna("").astype(str).to_numpy()
        )
        groups = table.groupby("market", sort=False).indices.values()
    else:
        groups = [np.arange(n)]
    r = np.zeros(n, dtype=np.int8)
    f = np.zeros(n, dtype=np.int8)
    m = np.zeros(n, dtype=np.int8)
    for idx in groups:
        r[idx] = quintile_scores(table["recency_days"].to_numpy()[idx], higher_is_better=False)
        f[idx] = quintile_scores(table["orders"].to_numpy()[idx])
        m[idx] = quintile_scores(table["revenue"].to_numpy()[idx])
    table["r"], table["f"], table["m"] = r, f, m
    table["segment"] = smap.assign(r, f, m)
    return table


def segment_sizes(table: pd.DataFrame, *, segment_map: SegmentMap | None = None) -> pd.DataFrame:
    """Customers and revenue per named segment, in the map's order (empty segments kept)."""
    smap = segment_map or load_segment_map()
    grouped = table.groupby("segment").agg(
        customers=("customer_id", "size"), revenue=("revenue", "sum")
    )
    out = grouped.reindex(smap.names).fillna(0)
    out["customers"] = out["customers"].astype(int)
    out["share"] = out["customers"] / max(len(table), 1)
    return out.reset_index(names="segment")


def rf_grid(table: pd.DataFrame) -> pd.DataFrame:
    """Customer counts by R (rows, 5 first) and F (columns) score: the RFM grid."""
    grid = pd.crosstab(table["r"], table["f"]).reindex(index=SCORES, columns=SCORES, fill_value=0)
    return grid.iloc[::-1]
