"""Which ad-platform campaign each touch belongs to (pure: frames in, answers out).

Spend rows carry the platform's campaign id and name ("Brand search", 123456789); touches
carry what the seller put in the link (``utm_campaign=brand_search``, ``utm_id={campaignid}``)
and the click ids the platforms add. A touch reaches a campaign, most trusted first:

1. ``url_id``  — a campaign id in the landing URL (Google's ``gad_campaignid``, ValueTrack
   ``{campaignid}``, Meta ``{{campaign.id}}``, TikTok ``__CID__`` in ``utm_id``,
   ``campaignid``, ``campaign_id`` or ``cid``), or a numeric ``utm_campaign`` equal to an id;
2. ``mapping`` — the seller's own mapping of (platform, ``utm_campaign``) to a campaign;
3. ``name``    — on a paid touch of the platform, ``utm_campaign`` equal to the campaign
   name ignoring case, accents and punctuation ("brand_search" = "Brand search");
4. ``click_id`` — a ``gclid`` / ``fbclid`` / ``ttclid`` names the platform only (without the
   platform's click report nothing names the campaign), so it reaches a campaign only when
   that platform had exactly one campaign with spend that day.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, unquote_plus, urlsplit

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

#: landing-URL parameters that sellers (or Google itself: gad_campaignid) fill with an id
ID_PARAMS = ("gad_campaignid", "campaignid", "campaign_id", "utm_id", "cid", "hsa_cam")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")  # TermOnly
_PLACEHOLDER = re.compile(r"[{}]|^__\w+__$")
_PAID_MEDIUMS = frozenset(
    {
        "cpc",
        "ppc",
        "paid",
        "paid_social",
        "paidsocial",
        "paid-social",
        "cpm",
        "display",
        "sem",
        "paidsearch",
        "paid_search",
    }
)
_SOURCE_PLATFORM = {
    "google": "google",
    "adwords": "google",
    "google_ads": "google",
    "facebook": "meta",
    "fb": "meta",
    "instagram": "meta",
    "ig": "meta",
    "meta": "meta",
    "tiktok": "tiktok",
    "amazon": "amazon",
    "amazon_ads": "amazon",
}
CLICK_PLATFORM = {"gclid": "google", "fbclid": "meta", "ttclid": "tiktok"}
HOWS = ("url_id", "mapping", "name", "click_id")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def normalise(name: object) -> str:
    """A campaign name compared without case, accents or punctuation: "Shopping - Gifts"
    and "shopping_gifts" both give "shopping gifts" (and "SanAntonio" "san antonio")."""
    text = _CAMEL.sub(" ", unicodedata.normalize("NFKD", _text(name)))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _compact(name: object) -> str:
    return normalise(name).replace(" ", "")


def url_campaign_id(url: object) -> str | None:
    """The campaign id a landing URL carries, or None (unfilled placeholders such as
    ``{campaignid}`` or ``__CID__`` do not count)."""
    text = _text(url)
    if "?" not in text:
        return None
    try:
        query = dict(parse_qsl(urlsplit(text).query, keep_blank_values=False))
    except ValueError:
        return None
    lowered = {k.casefold(): v.strip() for k, v in query.items()}
    for param in ID_PARAMS:
        value = lowered.get(param, "")
        if value and not _PLACEHOLDER.search(value) and len(value) <= 64:
            return value
    return None


def touch_platform(
    *,
    source: object,
    medium: object,
    gclid: object = None,
    fbclid: object = None,
    ttclid: object = None,
) -> str:
    """The ad platform a touch came from, '' for an unpaid one (the rule of the metrics'
    channel dimension: click ids first, then a paid medium from a known source)."""
    for name, value in (("gclid", gclid), ("fbclid", fbclid), ("ttclid", ttclid)):
        if _text(value):
            return CLICK_PLATFORM[name]
    src = _text(source).casefold()
    if _text(medium).casefold() in _PAID_MEDIUMS and src:
        return _SOURCE_PLATFORM.get(src, src)
    return ""


@dataclass(frozen=True)
class Campaign:
    platform: str
    campaign_id: str
    name: str

    @property
    def label(self) -> str:
        return self.name or self.campaign_id


@dataclass(frozen=True)
class TouchMapping:
    """The seller's word: touches of ``platform`` tagged ``touch_campaign`` belong to
    ``campaign_id``."""

    platform: str
    touch_campaign: str
    campaign_id: str


@dataclass
class Catalog:
    """The campaigns that have spend, indexed every way touches can name them."""

    campaigns: dict[tuple[str, str], Campaign]
    by_id: dict[str, list[Campaign]] = field(default_factory=dict)
    by_name: dict[tuple[str, str], list[Campaign]] = field(default_factory=dict)
    active: dict[tuple[str, date], set[str]] = field(default_factory=dict)

    def platforms(self) -> set[str]:
        return {p for p, _ in self.campaigns}

    def of_platform(self, platform: str) -> list[Campaign]:
        return [c for (p, _), c in self.campaigns.items() if p == platform]


def build_catalog(spend: pd.DataFrame) -> Catalog:
    """From spend rows (``date, platform, campaign_id, campaign_name``)."""
    campaigns: dict[tuple[str, str], Campaign] = {}
    active: dict[tuple[str, date], set[str]] = {}
    if not spend.empty:
        cols = spend[["date", "platform", "campaign_id", "campaign_name"]]
        for day, platform, cid, name in cols.itertuples(index=False, name=None):
            key = (_text(platform).casefold(), _text(cid))
            if not key[1]:
                continue
            if key not in campaigns or (not campaigns[key].name and _text(name)):
                campaigns[key] = Campaign(key[0], key[1], _text(name))
            active.setdefault((key[0], pd.Timestamp(day).date()), set()).add(key[1])
    catalog = Catalog(campaigns, active=active)
    for c in campaigns.values():
        catalog.by_id.setdefault(c.campaign_id, []).append(c)
        for name in {_compact(c.name), _compact(c.campaign_id)} - {""}:
            catalog.by_name.setdefault((c.platform, name), []).append(c)
    return catalog


def _one(found: Iterable[Campaign], platform: str) -> Campaign | None:
    """The single campaign among ``found`` (of ``platform`` when it is known)."""
    found = list(found)
    if platform:
        same = [c for c in found if c.platform == platform]
        found = same or found
    return found[0] if len(found) == 1 else None


def match_one(
    *,
    catalog: Catalog,
    mappings: Mapping[tuple[str, str], str],
    platform: str,
    campaign: str,
    url_id: str,
    day: date | None,
    has_click_id: bool,
) -> tuple[Campaign | None, str]:
    """The campaign of one touch and how it was found ('' when none)."""
    for candidate in (url_id, campaign if campaign.isdigit() else ""):
        if candidate:
            found = _one(catalog.by_id.get(candidate, ()), platform)
            if found is not None:
                return found, "url_id"
    if campaign:
        mapped = mappings.get((platform, campaign.casefold()))
        if mapped is not None and (platform, mapped) in catalog.campaigns:
            return catalog.campaigns[(platform, mapped)], "mapping"
        if platform:  # an unpaid touch (an e-mail, say) never takes an ad's name
            found = _one(catalog.by_name.get((platform, _compact(campaign)), ()), platform)
            if found is not None:
                return found, "name"
    if has_click_id and platform and day is not None:
        ids = catalog.active.get((platform, day), set())
        if len(ids) == 1:
            return catalog.campaigns[(platform, next(iter(ids)))], "click_id"
    return None, ""


@dataclass(frozen=True)
class TouchCampaigns:
    """Per touch (same index as the touches): the platform, the matched campaign id
    ('' when none) and how it was matched ('' when not)."""

    platform: pd.Series
    campaign_id: pd.Series
    how: pd.Series


def _clean(series: pd.Series) -> pd.Series:
    """Trimmed strings, '' for missing values (vectorised)."""
    return series.astype(object).where(series.notna(), "").astype(str).str.strip()


def _id_value(raw: str) -> str:
    value = unquote_plus(raw).strip()
    if not value or _PLACEHOLDER.search(value) or len(value) > 64:
        return ""
    return value


def url_campaign_ids(urls: pd.Series) -> pd.Series:
    """``url_campaign_id`` of every URL in a column, with one regular-expression pass per
    parameter instead of parsing each URL."""
    out = pd.Series("", index=urls.index, dtype=object)
    text = _clean(urls)
    maybe = text.str.contains("?", regex=False) & text.str.contains("=", regex=False)
    if not maybe.any():
        return out
    sub = text[maybe]
    found = pd.Series("", index=sub.index, dtype=object)
    for param in ID_PARAMS:  # the first parameter that holds an id wins
        got = sub.str.extract(rf"(?i)[?&]{param}=([^&#]*)", expand=False).fillna("")
        values = {v: _id_value(v) for v in pd.unique(got[got.ne("")])}
        got = got.map(values).astype(object).fillna("")
        found = found.where(found.ne(""), got)
    out[maybe] = found
    return out


def match_touches(
    touches: pd.DataFrame, catalog: Catalog, mappings: Iterable[TouchMapping] = ()
) -> TouchCampaigns:
    """Match every touch; rules run once per distinct combination of what they read."""
    index = touches.index
    if touches.empty:
        empty = pd.Series([], dtype=object, index=index)
        return TouchCampaigns(empty, empty.copy(), empty.copy())
    table = {(m.platform, m.touch_campaign.strip().casefold()): m.campaign_id for m in mappings}
    col = {
        c: _clean(touches[c]) if c in touches else pd.Series("", index=index, dtype=object)
        for c in (
            "source",
            "medium",
            "gclid",
            "fbclid",
            "ttclid",
            "campaign",
            "campaign_id",
            "landing_url",
        )
    }
    url_ids = col["campaign_id"].where(col["campaign_id"].ne(""), "")
    missing = url_ids.eq("")
    if missing.any():
        url_ids = url_ids.copy()
        url_ids[missing] = url_campaign_ids(col["landing_url"][missing])
    clicks = {c: col[c].ne("") for c in ("gclid", "fbclid", "ttclid")}
    clicked = clicks["gclid"] | clicks["fbclid"] | clicks["ttclid"]
    days = pd.Series(pd.to_datetime(touches["occurred_at"]).dt.date, index=index, dtype=object)
    keys = pd.DataFrame(
        {
            "source": col["source"].str.casefold(),
            "medium": col["medium"].str.casefold(),
            **clicks,
            "campaign": col["campaign"],
            "url_id": url_ids,
            "day": days.where(clicked, None),
        }
    )
    codes = keys.fillna("").groupby(list(keys.columns), sort=False).ngroup().to_numpy()
    firsts = np.unique(codes, return_index=True)[1]
    results = np.empty((len(firsts), 3), dtype=object)
    unique = keys.iloc[firsts]
    for row, k in zip(firsts, unique.itertuples(index=False), strict=True):
        click = bool(k.gclid or k.fbclid or k.ttclid)
        platform = touch_platform(
            source=k.source,
            medium=k.medium,
            gclid="x" if k.gclid else "",
            fbclid="x" if k.fbclid else "",
            ttclid="x" if k.ttclid else "",
        )
        found, how = match_one(
            catalog=catalog,
            mappings=table,
            platform=platform,
            campaign=k.campaign,
            url_id=k.url_id,
            day=k.day if click else None,
            has_click_id=click,
        )
        results[codes[row]] = (
            (found.platform, found.campaign_id, how) if found else (platform, "", "")
        )
    picked = results[codes]
    return TouchCampaigns(
        pd.Series(picked[:, 0], index=index, dtype=object),
        pd.Series(picked[:, 1], index=index, dtype=object),
        pd.Series(picked[:, 2], index=index, dtype=object),
    )


def campaign_labels(catalog: Catalog) -> dict[tuple[str, str], str]:
    """How reports name each campaign: its name, with the id when two share a name."""
    seen: dict[tuple[str, str], int] = {}
    for c in catalog.campaigns.values():
        seen[(c.platform, c.label)] = seen.get((c.platform, c.label), 0) + 1
    return {
        key: c.label if seen[(c.platform, c.label)] == 1 else f"{c.label} ({c.campaign_id})"
        for key, c in catalog.campaigns.items()
    }


def similarity(a: str, b: str, **_: object) -> float:
    """Name similarity, 0..100: the mean of RapidFuzz's token-set ratio (every word of the
    shorter name found in the longer) and token-sort ratio (the names as a whole), so
    "brand dallas" ranks "… BRN TermOnly Dallas" above "… General Dallas"."""
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


@dataclass(frozen=True)
class Suggestion:
    campaign: Campaign
    score: float  # 0 .. 100, name similarity


def suggest(
    campaign: str, platform: str, catalog: Catalog, *, limit: int = 3, cutoff: float = 40.0
) -> list[Suggestion]:
    """Campaigns whose names look most like the touch value, best first (the platform's
    own campaigns when it is known)."""
    pool = catalog.of_platform(platform) if platform else list(catalog.campaigns.values())
    if not pool or not normalise(campaign):
        return []
    choices = {n: normalise(c.label) for n, c in enumerate(pool)}
    ranked = process.extract(
        normalise(campaign), choices, scorer=similarity, limit=limit, score_cutoff=cutoff
    )
    out = [Suggestion(pool[n], round(float(score), 1)) for _, score, n in ranked]
    out.sort(key=lambda s: (-s.score, s.campaign.label))
    return out
