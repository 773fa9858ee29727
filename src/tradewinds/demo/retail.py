"""Demo shop: the real UCI Online Retail orders plus seeded ad spend, FX rates and events.

What is real and what is made up:

* **Orders are real**: every invoice line of the UCI Online Retail data set (a UK gift-ware
  seller, 2010-12-01 … 2011-12-09, in GBP), read from ``../shared/data/online_retail`` beside
  the checkout and imported through the normal file importer (so they show in the import
  history). Without that folder the shop imports the non-UK subset shipped in
  ``demo/data/`` instead (46,431 lines, CC BY 4.0), so the demo always has orders.
* **Ad spend is synthetic** (:func:`ad_spend_rows`): one row per day, platform, campaign and
  country for the same months on Google (billed in USD), Meta (EUR), TikTok (GBP) and Amazon
  Ads (USD). Daily budgets follow the shop's own weekly rhythm and its autumn peak;
  impressions and clicks follow each platform's typical CPM and CTR; platform-reported
  conversion values over-claim, as platforms do.
* **Exchange rates are real**: the ECB's reference rates that every workspace has from the
  install (``markets/fx_bundled.py``); :func:`fx_rows` reads the EUR→GBP and EUR→USD ones
  to price the synthetic ad spend in each platform's billing currency.
* **Storefront events are synthetic** (:func:`event_rows`): Product Viewed → Product Added →
  Checkout Started → Order Completed for the last 30 days of the data, with each visitor's
  ad source and country in ``context``.
* **Touchpoints** come from ``tradewinds.attribution.demo`` (its customer journeys and
  their orders, ending on the last day of the Online Retail data).

Everything is seeded: the same rows every time, and loading twice changes nothing.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

SEED = 2011
FIRST_DAY = date(2010, 12, 1)
LAST_DAY = date(2011, 12, 9)
PARTS = (
    "online_retail_2010-12_2011-04.csv.gz",
    "online_retail_2011-05_2011-08.csv.gz",
    "online_retail_2011-09_2011-12.csv.gz",
)
# platform -> (billing currency, share of budget, CPM in GBP, CTR, platform over-claim)
PLATFORMS: dict[str, tuple[str, float, float, float, float]] = {
    "google": ("USD", 0.40, 6.0, 0.035, 1.25),
    "meta": ("EUR", 0.30, 5.0, 0.012, 1.45),
    "tiktok": ("GBP", 0.12, 3.5, 0.009, 1.6),
    "amazon": ("USD", 0.18, 4.0, 0.004, 1.15),
}
CAMPAIGNS = {
    "google": ["Brand search", "Shopping - gifts", "Generic - home decor"],
    "meta": ["Prospecting - lookalike", "Retargeting - cart"],
    "tiktok": ["Spark ads - Christmas"],
    "amazon": ["Sponsored products"],
}
AD_COUNTRIES = {"GB": 0.70, "DE": 0.08, "FR": 0.08, "NL": 0.05, "IE": 0.05, "ES": 0.04}
DAILY_BUDGET_GBP = 2600.0
WORKSPACES = ("Demo Gift Shop",)
PACKAGED = Path(__file__).with_name("data") / "online_retail_non_uk.csv.gz"


def shared_data_dir() -> Path:
    """``../shared/data`` beside the checkout (where the real data sets live)."""
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


def fx_rows(
    *,
    start: date = FIRST_DAY - timedelta(days=10),
    end: date = LAST_DAY,
) -> list[dict[str, Any]]:
    """The ECB's EUR→GBP and EUR→USD reference rates for ``start`` … ``end``."""
    from tradewinds.markets.fx_bundled import bundled_rates

    return [
        {"date": r.date, "base": r.base, "quote": r.quote, "rate": r.rate, "source": r.source}
        for r in bundled_rates(start, end)
        if r.quote in ("GBP", "USD")
    ]


def _eur_rate(rates: list[dict[str, Any]]) -> dict[tuple[str, date], float]:
    table = {(r["quote"], r["date"]): float(r["rate"]) for r in rates}
    out: dict[tuple[str, date], float] = {}
    for quote in ("GBP", "USD"):
        last = None
        day = min(d for _, d in table)
        while day <= LAST_DAY:
            last = table.get((quote, day), last)
            out[(quote, day)] = last  # type: ignore[assignment]
            day += timedelta(days=1)
    return out


