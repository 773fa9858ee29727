"""ISO 4217 currency codes and their minor units."""

from __future__ import annotations

import re
from functools import lru_cache

from babel.numbers import get_currency_precision, list_currencies

_CODE = re.compile(r"^[A-Z]{3}$")


class UnknownCurrency(ValueError):
    def __init__(self, code: object):
        super().__init__(f"not an ISO 4217 currency code: {code!r}")
        self.code = code


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    return frozenset(list_currencies())


def normalize_currency(code: object) -> str:
    """``' usd '`` -> ``'USD'``; raises :class:`UnknownCurrency` for anything else."""
    text = str(code or "").strip().upper()
    if not _CODE.match(text) or text not in known_codes():
        raise UnknownCurrency(code)
    return text


def is_currency(code: object) -> bool:
    try:
        normalize_currency(code)
    except UnknownCurrency:
        return False
    return True


def minor_units(code: str) -> int:
    """Digits after the decimal point in everyday amounts (JPY 0, EUR 2, KWD 3)."""
    return int(get_currency_precision(normalize_currency(code)))


@lru_cache(maxsize=1)
def current_codes() -> tuple[str, ...]:
    """The ISO 4217 currencies in use today, sorted: those that are legal tender in some
    territory by Babel's CLDR data (about 150). Historic codes that ``known_codes`` still
    accepts for old data (ATS, BEF, DEM, HRK…) and funds or metals (XAU, XDR) are left out."""
    from datetime import date

    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    today = date.today()
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, today, tender=True))
    return tuple(sorted(codes & known_codes()))


def currency_choices(locale: str, *, keep: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of every current currency for a picker, labelled in ``locale``:
    ``("USD", "USD — US Dollar")``, ``("USD", "USD — Dólar estadounidense")``. ``keep``: a
    code to list even if it is no longer current (the one a workspace already has)."""
    from babel.numbers import get_currency_name

    codes = list(current_codes())
    if keep and keep not in codes and keep in known_codes():
        codes = sorted([*codes, keep])
    out = []
    for code in codes:
        try:
            name = get_currency_name(code, locale=locale)
        except (ValueError, LookupError):  # a locale Babel does not know: the English name
            name = get_currency_name(code, locale="en")
        out.append((code, f"{code} — {name}" if name and name != code else code))
    return out
