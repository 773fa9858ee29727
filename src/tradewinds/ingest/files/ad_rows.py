"""Turning converted ad-report columns into canonical ``ad_spend_daily`` rows."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from tradewinds.i18n_markers import Text
from tradewinds.ingest.files.base import Cells
from tradewinds.ingest.parsing import units_to_decimal
from tradewinds.ingest.spec import conform, table

AD_SPEND = table("ad_spend_daily")
_KEY_TEXT = ("account_id", "campaign_id", "ad_group_id", "ad_id", "country", "device")
_SUMMED = ("impressions", "clicks", "spend", "conversions", "conversion_value")

_DEVICES = {
    "computers": "desktop",
    "computer": "desktop",
    "desktop": "desktop",
    "pc": "desktop",
    "mobile phones": "mobile",
    "mobile": "mobile",
    "mobile phone": "mobile",
    "mobile_app": "mobile",
    "mobile_web": "mobile",
    "iphone": "mobile",
    "android_smartphone": "mobile",
    "smartphone": "mobile",
    "tablets": "tablet",
    "tablet": "tablet",
    "ipad": "tablet",
    "android_tablet": "tablet",
}


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    from babel import Locale

    names = {
        name.lower(): code
        for code, name in Locale("en").territories.items()
        if len(code) == 2 and code.isalpha()
    }
    names.update(
        {
            "united states of america": "US",
            "usa": "US",
            "uk": "GB",
            "eire": "IE",
            "south korea": "KR",
            "russia": "RU",
            "czech republic": "CZ",
            "vietnam": "VN",
            "turkey": "TR",
        }
    )
    return names


def country_code(values: pd.Series) -> pd.Series:
    """English country names -> ISO 3166-1 alpha-2; codes stay; unknown names stay as written."""
    codes = _country_codes()
    known = set(codes.values())

    def one(v: object) -> object:
        if v is None or pd.isna(v):
            return None
        s = str(v).strip()
        if s.upper() in known and len(s) == 2:
            return s.upper()
        return codes.get(s.lower(), s)

    return values.map(one).astype("object")


def device_name(values: pd.Series) -> pd.Series:
    return values.map(
        lambda v: None if v is None or pd.isna(v) else _DEVICES.get(str(v).strip().lower(), "other")
    ).astype("object")


def ad_spend_frame(cells: Cells, columns: dict[str, pd.Series], *, platform: str) -> pd.DataFrame:
    """Canonical rows from converted columns (money as ``Int64`` units).

    Rows with errors are dropped. ``campaign_id`` falls back to the campaign name when the
    export has no id. Rows of one file that share the whole primary key (same day, campaign,
    ad group, ad, country, device — e.g. a report split by a dimension the table does not
    keep) are added up into one row.
    """
    n = len(cells)
    data = {
        name: columns.get(name, pd.Series([None] * n, dtype="object"))
        for name in AD_SPEND.column_names
    }
    frame = pd.DataFrame({k: v.reset_index(drop=True) for k, v in data.items()})
    frame["platform"] = platform
    frame["source"] = cells.file
    frame["campaign_id"] = frame["campaign_id"].where(
        frame["campaign_id"].notna(), frame["campaign_name"]
    )
    missing_campaign = frame["campaign_id"].isna()
    cells.reject(
        missing_campaign.to_numpy() & ~cells.bad,
        "campaign",
        Text("a campaign name or id is required"),
        values=frame["campaign_id"].astype(str),
    )
    frame = frame[~cells.bad].reset_index(drop=True)
    for c in _KEY_TEXT:
        frame[c] = frame[c].where(frame[c].notna(), "").astype(str)
    key = list(AD_SPEND.primary_key)
    if frame.duplicated(key).any():
        agg = {c: "sum" for c in _SUMMED}
        agg.update({c: "first" for c in frame.columns if c not in key and c not in _SUMMED})
        summed = frame.groupby(key, sort=False, dropna=False).agg(agg).reset_index()
        for c in _SUMMED:  # a sum of nothing but empty cells stays empty
            has = frame.groupby(key, sort=False, dropna=False)[c].count().to_numpy() > 0
            summed[c] = summed[c].astype("Int64").where(has, pd.NA)
        frame = summed
    frame = frame.reset_index(drop=True)
    for c in ("spend", "conversions", "conversion_value"):
        frame[c] = units_to_decimal(frame[c].astype("Int64"))
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return conform(AD_SPEND, frame)


AD_PERIOD = table("ad_spend_period")
_PERIOD_KEY_TEXT = ("account_id", "dimension", "dimension_value", "campaign_id")


def ad_period_frame(columns: dict[str, pd.Series], *, platform: str, source: str) -> pd.DataFrame:
    """Canonical ``ad_spend_period`` rows from converted columns (money as ``Int64`` units).

    Rows sharing the whole primary key (two lines of one report for the same landing page
    and campaign) are added up into one row.
    """
    n = len(next(iter(columns.values()))) if columns else 0
    data = {
        name: columns.get(name, pd.Series([None] * n, dtype="object"))
        for name in AD_PERIOD.column_names
    }
    frame = pd.DataFrame({k: v.reset_index(drop=True) for k, v in data.items()})
    frame["platform"] = platform
    frame["source"] = source
    for c in _PERIOD_KEY_TEXT:
        frame[c] = frame[c].where(frame[c].notna(), "").astype(str)
    key = list(AD_PERIOD.primary_key)
    if len(frame) and frame.duplicated(key).any():
        groups = frame.groupby(key, sort=False, dropna=False)
        agg = {c: "sum" for c in _SUMMED}
        agg.update({c: "first" for c in frame.columns if c not in key and c not in _SUMMED})
        summed = groups.agg(agg).reset_index()
        for c in _SUMMED:  # a sum of nothing but empty cells stays empty
            has = groups[c].count().to_numpy() > 0
            summed[c] = summed[c].astype("Int64").where(has, pd.NA)
        frame = summed
    frame = frame.reset_index(drop=True)
    for c in ("spend", "conversions", "conversion_value"):
        frame[c] = units_to_decimal(frame[c].astype("Int64"))
    for c in ("period_start", "period_end"):
        frame[c] = pd.to_datetime(frame[c]).dt.date
    return conform(AD_PERIOD, frame)