def ad_spend_rows(
    *,
    rates: list[dict[str, Any]],
    seed: int = SEED,
    budget_gbp: float = DAILY_BUDGET_GBP,
    countries: dict[str, float] | None = None,
    shop: str = "Demo gift shop",
) -> pd.DataFrame:
    """One row per day, platform, campaign and country (see the module docstring)."""
    rng = np.random.default_rng(seed + 1)
    eur = _eur_rate(rates)
    days = pd.date_range(FIRST_DAY, LAST_DAY, freq="D")
    doy = days.day_of_year.to_numpy()
    season = 1 + 0.6 * np.exp(-((((doy - 320) % 365) / 30.0) ** 2))  # November peak
    weekly = np.where(days.day_of_week.to_numpy() == 5, 0.6, 1.0)  # the shop is shut Saturdays
    records = []
    for platform, (currency, share, cpm, ctr, claim) in PLATFORMS.items():
        for ci, campaign in enumerate(CAMPAIGNS[platform]):
            for country, cshare in (countries or AD_COUNTRIES).items():
                n = len(days)
                base = budget_gbp * share / len(CAMPAIGNS[platform]) * cshare
                gbp = base * season * weekly * rng.lognormal(0, 0.18, n)
                impressions = np.maximum(gbp / cpm * 1000 * rng.lognormal(0, 0.1, n), 0)
                clicks = rng.binomial(impressions.astype(np.int64), ctr)
                conversions = rng.poisson(np.maximum(clicks * 0.03, 0))
                value_gbp = gbp * claim * (2.2 + 0.8 * ci / 3) * rng.lognormal(0, 0.25, n)
                for i, day in enumerate(days.date):
                    to_cur = 1.0
                    if currency != "GBP":
                        per_eur = 1.0 if currency == "EUR" else eur[(currency, day)]
                        to_cur = per_eur / eur[("GBP", day)]
                    records.append(
                        (
                            day,
                            platform,
                            f"{platform}-demo",
                            f"{shop} ({platform})",
                            f"{platform}-{ci + 1}",
                            campaign,
                            country,
                            int(impressions[i]),
                            int(clicks[i]),
                            round(gbp[i] * to_cur, 2),
                            int(conversions[i]),
                            round(value_gbp[i] * to_cur, 2),
                            currency,
                        )
                    )
    frame = pd.DataFrame.from_records(
        records,
        columns=[
            "date",
            "platform",
            "account_id",
            "account_name",
            "campaign_id",
            "campaign_name",
            "country",
            "impressions",
            "clicks",
            "spend",
            "conversions",
            "conversion_value",
            "currency",
        ],
    )
    frame["ad_group_id"] = ""
    frame["ad_id"] = ""
    frame["device"] = ""
    frame["source"] = "demo (synthetic)"
    for col in ("spend", "conversion_value", "conversions"):
        frame[col] = [Decimal(str(v)) for v in frame[col]]
    return frame


def event_rows(*, orders: pd.DataFrame, days: int = 30, seed: int = SEED) -> pd.DataFrame:
    """Funnel events for the last ``days`` of ``orders`` (columns ordered_at, country)."""
    rng = np.random.default_rng(seed + 2)
    end = pd.Timestamp(LAST_DAY, tz="UTC") + pd.Timedelta(days=1)
    start = end - pd.Timedelta(days=days)
    recent = orders[(orders["ordered_at"] >= start) & (orders["ordered_at"] < end)]
    buyers = len(recent)
    visitors = max(buyers * 12, 200)
    when = (start + pd.to_timedelta(rng.uniform(0, days * 86400, visitors), unit="s")).floor("s")
    countries = recent["country"].value_counts(normalize=True)
    iso = {
        "United Kingdom": "GB",
        "Germany": "DE",
        "France": "FR",
        "EIRE": "IE",
        "Netherlands": "NL",
        "Spain": "ES",
        "Belgium": "BE",
        "Switzerland": "CH",
    }
    country = rng.choice(
        [iso.get(c, "GB") for c in countries.index], size=visitors, p=countries.to_numpy()
    )
    sources = np.array(
        [
            ("google", "cpc"),
            ("facebook", "paid_social"),
            ("tiktok", "cpc"),
            ("amazon", "cpc"),
            ("newsletter", "email"),
            ("", ""),
        ],
        dtype=object,
    )
    pick = rng.choice(len(sources), size=visitors, p=[0.32, 0.22, 0.10, 0.06, 0.10, 0.20])
    device = rng.choice(["mobile", "desktop", "tablet"], size=visitors, p=[0.55, 0.38, 0.07])
    added = rng.random(visitors) < np.where(device == "desktop", 0.30, 0.22)
    checkout = added & (rng.random(visitors) < 0.55)
    done = checkout & (rng.random(visitors) < 0.62)
    steps = [
        ("Product Viewed", np.ones(visitors, bool), 0),
        ("Product Added", added, 90),
        ("Checkout Started", checkout, 400),
        ("Order Completed", done, 700),
    ]
    rows = []
    for name, mask, offset in steps:
        for v in np.flatnonzero(mask):
            src, med = sources[pick[v]]
            context: dict[str, Any] = {
                "location": {"country": str(country[v])},
                "device": {"type": str(device[v])},
            }
            if src:
                context["campaign"] = {"source": src, "medium": med}
            rows.append(
                {
                    "message_id": f"demo-ev-{v:07d}-{offset}",
                    "type": "track",
                    "event": name,
                    "anonymous_id": f"demo-visitor-{v:07d}",
                    "timestamp": (when[v] + pd.Timedelta(seconds=offset)).to_pydatetime(),
                    "properties": {},
                    "context": context,
                }
            )
    return pd.DataFrame(rows)


