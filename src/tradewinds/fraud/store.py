"""A workspace's clicks: click files imported into ``HOME/fraud/<workspace>/clicks/`` and
the collector's page events that carry an ad click id (gclid, fbclid, ttclid, msclkid).

Imported files stay as they were given (checked on import), named
``<stem>.<format>.csv``; a workspace may also keep its own ``rules.yaml`` beside them.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from tradewinds.fraud import clicks
from tradewinds.fraud.rules import RuleSet, load_rules

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

CLICK_ID_PARAMS = {
    "gclid": "google",
    "gbraid": "google",
    "wbraid": "google",
    "fbclid": "meta",
    "ttclid": "tiktok",
    "msclkid": "microsoft",
}


def home(workspace_key: str) -> Path:
    from tradewinds.config import get_settings

    return get_settings().home_dir / "fraud" / workspace_key


def rules_for(workspace_key: str) -> RuleSet:
    """The workspace's own rules file when it has one, else the shipped rules."""
    own = home(workspace_key) / "rules.yaml"
    return load_rules(own if own.exists() else None)


def import_file(workspace_key: str, path: Path, fmt: str) -> clicks.ClickLog:
    """Check a click file and keep a copy in the workspace (same name: replaced)."""
    log = clicks.read(path, fmt)
    folder = home(workspace_key) / "clicks"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", path.name.split(".")[0]) or "clicks"
    target = folder / f"{stem}.{fmt}.csv"
    if path.suffix == ".gz":
        target = target.with_suffix(".csv.gz")
    shutil.copyfile(path, target)
    return log


def files(workspace_key: str) -> list[tuple[Path, str]]:
    folder = home(workspace_key) / "clicks"
    out = []
    for path in sorted(folder.glob("*.csv*")) if folder.exists() else []:
        parts = path.name.split(".")
        fmt = parts[1] if len(parts) > 2 and parts[1] in clicks.FORMATS else "clicks"
        out.append((path, fmt))
    return out


def _page_events(warehouse: Warehouse, start: datetime, end: datetime) -> pd.DataFrame:
    rows = warehouse.query(
        "SELECT message_id, timestamp, properties, context FROM events "
        "WHERE type = 'page' AND timestamp >= $start AND timestamp < $end",
        {"start": start, "end": end},
    ).rows
    out = []
    for message_id, ts, properties, context in rows:
        props = properties if isinstance(properties, dict) else json.loads(properties or "{}")
        ctx = context if isinstance(context, dict) else json.loads(context or "{}")
        url = str(props.get("url") or (ctx.get("page") or {}).get("url") or "")
        query = parse_qs(urlsplit(url).query)
        found = [(p, n) for p, n in CLICK_ID_PARAMS.items() if query.get(p)]
        if not found:
            continue
        param, network = found[0]
        campaign = ctx.get("campaign") or {}
        out.append(
            {
                "click_id": query[param][0],
                "click_time": pd.Timestamp(ts).isoformat(),
                "ip": str(ctx.get("ip") or ""),
                "user_agent": str(ctx.get("userAgent") or ""),
                "referrer": str(props.get("referrer") or ""),
                "country": str((ctx.get("location") or {}).get("country") or ""),
                "campaign": str(campaign.get("name") or (query.get("utm_campaign") or [""])[0]),
                "placement": str((query.get("placement") or [""])[0]),
                "network": network,
                "page_views": "1",
                "message_id": message_id,
            }
        )
    frame = pd.DataFrame(out)
    return frame[frame["ip"] != ""] if len(frame) else frame


def workspace_clicks(
    workspace_key: str, warehouse: Warehouse | None, start: datetime, end: datetime
) -> tuple[clicks.ClickLog | None, list[str]]:
    """The workspace's clicks from ``start`` (inclusive) to ``end`` (exclusive), UTC, in the
    collector's click-log layout, and where they came from."""
    frames: list[pd.DataFrame] = []
    sources: list[str] = []
    for path, fmt in files(workspace_key):
        log = clicks.read(path, fmt)
        if log.format != "clicks":
            continue  # TalkingData files are scored from the command line
        frame = log.frame
        keep = (frame["click_time"] >= pd.Timestamp(start).tz_localize(None)) & (
            frame["click_time"] < pd.Timestamp(end).tz_localize(None)
        )
        if keep.any():
            frames.append(frame.loc[keep])
            sources.append(path.name)
    if warehouse is not None:
        events = _page_events(warehouse, start, end)
        if len(events):
            frames.append(clicks.clicks_from_frame(events.astype("string"), source="events").frame)
            sources.append("collector page events")
    if not frames:
        return None, sources
    frame = pd.concat(frames, ignore_index=True).sort_values("click_time", kind="stable")
    frame = frame.reset_index(drop=True)
    for column in ("campaign", "placement", "network", "country", "user_agent", "click_id"):
        if column in frame.columns:
            frame[column] = frame[column].fillna("")
    return clicks.ClickLog(frame, "clicks", ", ".join(sources), 1, True), sources
