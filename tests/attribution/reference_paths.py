"""A plain event-by-event implementation of path building, to check the vectorised one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tradewinds.attribution.paths import DAY, PathOptions, _naive
from tradewinds.attribution.pathtable import PathTable


def _in_report(when: np.datetime64, options: PathOptions) -> bool:
    if options.start is not None and when < np.datetime64(_naive(options.start)):
        return False
    return not (options.end is not None and when >= np.datetime64(_naive(options.end)))


def _utc_naive(series: pd.Series) -> np.ndarray:
    values = pd.to_datetime(series, utc=True)
    return values.dt.tz_localize(None).to_numpy(dtype="datetime64[us]")


def reference_build_paths(
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
    events = pd.DataFrame(
        {
            "person": np.concatenate(
                [t["person"].astype(str).to_numpy(), c["person"].astype(str).to_numpy()]
            ),
            "time": np.concatenate([t_time, c_time]),
            "kind": np.concatenate(
                [np.zeros(len(t), dtype=np.int8), np.ones(len(c), dtype=np.int8)]
            ),
            "channel": np.concatenate(
                [t["channel"].astype(str).to_numpy(), np.full(len(c), "", dtype=object)]
            ),
            "value": np.concatenate(
                [np.zeros(len(t)), c["value"].astype(float).fillna(0.0).to_numpy()]
            ),
        }
    )
    # touches sort before a conversion at the same instant
    events = events.sort_values(["person", "time", "kind"], kind="stable")
    paths: list[list[str]] = []
    ages: list[list[float]] = []
    conv: list[float] = []
    value: list[float] = []
    nulls: list[float] = []

    def emit(
        touch_list: list[tuple[np.datetime64, str]],
        end: np.datetime64,
        converted: bool,
        amount: float,
    ) -> None:
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
