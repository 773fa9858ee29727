"""Which rule packs apply to a market and a platform."""

from __future__ import annotations

from collections.abc import Iterable

from tradewinds.compliance.models import RulePack

MARKET_ALIASES = {"GB": "UK", "SA/AE": "SA", "KSA": "SA", "UAE": "AE", "ID/MY": "ID"}
EU_MEMBERS = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}
PLATFORM_ALIASES = {
    "google_ads": "google", "youtube": "google", "facebook": "meta", "instagram": "meta",
    "meta_ads": "meta", "tiktok_ads": "tiktok", "amazon_ads": "amazon",
}


def canonical_market(market: str) -> str:
    code = market.strip().upper()
    return MARKET_ALIASES.get(code, code)


def canonical_platform(platform: str | None) -> str | None:
    if platform is None or not platform.strip():
        return None
    name = platform.strip().lower()
    return PLATFORM_ALIASES.get(name, name)


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
