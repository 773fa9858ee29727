"""Exclusion lists in the platforms' upload formats, from scored clicks.

* ``google_ip`` — Google Ads Editor CSV (Account → Import → From file): ``Campaign``,
  ``IP address``, one row per campaign and flagged address. Google Ads takes up to 500
  IP exclusions per campaign: the addresses with the most invalid clicks come first and
  the list stops at 500 per campaign.
* ``google_placements`` — Google Ads Editor CSV of campaign placement exclusions:
  ``Campaign``, ``Placement`` (a site, app or YouTube channel as the reports name it).
* ``meta_block_list`` — a Meta block list: one publisher URL or app-store URL a line,
  no header (Business settings → Block lists → Upload).

A placement is excluded when at least half of its clicks (and at least ``MIN_INVALID``)
are flagged; an IP when at least ``MIN_INVALID`` of its clicks are.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from tradewinds.errors import InvalidInput
from tradewinds.fraud.clicks import ClickLog
from tradewinds.i18n_markers import Text

KINDS = ("google_ip", "google_placements", "meta_block_list")
MIN_INVALID = 2
MAX_IPS_PER_CAMPAIGN = 500
GOOGLE_IP_COLUMNS = ("Campaign", "IP address")
GOOGLE_PLACEMENT_COLUMNS = ("Campaign", "Placement")


def _flagged(log: ClickLog, flagged: np.ndarray) -> pd.DataFrame:
    frame = log.frame
    return pd.DataFrame(
        {
            "ip": frame["ip"].astype(str).to_numpy(),
            "campaign": frame["campaign"].astype(str).to_numpy(),
            "placement": frame["placement"].astype(str).to_numpy(),
            "network": frame["network"].astype(str).str.lower().to_numpy(),
            "invalid": flagged.astype(np.int64),
        }
    )


def google_ip(log: ClickLog, flagged: np.ndarray) -> list[tuple[str, str]]:
    data = _flagged(log, flagged)
    data = data[data["network"].isin(["google", ""])]
    counts = data.groupby(["campaign", "ip"])["invalid"].sum().reset_index()
    counts = counts[counts["invalid"] >= MIN_INVALID]
    counts = counts.sort_values(["campaign", "invalid", "ip"], ascending=[True, False, True])
    counts = counts.groupby("campaign").head(MAX_IPS_PER_CAMPAIGN)
    return [(c, ip) for c, ip in zip(counts["campaign"], counts["ip"], strict=True)]


def bad_placements(log: ClickLog, flagged: np.ndarray, network: str) -> pd.DataFrame:
    data = _flagged(log, flagged)
    data = data[(data["network"] == network) & (data["placement"] != "")]
    grouped = data.groupby(["campaign", "placement"])["invalid"].agg(["size", "sum"]).reset_index()
    bad = grouped[(grouped["sum"] >= MIN_INVALID) & (grouped["sum"] * 2 >= grouped["size"])]
    return bad.sort_values(["campaign", "sum"], ascending=[True, False])


def export(log: ClickLog, flagged: np.ndarray, kind: str) -> str:
    """The list ``kind`` (one of :data:`KINDS`) as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if kind == "google_ip":
        writer.writerow(GOOGLE_IP_COLUMNS)
        writer.writerows(google_ip(log, flagged))
    elif kind == "google_placements":
        writer.writerow(GOOGLE_PLACEMENT_COLUMNS)
        bad = bad_placements(log, flagged, "google")
        writer.writerows(zip(bad["campaign"], bad["placement"], strict=True))
    elif kind == "meta_block_list":
        bad = bad_placements(log, flagged, "meta")
        for placement in dict.fromkeys(bad["placement"]):
            writer.writerow([placement])
    else:
        raise InvalidInput(
            Text(
                "the list must be one of %(kinds)s: %(value)s", kinds=", ".join(KINDS), value=kind
            ),
            details={"field": "kind"},
        )
    return buffer.getvalue()
