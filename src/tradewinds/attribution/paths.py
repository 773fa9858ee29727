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


def _in_report(when: np.datetime64, options: PathOptions) -> bool:
    if options.start is not None and when < np.datetime64(_naive(options.start)):
        return False
    return not (options.end is not None and when >= np.datetime64(_naive(options.end)))


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None) if value.tzinfo is None else (
        pd.Timestamp(value).tz_convert("UTC").tz_localize(None).to_pydatetime()
    )


def _utc_naive(series: pd.Series) -> np.ndarray:
    values = pd.to_datetime(series, utc=True)
    return values.dt.tz_localize(None).to_numpy(dtype="datetime64[us]")


def build_paths(
    touches: pd.DataFrame, conversions: pd.DataFrame, *, options: PathOptions | None = None
) -> PathTable:
    """Paths from ``touches`` (columns person, occurred_at, channel) and ``conversions``
    (columns person, occurred_at, value). Touch ages (days before the path's end) are kept
    for the time-decay model."""
    opts = options or PathOptions()
    lookback = np.timedelta64(int(opts.lookback.total_seconds() * 1_000_000), "us")
    t = touches.dropna(subset=["person"])
    c = conversions.dropna(subset=["person"])
    t_time = _utc_naive(t["occurred_at"]) if len(t) else np.array([], dtype="datetime64[us]")
    c_time = _utc_naive(c["occurred_at"]) if len(c) else np.array([], dtype="datetime64[us]")
    events = pd.DataFrame({
        "person": np.concatenate([t["person"].astype(str).to_numpy(),
                                  c["person"].astype(str).to_numpy()]),
        "time": np.concatenate([t_time, c_time]),
        "kind": np.concatenate([np.zeros(len(t), dtype=np.int8), np.ones(len(c), dtype=np.int8)]),
        "channel": np.concatenate([t["channel"].astype(str).to_numpy(),
                                   np.full(len(c), "", dtype=object)]),
        "value": np.concatenate([np.zeros(len(t)),
                                 c["value"].astype(float).fillna(0.0).to_numpy()]),
    })
    # touches sort before a conversion at the same instant
    events = events.sort_values(["person", "time", "kind"], kind="stable")
    paths: list[list[str]] = []
    ages: list[list[float]] = []
    conv: list[float] = []
    value: list[float] = []
    nulls: list[float] = []

    def emit(touch_list: list[tuple[np.datetime64, str]], end: np.datetime64, converted: bool,
             amount: float) -> None:
        window = [(w, ch) for w, ch in touch_list if end - lookback <= w <= end]
        if not window:
            if not converted:
                return
            window = [(end, opts.untracked_channel)]
        paths.append([ch for _, ch in window])
        ages.append([float((end - w) / DAY) for w, _ in window])
        conv.append(1.0 if converted else 0.0)
        value.append(amount if converted else 0.0)
        nulls.append(0.0 if converted else 1.0)

    person_col = events["person"].to_numpy()
    time_col = events["time"].to_numpy()
    kind_col = events["kind"].to_numpy()
    channel_col = events["channel"].to_numpy()
    value_col = events["value"].to_numpy()
    pending: list[tuple[np.datetime64, str]] = []
    for i in range(len(events)):
        if i and person_col[i] != person_col[i - 1]:
            if pending and _in_report(pending[-1][0], opts):
                emit(pending, pending[-1][0], False, 0.0)
            pending = []
        if kind_col[i] == 0:
            pending.append((time_col[i], channel_col[i]))
            continue
        if _in_report(time_col[i], opts):
            emit(pending, time_col[i], True, float(value_col[i]))
        pending = []
    if pending and _in_report(pending[-1][0], opts):
        emit(pending, pending[-1][0], False, 0.0)

    table = PathTable.from_sequences(paths, conv, value, nulls, ages)
    return table.collapse_repeats() if opts.collapse_repeats else table
