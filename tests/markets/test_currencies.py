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


def test_current_currencies_leave_historic_codes_out():
    from tradewinds.markets.currencies import current_codes

    codes = current_codes()
    assert {"USD", "EUR", "GBP", "JPY", "AED", "SLE", "VES"} <= set(codes)
    assert not {"ATS", "BEF", "DEM", "FRF", "HRK", "SLL", "XAU", "XDR"} & set(codes)
    assert 120 < len(codes) < 200 and list(codes) == sorted(codes)


def test_currency_choices_are_labelled_in_the_users_language():
    from tradewinds.markets.currencies import currency_choices

    assert ("USD", "USD — US Dollar") in currency_choices("en_GB")
    assert ("EUR", "EUR — Euro") in currency_choices("de_DE")
    assert dict(currency_choices("de_DE"))["CHF"] == "CHF — Schweizer Franken"
    assert dict(currency_choices("ja_JP"))["USD"] == "USD — 米ドル"
    assert "DEM" not in dict(currency_choices("en_GB"))
    assert dict(currency_choices("en_GB", keep="DEM"))["DEM"] == "DEM — German Mark"
