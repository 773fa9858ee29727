"""Customer paths from touchpoints and conversions (pure; no warehouse access here).

For every person (identities stitched: a touch made under an anonymous id counts for the
customer that id was later linked to), touches and conversions are put in time order.
Each conversion gets the touches since the previous conversion that lie within the
lookback window before it; a conversion with no such touch gets the path ``direct``.
Touches after a person's last conversion form a *null path* (a journey that has not
converted), limited to the lookback window before its last touch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from tradewinds.attribution.pathtable import PathTable

DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class PathOptions:
    lookback: timedelta = timedelta(days=30)
    collapse_repeats: bool = False
    untracked_channel: str = "direct"  # path of a conversion with no touch in the window
    start: datetime | None = None  # report conversions (and null paths) ending from here...
    end: datetime | None = None  # ...to before here


def person_ids(
    customer_ids: pd.Series, anonymous_ids: pd.Series, identities: Mapping[str, str]
) -> pd.Series:
    """Who made each touch: the customer id, else the customer its anonymous id was linked
    to, else the anonymous id itself (prefixed ``anon:``)."""
    customer = customer_ids.astype(object).where(customer_ids.notna(), None)
    anonymous = anonymous_ids.astype(object).where(anonymous_ids.notna(), None)
    out = []
    for cust, anon in zip(customer, anonymous, strict=True):
        if cust:
            out.append(str(cust))
        elif anon and anon in identities:
            out.append(str(identities[anon]))
        elif anon:
            out.append(f"anon:{anon}")
        else:
            out.append(None)
    return pd.Series(out, index=customer_ids.index, dtype=object)


def _naive(value: datetime) -> datetime:
    return (
        value.replace(tzinfo=None)
        if value.tzinfo is None
        else (pd.Timestamp(value).tz_convert("UTC").tz_localize(None).to_pydatetime())
    )


def _utc_naive(series: pd.Series) -> np.ndarray:
    values = pd.to_datetime(series, utc=True)
    return values.dt.tz_localize(None).to_numpy(dtype="datetime64[us]")


def build_paths(
    touches: pd.DataFrame, conversions: pd.DataFrame, *, options: PathOptions | None = None
) -> PathTable:
    """Paths from ``touches`` (columns person, occurred_at, channel) and ``conversions``
    (columns person, occurred_at, value). Touch ages (days before the path's end) are kept
    for the time-decay model.

    Vectorised: events are sorted by person and time; a new *segment* starts at every new
    person and after every conversion, so each segment is one journey that ends either in
    its conversion or (the person's last segment) without one.
    """
    opts = options or PathOptions()
    lookback = np.timedelta64(int(opts.lookback.total_seconds() * 1_000_000), "us")
    t = touches.dropna(subset=["person"])
    c = conversions.dropna(subset=["person"])
    t_time = _utc_naive(t["occurred_at"]) if len(t) else np.array([], dtype="datetime64[us]")
    c_time = _utc_naive(c["occurred_at"]) if len(c) else np.array([], dtype="datetime64[us]")
    person, _ = pd.factorize(
        np.concatenate(
            [
                t["person"].astype(str).to_numpy(dtype=object),
                c["person"].astype(str).to_numpy(dtype=object),
            ]
        )
    )
    channel_codes, channel_names = pd.factorize(t["channel"].astype(str).to_numpy(dtype=object))
    when = np.concatenate([t_time, c_time])
    kind = np.concatenate([np.zeros(len(t), dtype=np.int8), np.ones(len(c), dtype=np.int8)])
    channel = np.concatenate([channel_codes, np.full(len(c), -1)]).astype(np.int64)
    value = np.concatenate(
        [np.zeros(len(t)), pd.to_numeric(c["value"], errors="coerce").fillna(0.0).to_numpy(float)]
    )
    # touches sort before a conversion at the same instant
    order = np.lexsort((kind, when, person))
    person, when, kind, channel, value = (a[order] for a in (person, when, kind, channel, value))
    n = len(order)
    if n == 0:
        return PathTable.from_sequences([], [], ages=[])
    new_segment = np.ones(n, dtype=bool)
    new_segment[1:] = (person[1:] != person[:-1]) | (kind[:-1] == 1)
    segment = np.cumsum(new_segment) - 1
    starts = np.flatnonzero(new_segment)
    ends = np.r_[starts[1:] - 1, n - 1]
    converted = kind[ends] == 1
    end_time = when[ends]
    in_report = np.ones(len(ends), dtype=bool)
    if opts.start is not None:
        in_report &= end_time >= np.datetime64(_naive(opts.start))
    if opts.end is not None:
        in_report &= end_time < np.datetime64(_naive(opts.end))
    keep_touch = (kind == 0) & in_report[segment] & (when >= end_time[segment] - lookback)
    per_segment = np.bincount(segment[keep_touch], minlength=len(ends))
    untracked = in_report & converted & (per_segment == 0)
    keep_segment = in_report & (converted | (per_segment > 0))
    # the untracked channel gets the next code
    untracked_code = len(channel_names)
    seg_all = np.concatenate([segment[keep_touch], np.flatnonzero(untracked)])
    code_all = np.concatenate([channel[keep_touch], np.full(int(untracked.sum()), untracked_code)])
    time_all = np.concatenate([when[keep_touch], end_time[untracked]])
    by_segment = np.argsort(seg_all, kind="stable")
    seg_all, code_all, time_all = seg_all[by_segment], code_all[by_segment], time_all[by_segment]
    ages = (end_time[seg_all] - time_all) / DAY
    kept = np.flatnonzero(keep_segment)
    lengths = np.bincount(seg_all, minlength=len(ends))[kept]
    names = [*map(str, channel_names), opts.untracked_channel]
    # codes in order of first appearance; the untracked name may equal a real channel
    used, first = np.unique(code_all, return_index=True)
    used = used[np.argsort(first, kind="stable")]
    final_names: dict[str, int] = {}
    remap = np.zeros(len(names), dtype=np.int64)
    for code in used:
        remap[code] = final_names.setdefault(names[code], len(final_names))
    table = PathTable(
        channels=tuple(final_names),
        offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        touches=remap[code_all] if len(code_all) else np.zeros(0, dtype=np.int64),
        conversions=converted[kept].astype(float),
        value=np.where(converted[kept], value[ends[kept]], 0.0),
        nulls=(~converted[kept]).astype(float),
        ages=ages.astype(float),
    )
    return table.collapse_repeats() if opts.collapse_repeats else table


def split_untracked(table: PathTable, name: str) -> tuple[PathTable, float, float]:
    """``table`` without the paths made only of the untracked channel ``name`` (conversions
    with no tracked touch), and how many conversions and how much value those held."""
    if name not in table.channels or table.n_paths == 0:
        return table, 0.0, 0.0
    code = table.channels.index(name)
    is_code = (table.touches == code).astype(np.int64)
    only = np.minimum.reduceat(is_code, table.offsets[:-1]) == 1
    gone, gone_value = float(table.conversions[only].sum()), float(table.value[only].sum())
    keep_path = ~only
    keep_touch = keep_path[table.path_index] & (table.touches != code)
    lengths = np.bincount(table.path_index[keep_touch], minlength=table.n_paths)[keep_path]
    channels = tuple(c for i, c in enumerate(table.channels) if i != code)
    touches = table.touches[keep_touch]
    touches = np.where(touches > code, touches - 1, touches)
    kept = PathTable(
        channels=channels,
        offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        touches=touches.astype(np.int64),
        conversions=table.conversions[keep_path],
        value=table.value[keep_path],
        nulls=table.nulls[keep_path],
        ages=None if table.ages is None else table.ages[keep_touch],
    )
    return kept, gone, gone_value
