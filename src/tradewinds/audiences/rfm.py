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
    """Scores 1-5 by quintile of position. Equal values share a score: the position of a
    tied group is (customers strictly worse) / (customers strictly worse + strictly better),
    so the many customers with exactly one order all get F = 1 and the best group gets 5.
    When everyone is equal there is no information and everyone gets 3."""
    series = pd.Series(np.asarray(values, dtype=float))
    if not higher_is_better:
        series = -series
    n = len(series)
    if n == 0:
        return np.zeros(0, dtype=np.int8)
    below = series.rank(method="min").to_numpy() - 1
    above = n - series.rank(method="max").to_numpy()
    others = below + above
    position = np.divide(below, others, out=np.full(n, 0.5), where=others > 0)
    return (np.floor(position * 5) + 1).clip(1, 5).astype(np.int8)


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
