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
