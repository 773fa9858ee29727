"""Invalid-click rate and wasted spend: the one definition every screen of this
capability reads.

* **invalid-click rate** of a group = flagged clicks ÷ logged clicks of the group;
* **wasted spend** of a campaign = its ad spend in the period × its invalid-click rate;
  of a placement, network or country = Σ over its flagged clicks of their campaign's cost
  per logged click (spend ÷ logged clicks), so the parts add up to the campaigns' total.

Spend is the Overview's (``analytics``: ad-spend rows plus the even daily share of period
reports), in the reporting currency; a campaign is matched on (network = platform,
campaign name). Clicks whose campaign has no spend in the period add no wasted spend.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from tradewinds.fraud.schemas import BreakdownRowPublic
from tradewinds.i18n_markers import N_

DEFINITION = N_(
    "Estimate: each campaign's ad spend × its share of invalid clicks; placements, networks "
    "and countries get their invalid clicks × their campaign's cost per click."
)
CENT = Decimal("0.01")


def money(value: float | None) -> Decimal | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def campaign_key(network: pd.Series, campaign: pd.Series) -> pd.Series:
    return network.astype(str).str.lower() + "\x1f" + campaign.astype(str)


def breakdowns(
    frame: pd.DataFrame,
    flagged: np.ndarray,
    spend: dict[str, float],
    anomaly: dict[str, dict[str, float]] | None = None,
) -> dict[str, list[BreakdownRowPublic]]:
    """Rows per campaign, placement, network and country. ``spend``: campaign key
    (:func:`campaign_key`) → spend; ``anomaly``: dimension → key → anomaly score."""
    data = pd.DataFrame(
        {
            "campaign": frame["campaign"].astype(str).to_numpy(),
            "placement": frame["placement"].astype(str).to_numpy(),
            "network": frame["network"].astype(str).to_numpy(),
            "country": (frame["country"] if "country" in frame else pd.Series([""] * len(frame)))
            .astype(str)
            .to_numpy(),
            "key": campaign_key(frame["network"], frame["campaign"]).to_numpy(),
            "invalid": flagged.astype(np.int64),
        }
    )
    per_campaign = data.groupby("key")["invalid"].agg(["size", "sum"])
    cpc = {k: spend.get(k, np.nan) / n for k, n in per_campaign["size"].items()}
    data["cost"] = data["key"].map(cpc).astype(float)
    data["wasted"] = np.where(data["invalid"] == 1, data["cost"], 0.0)
    out: dict[str, list[BreakdownRowPublic]] = {}
    for dim, group_col in (
        ("campaigns", "key"),
        ("placements", "placement"),
        ("networks", "network"),
        ("countries", "country"),
    ):
        grouped = data.groupby(group_col).agg(
            clicks=("invalid", "size"),
            invalid=("invalid", "sum"),
            wasted=("wasted", lambda s: s.sum(min_count=1)),
            priced=("cost", lambda s: s.notna().any()),
        )
        rows = []
        for key, g in grouped.iterrows():
            label = str(key).split("\x1f", 1)[-1] if dim == "campaigns" else str(key)
            network = str(key).split("\x1f", 1)[0] if dim == "campaigns" else ""
            spent = spend.get(str(key)) if dim == "campaigns" else None
            wasted = g["wasted"] if bool(g["priced"]) else None
            rows.append(
                BreakdownRowPublic(
                    key=f"{network} · {label}" if network else (label or "—"),
                    clicks=int(g["clicks"]),
                    invalid_clicks=int(g["invalid"]),
                    invalid_rate=round(int(g["invalid"]) / int(g["clicks"]), 4),
                    spend=money(spent),
                    wasted_spend=money(wasted),
                    anomaly=(anomaly or {}).get(dim, {}).get(str(key)),
                )
            )
        rows.sort(key=lambda r: (-(r.wasted_spend or 0), -r.invalid_clicks, r.key))
        out[dim] = rows
    return out
