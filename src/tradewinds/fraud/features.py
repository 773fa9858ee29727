"""Per-click features for the models, computed from the click log alone (no labels).

Counts are made comparable between files of different lengths: counts per IP are per hour
of the file's span, counts of a placement or campaign are its share of the file's clicks.

=========================== ===========================================================
feature                     meaning
=========================== ===========================================================
``hour``                    the click's hour of day (UTC)
``ip_clicks_per_hour``      clicks from the click's IP, per hour of the file's span
``ip_hour_clicks``          clicks from the IP in the same clock hour
``ip_campaign_per_hour``    clicks from the IP on the same campaign (app), per hour
``ip_device_campaign_per_hour`` the same for one IP, device and campaign
``ip_campaigns``            distinct campaigns (apps) the IP clicked
``ip_placements``           distinct placements (channels) the IP clicked
``ip_devices``              distinct devices seen on the IP
``ip_device_campaigns``     distinct campaigns one IP and device clicked
``next_click_seconds``      seconds to the next click of the same IP, device and campaign
``prev_click_seconds``      seconds since the previous such click
``placement_share``         the placement's share of the file's clicks
``campaign_share``          the campaign's share of the file's clicks
``campaign_placement_share`` the campaign-and-placement pair's share
=========================== ===========================================================

Categorical columns (``CATEGORICAL``) are passed as they are; the supervised model encodes
them with its training vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tradewinds.fraud.clicks import ClickLog

NUMERIC = (
    "hour",
    "ip_clicks_per_hour",
    "ip_hour_clicks",
    "ip_campaign_per_hour",
    "ip_device_campaign_per_hour",
    "ip_campaigns",
    "ip_placements",
    "ip_devices",
    "ip_device_campaigns",
    "next_click_seconds",
    "prev_click_seconds",
    "placement_share",
    "campaign_share",
    "campaign_placement_share",
)
#: TalkingData's app, os, device type and channel; the placement and campaign of other logs
CATEGORICAL_TALKINGDATA = ("app", "os", "device_type", "channel")
CATEGORICAL_CLICKS = ("campaign", "placement", "network", "country")


@dataclass
class Features:
    numeric: pd.DataFrame
    categorical: pd.DataFrame
    #: the click's IP as a code, for the anomaly model's per-source table
    ip_code: np.ndarray


def dense(values: np.ndarray | pd.Series) -> np.ndarray:
    """Integer codes 0..k of ``values``: the values themselves (less their minimum) when they
    are integers of a modest range, else their factorized codes."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iu" and len(arr):
        low, high = int(arr.min()), int(arr.max())
        if high - low <= 4 * len(arr) + 1_000_000:
            return (arr - low).astype(np.int64)
    return pd.factorize(arr, use_na_sentinel=False)[0].astype(np.int64)


def codes(*columns: np.ndarray | pd.Series) -> np.ndarray:
    """One integer code per distinct combination of ``columns`` (0..k, dense enough for
    ``np.bincount``)."""
    out = dense(columns[0])
    for column in columns[1:]:
        c = dense(column)
        width = int(c.max(initial=0)) + 1
        top = int(out.max(initial=0)) + 1
        out = dense(out * width + c) if top * width < 2**62 else dense(dense(out) * width + c)
    return out


def group_size(key: np.ndarray) -> np.ndarray:
    return np.bincount(key)[key].astype(np.float64)


def distinct(key: np.ndarray, value: np.ndarray, pair: np.ndarray | None = None) -> np.ndarray:
    """For each row, the number of distinct ``value`` codes its ``key`` group holds
    (``pair``: the codes of (key, value) when already made)."""
    if pair is None:
        pair = codes(key, value)
    pair_key = np.zeros(int(pair.max(initial=-1)) + 1, dtype=np.int64)
    pair_key[pair] = key
    seen = np.zeros(len(pair_key), dtype=bool)
    seen[pair] = True
    per_key = np.bincount(pair_key[seen], minlength=int(key.max(initial=0)) + 1)
    return per_key[key].astype(np.float64)


def gaps(key: np.ndarray, seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seconds to the next and since the previous row of the same key (NaN when none)."""
    span = int(seconds.max(initial=0) - seconds.min(initial=0)) + 1
    if (int(key.max(initial=0)) + 1) * span < 2**62:
        order = np.argsort(key * span + (seconds - seconds.min(initial=0)), kind="stable")
    else:
        order = np.lexsort((seconds, key))
    k, s = key[order], seconds[order].astype(np.float64)
    same = k[1:] == k[:-1]
    step = np.where(same, s[1:] - s[:-1], np.nan)
    nxt = np.full(len(k), np.nan)
    prv = np.full(len(k), np.nan)
    nxt[:-1] = step
    prv[1:] = step
    out_next = np.empty_like(nxt)
    out_prev = np.empty_like(prv)
    out_next[order] = nxt
    out_prev[order] = prv
    return out_next, out_prev


def build(log: ClickLog) -> Features:
    frame = log.frame
    n = len(frame)
    seconds = frame["click_time"].to_numpy().astype("datetime64[s]").astype(np.int64)
    span_hours = (
        max(1.0, (seconds.max() - seconds.min() + log.resolution_seconds) / 3600) if n else 1.0
    )
    ip = dense(frame["ip"])
    device = dense(frame["device"])
    campaign = dense(frame["campaign"])
    placement = dense(frame["placement"])
    hour_slot = seconds // 3600
    ip_device = codes(ip, device)
    ip_campaign = codes(ip, campaign)
    ip_device_campaign = codes(ip_device, campaign)
    nxt, prv = gaps(ip_device_campaign, seconds)
    numeric = pd.DataFrame(
        {
            "hour": ((seconds // 3600) % 24).astype(np.float64),
            "ip_clicks_per_hour": group_size(ip) / span_hours,
            "ip_hour_clicks": group_size(codes(ip, hour_slot)),
            "ip_campaign_per_hour": group_size(ip_campaign) / span_hours,
            "ip_device_campaign_per_hour": group_size(ip_device_campaign) / span_hours,
            "ip_campaigns": distinct(ip, campaign, ip_campaign),
            "ip_placements": distinct(ip, placement),
            "ip_devices": distinct(ip, device, ip_device),
            "ip_device_campaigns": distinct(ip_device, campaign, ip_device_campaign),
            "next_click_seconds": nxt,
            "prev_click_seconds": prv,
            "placement_share": group_size(placement) / max(n, 1),
            "campaign_share": group_size(campaign) / max(n, 1),
            "campaign_placement_share": group_size(codes(campaign, placement)) / max(n, 1),
        }
    )
    names = CATEGORICAL_TALKINGDATA if log.format == "talkingdata" else CATEGORICAL_CLICKS
    categorical = pd.DataFrame({c: frame[c].to_numpy() for c in names if c in frame.columns})
    # the IP's position among the file's distinct addresses (the anomaly model's sources)
    return Features(numeric, categorical, pd.factorize(ip)[0].astype(np.int64))
