from __future__ import annotations

import pytest

from tradewinds.markets.currencies import (
    UnknownCurrency,
    is_currency,
    minor_units,
    normalize_currency,
)


def test_normalize() -> None:
    assert normalize_currency(" usd ") == "USD"
    for bad in ("", "US", "USDT", "XYZ", None, "€"):
        with pytest.raises(UnknownCurrency):
            normalize_currency(bad)
    assert is_currency("jpy") and not is_currency("ABC")


@pytest.mark.parametrize(("code", "digits"), [("EUR", 2), ("JPY", 0), ("KWD", 3), ("GBP", 2)])
def test_minor_units(code: str, digits: int) -> None:
    assert minor_units(code) == digits