def import_orders(warehouse: Warehouse, workspace_key: str, paths: list[Path]) -> int:
    """Import order files through the normal importer and put each into the workspace's
    import history (the Data page and ``GET /api/v1/imports``); returns the lines read."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.ingest.history import record_command_line_import
    from tradewinds.ingest.service import import_file

    try:
        with session_scope() as session:
            workspace_id = session.scalar(
                select(Workspace.id).where(Workspace.key == workspace_key)
            )
    except SQLAlchemyError:  # a warehouse loaded without an app DB has no history to keep
        workspace_id = None
    stored = 0
    for path in paths:
        report = import_file(warehouse=warehouse, path=path)
        stored += report.read
        if workspace_id is not None:
            record_command_line_import(
                workspace_id=workspace_id, actor="demo", path=path, report=report
            )
    return stored


def order_files() -> tuple[list[Path], str]:
    """The Online Retail files to import, and where they come from."""
    folder = shared_data_dir() / "online_retail"
    if folder.exists():
        return [folder / part for part in PARTS], "Online Retail"
    return [PACKAGED], f"Online Retail non-UK subset shipped with Tradewinds ({folder} not found)"


def load(*, workspace_key: str) -> str:
    """Load the demo shop into ``workspace_key``'s warehouse (idempotent)."""
    from tradewinds.attribution.demo import journey_rows
    from tradewinds.warehouse import open_warehouse

    started = time.monotonic()
    files, origin = order_files()
    rates = fx_rows()
    with open_warehouse(workspace_key) as warehouse:
        warehouse.load("ad_spend_daily", ad_spend_rows(rates=rates))
        have = int(
            warehouse.query(
                "SELECT COUNT(*) AS n FROM orders WHERE storefront = 'online_retail'"
            ).scalar()
        )
        if have:
            note = f"Online Retail orders already loaded ({have:,} invoices)"
        else:
            lines = import_orders(warehouse, workspace_key, files)
            note = f"{origin} orders imported ({lines:,} invoice lines)"
        orders = warehouse.query_df(
            "SELECT ordered_at, country FROM orders WHERE storefront = 'online_retail' "
            "AND total > 0 AND ordered_at >= ?",
            [datetime.combine(LAST_DAY - timedelta(days=31), datetime.min.time())],
        )
        if not orders.empty:
            warehouse.load("events", event_rows(orders=orders))
        journeys = journey_rows(end=LAST_DAY, days=90, currency="GBP")
        for table in ("identities", "touchpoints", "orders"):
            warehouse.load(table, journeys[table])
        spend_rows = warehouse.count("ad_spend_daily")
        events = warehouse.count("events")
    took = time.monotonic() - started
    return (
        f"retail demo: {note}; {spend_rows:,} ad-spend rows (GBP, EUR, USD), ECB rates, "
        f"{events:,} storefront events, {len(journeys['touchpoints']):,} touchpoints "
        f"in {took:.0f} s"
    )
