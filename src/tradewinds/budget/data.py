"""The workspace's own daily ad spend by channel and revenue by day, as the analytics layer
defines them (``analytics.service.metrics_report``: the figures ``spend`` and ``revenue``
of the Overview, in the reporting currency at each day's rate) — no figure of its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from tradewinds.budget.model import MediaData

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

#: the longest history a fit reads (two years of days)
MAX_DAYS = 730
#: a channel needs this share of all spend to be a series of its own
MIN_SHARE = 0.02
SEPARATOR = " · "


@dataclass(frozen=True)
class WorkspaceMedia:
    data: MediaData
    groups: dict[str, str]  # series -> channel
    countries: dict[str, str | None]  # series -> country (None: all countries)
    market: str | None  # ISO code of the country with most revenue
    version: str  # a digest of the figures: a new one means a new fit


def read(
    warehouse: Warehouse,
    *,
    currency: str,
    timezone: str,
    by_country: bool = False,
    country_limit: int = 10,
) -> WorkspaceMedia:
    """Daily spend per channel (or channel and country) and revenue per day over the last
    two years with data; raises ``ValueError`` when there is no ad spend or no revenue."""
    from tradewinds.analytics import service
    from tradewinds.analytics.filters import ReportScope
    from tradewinds.analytics.tax_due import alpha2

    first, last = service.data_bounds(warehouse=warehouse, timezone=timezone)
    if first is None or last is None:
        raise ValueError("no orders or ad spend yet: import them, or load the demo workspace")
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    spend_groups = ("day", "channel", "country") if by_country else ("day", "channel")
    scope = ReportScope(start=first, end=last, group_by=spend_groups, timezone=timezone)
    spend_rows = service.metrics_report(
        warehouse=warehouse, currency=currency, scope=scope, metrics=("spend",)
    ).rows
    revenue_scope = ReportScope(start=first, end=last, group_by=("day",), timezone=timezone)
    revenue_rows = service.metrics_report(
        warehouse=warehouse, currency=currency, scope=revenue_scope, metrics=("revenue",)
    ).rows
    by_market = ReportScope(start=first, end=last, group_by=("country",), timezone=timezone)
    market_rows = service.metrics_report(
        warehouse=warehouse, currency=currency, scope=by_market, metrics=("revenue",)
    ).rows
    spend_days = [date.fromisoformat(r["day"]) for r in spend_rows if r.get("spend")]
    if not spend_days:
        raise ValueError("no ad spend yet: import an ad-platform report first")
    start = min(spend_days)
    days = np.arange(np.datetime64(start), np.datetime64(last) + 1)
    index = {d: i for i, d in enumerate(days.astype(object))}
    revenue = np.zeros(len(days))
    for r in revenue_rows:
        i = index.get(date.fromisoformat(r["day"]))
        if i is not None:
            revenue[i] += float(r.get("revenue") or 0.0)
    if not revenue.any():
        raise ValueError("no revenue in the days with ad spend")
    series: dict[str, np.ndarray] = {}
    groups: dict[str, str] = {}
    countries: dict[str, str | None] = {}
    kept = _countries(spend_rows, country_limit) if by_country else set()
    for r in spend_rows:
        i = index.get(date.fromisoformat(r["day"]))
        if i is None or not r.get("spend"):
            continue
        channel = str(r["channel"])
        country = alpha2(r.get("country")) if by_country else None
        if by_country and (country is None or r.get("country") not in kept):
            continue
        name = f"{channel}{SEPARATOR}{country}" if country else channel
        series.setdefault(name, np.zeros(len(days)))[i] += float(r["spend"])
        groups[name], countries[name] = channel, country
    total = sum(float(v.sum()) for v in series.values()) or 1.0
    series = {k: v for k, v in sorted(series.items()) if v.sum() / total >= MIN_SHARE}
    top = max(market_rows, key=lambda r: float(r.get("revenue") or 0.0), default=None)
    market = alpha2(top.get("country")) if top else None
    data = MediaData(days=days, revenue=revenue, spend=series)
    digest = hashlib.sha256(revenue.round(2).tobytes())
    for name, values in series.items():
        digest.update(name.encode())
        digest.update(values.round(2).tobytes())
    return WorkspaceMedia(
        data=data,
        groups={k: groups[k] for k in series},
        countries={k: countries[k] for k in series},
        market=market,
        version=f"{currency}:{int(by_country)}:{digest.hexdigest()[:16]}",
    )


def _countries(rows: list[dict[str, object]], limit: int) -> set[object]:
    totals: dict[object, float] = {}
    for r in rows:
        totals[r.get("country")] = totals.get(r.get("country"), 0.0) + float(
            str(r.get("spend") or 0)
        )
    return set(sorted(totals, key=lambda c: -totals[c])[:limit])
