from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewinds.markets.currencies import minor_units
from tradewinds.markets.tax.pricing import (
    _currency_style,
    _tier,
    ending_step,
    localize_price,
    market_style,
    price_styles,
)

CURRENCIES = ["USD", "EUR", "GBP", "AUD", "JPY", "KRW", "CHF", "SEK", "NOK", "DKK", "CNY", "SGD"]
CURRENCIES += ["KWD", "HUF", "ISK"]  # 3 decimals, and others without a currency entry


@pytest.mark.parametrize(
    ("amount", "currency", "market", "expected"),
    [
        ("20.00", "USD", "US", "19.99"),
        ("19.40", "USD", "US", "18.99"),
        ("19.60", "GBP", "GB", "19.99"),
        ("23.12", "EUR", "DE", "22.99"),
        ("41.70", "AUD", "AU", "41.99"),
        ("950", "JPY", "JP", "980"),
        ("1950", "JPY", "JP", "1980"),
        ("2870", "JPY", "JP", "2880"),
        ("12345", "JPY", "JP", "12800"),
        ("12.33", "CHF", "CH", "12.35"),
        ("12.32", "CHF", "CH", "12.30"),
        ("187.60", "SEK", "SE", "188.00"),
        ("187.40", "NOK", "NO", "187.00"),
        ("5432", "KRW", "KR", "5400"),
        ("12345", "KRW", "KR", "12000"),
        ("29.75", "CNY", "CN", "29.80"),
        ("29.86", "CNY", "CN", "29.90"),
        ("19.95", "USD", None, "19.95"),  # no market: exact
        ("19.955", "USD", "SA", "19.96"),  # a market without a convention: exact
    ],
)
def test_market_defaults(amount: str, currency: str, market: str | None, expected: str) -> None:
    result = localize_price(D(amount), currency, market=market)
    assert result == D(expected) and str(result) == expected


def test_an_explicit_style_beats_the_market() -> None:
    assert localize_price(D("20.00"), "USD", style="exact", market="US") == D("20.00")
    assert localize_price(D("20.40"), "USD", style="round", market="US") == D("20.00")
    assert localize_price(D("187.60"), "SEK", style="charm", market="SE") == D("199.00")
    assert localize_price(D("12.33"), "CHF", style="charm") == D("11.95")


def test_psychological_price_points_in_whole_kronor() -> None:
    charm = [localize_price(D(a), "SEK", style="charm") for a in ("8", "21", "52", "240", "1250")]
    assert charm == [D("9.00"), D("19.00"), D("49.00"), D("249.00"), D("1299.00")]


def test_zero_stays_zero_and_negative_prices_are_refused() -> None:
    for style in ("charm", "round", "exact"):
        assert localize_price(D(0), "JPY", style=style) == 0
    with pytest.raises(ValueError, match="negative"):
        localize_price(D("-0.01"), "USD", style="charm")
    with pytest.raises(ValueError):
        localize_price(D(1), "USD", style="fancy")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        localize_price(D(1), "XYZ")


def test_small_amounts_never_round_to_nothing() -> None:
    assert localize_price(D("0.30"), "USD", style="charm") == D("0.99")
    assert localize_price(D("40"), "KRW", style="round") == D(100)
    assert localize_price(D("0.01"), "CHF", style="round") == D("0.05")


def test_market_styles_come_from_the_data_file() -> None:
    assert market_style("us") == market_style("GB") == market_style("JP") == "charm"
    assert market_style("CH") == market_style("NO") == market_style("KR") == "round"
    assert market_style(None) == market_style("ZZ") == "exact"
    for code, market in price_styles().markets.items():
        assert market.source, code


def test_every_step_and_ending_fits_its_currencys_minor_units() -> None:
    styles = price_styles()
    specs = [(c, s) for c, s in styles.currencies.items()]
    specs += [(units, s) for units, s in styles.by_minor_units.items()]
    for key, spec in specs:
        units = minor_units(key) if isinstance(key, str) else key
        for tier in spec.charm + spec.round:
            for number in (tier.step, *tier.endings):
                assert number == number.quantize(D(1).scaleb(-units)), (key, number)


amounts = st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False)


@given(
    amount=amounts,
    currency=st.sampled_from(CURRENCIES),
    style=st.sampled_from(["charm", "round", "exact"]),
)
def test_the_result_has_the_currencys_precision(amount: D, currency: str, style: str) -> None:
    result = localize_price(amount, currency, style=style)  # type: ignore[arg-type]
    assert result >= 0
    assert result.as_tuple().exponent == -minor_units(currency)


@given(amount=amounts, currency=st.sampled_from(CURRENCIES))
def test_charm_stays_within_half_a_step_below_and_a_step_above(amount: D, currency: str) -> None:
    result = localize_price(amount, currency, style="charm")
    step = ending_step(amount, currency)
    assert result >= 0
    assert amount - step / 2 <= result < amount + step
    if amount >= step:  # past the first charm point: never more than half a step away
        assert abs(result - amount) <= step / 2


@given(amount=amounts, currency=st.sampled_from(CURRENCIES))
def test_round_is_the_nearest_step(amount: D, currency: str) -> None:
    result = localize_price(amount, currency, style="round")
    step = _tier(_currency_style(currency).round, amount).step
    assert result % step == 0
    if amount == 0:
        assert result == 0
    elif amount < step:
        assert result == step
    else:
        assert abs(result - amount) <= step / 2


@given(amount=amounts, currency=st.sampled_from(CURRENCIES))
def test_exact_moves_by_at_most_half_a_minor_unit(amount: D, currency: str) -> None:
    result = localize_price(amount, currency, style="exact")
    assert abs(result - amount) <= D(1).scaleb(-minor_units(currency)) / 2
