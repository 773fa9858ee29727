"""Which rule packs apply to a market and a platform."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex

from tradewinds.compliance.models import RulePack

MARKET_ALIASES = {"GB": "UK", "SA/AE": "SA", "KSA": "SA", "UAE": "AE", "ID/MY": "ID"}
EU_MEMBERS = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
}
PLATFORM_ALIASES = {
    "google_ads": "google",
    "youtube": "google",
    "facebook": "meta",
    "instagram": "meta",
    "meta_ads": "meta",
    "tiktok_ads": "tiktok",
    "amazon_ads": "amazon",
}


@lru_cache(maxsize=1024)
def canonical_market(market: str) -> str:
    code = market.strip().upper()
    return MARKET_ALIASES.get(code, code)


_PLATFORM_PREFIXES = (
    ("google", "google"),
    ("youtube", "google"),
    ("adwords", "google"),
    ("facebook", "meta"),
    ("instagram", "meta"),
    ("meta", "meta"),
    ("tiktok", "tiktok"),
    ("amazon", "amazon"),
)
FIELD_ALIASES = {
    "headlines": "headline",
    "short_headline": "headline",
    "long_headlines": "long_headline",
    "descriptions": "description",
    "desc": "description",
    "display_path": "path",
    "primary": "primary_text",
    "body": "primary_text",
    "text": "primary_text",
    "adtext": "ad_text",
    "caption": "ad_text",
    "product_title": "title",
    "item_name": "title",
    "bullet": "bullet_point",
    "bullets": "bullet_point",
    "bullet_points": "bullet_point",
    "keywords": "search_terms",
    "search_term": "search_terms",
    "generic_keywords": "search_terms",
    "brand_name": "business_name",
}


_SEPARATORS = regex.compile(r"[\s\-]+")
_NUMBER_SUFFIX = regex.compile(r"_?\d+$")


@lru_cache(maxsize=1024)
def canonical_platform(platform: str | None) -> str | None:
    """'Google Ads', 'facebook', 'TikTok-Ads' … → google, meta, tiktok, amazon."""
    if platform is None or not platform.strip():
        return None
    name = _SEPARATORS.sub("_", platform.strip().lower())
    name = PLATFORM_ALIASES.get(name, name)
    for prefix, canonical in _PLATFORM_PREFIXES:
        if name.startswith(prefix):
            return canonical
    return name


@lru_cache(maxsize=1024)
def canonical_field(field: str | None) -> str | None:
    """'Headline 1', 'description_2', 'Search terms' → headline, description, search_terms."""
    if field is None or not field.strip():
        return None
    name = _SEPARATORS.sub("_", field.strip().lower())
    name = _NUMBER_SUFFIX.sub("", name)
    return FIELD_ALIASES.get(name, name)


def _with_parents(pack: RulePack, packs: dict[str, RulePack], out: list[RulePack]) -> None:
    for parent_id in pack.extends:
        parent = packs.get(parent_id)
        if parent is not None and parent not in out:
            _with_parents(parent, packs, out)
    if pack not in out:
        out.append(pack)


def packs_for(
    market: str, platform: str | None, packs: dict[str, RulePack]
) -> tuple[list[RulePack], bool, bool]:
    """Packs for a market/platform, plus whether the market and platform were known."""
    code = canonical_market(market)
    chosen: list[RulePack] = []
    for pack in packs.values():
        if pack.scope == "global":
            _with_parents(pack, packs, chosen)
    market_packs = [p for p in packs.values() if p.scope == "market" and code in p.markets]
    if not market_packs and code in EU_MEMBERS:
        market_packs = [p for p in packs.values() if p.scope == "market" and "EU" in p.markets]
    for pack in market_packs:
        _with_parents(pack, packs, chosen)
    platform_known = True
    name = canonical_platform(platform)
    if name is not None:
        platform_packs = [
            p for p in packs.values() if p.scope == "platform" and name in p.platforms
        ]
        platform_known = bool(platform_packs)
        for pack in platform_packs:
            _with_parents(pack, packs, chosen)
    return chosen, bool(market_packs), platform_known


def known_markets(packs: Iterable[RulePack]) -> list[str]:
    return sorted({m for p in packs if p.scope == "market" for m in p.markets})


def known_platforms(packs: Iterable[RulePack]) -> list[str]:
    return sorted({name for p in packs if p.scope == "platform" for name in p.platforms})
