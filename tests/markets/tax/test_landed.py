from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tradewinds.markets.tax.landed import landed_price
from tradewinds.markets.tax.rates import UnknownCountry

DAY = date(2026, 3, 2)


def test_germany_within_ioss(convert) -> None:
    landed = landed_price(D("100"), "EUR", "DE", DAY, shipping=D("5"), convert=convert)
    assert (landed.product, landed.shipping, landed.duty) == (D("100.00"), D("5.00"), 0)
    assert landed.vat == D("19.95") and landed.total == D("124.95")
    assert (landed.scheme, landed.collected_at, landed.vat_rate) == ("eu_ioss", "sale", D(19))
    assert landed.currency == "EUR" and "IOSS" in landed.reason


def test_germany_above_150_pays_duty_and_import_vat(convert) -> None:
    landed = landed_price(
        D("80"),
        "EUR",
        "DE",
        DAY,
        quantity=2,
        shipping=D("10"),
        hs_chapter="61",
        duty_rates={"61": D(12)},
        convert=convert,
    )
    assert landed.product == D("160.00") and landed.duty == D("20.40")  # 12% of 170
    assert landed.vat == D("36.18")  # 19% of 190.40
    assert landed.total == D("226.58") and landed.scheme == "eu_import"


def test_great_britain(convert) -> None:
    landed = landed_price(D("100"), "GBP", "GB", DAY, shipping=D("10"), convert=convert)
    assert landed.vat == D("22.00") and landed.total == D("132.00")
    assert landed.scheme == "uk_low_value"


def test_united_states_before_and_after_the_de_minimis(convert) -> None:
    args = {"shipping": D("12"), "hs_chapter": "61", "duty_rates": {"61": D(16)}}
    before = landed_price(D("100"), "USD", "US", date(2025, 8, 28), convert=convert, **args)
    assert (before.duty, before.vat, before.total) == (0, 0, D("112.00"))
    after = landed_price(D("100"), "USD", "US", date(2025, 8, 29), convert=convert, **args)
    assert (after.duty, after.vat, after.total) == (D("16.00"), 0, D("128.00"))
    assert after.scheme == "us_duty" and after.collected_at == "border"


def test_australia_in_another_currency(convert) -> None:
    landed = landed_price(D("300"), "USD", "AU", DAY, shipping=D("20"), convert=convert)
    assert landed.scheme == "au_lvg" and landed.currency == "USD"  # US$300 = A$450
    assert landed.vat == D("32.00") and landed.total == D("352.00")
    big = landed_price(D("700"), "USD", "AU", DAY, convert=convert)  # A$1,050
    assert big.scheme == "au_import" and big.collected_at == "border"


def test_yen_are_whole(convert) -> None:
    landed = landed_price(D("1999"), "JPY", "JP", DAY, shipping=D("500"), convert=convert)
    assert str(landed.total) == "2749" and landed.vat == D(250)


def test_an_unknown_destination(convert) -> None:
    with pytest.raises(UnknownCountry):
        landed_price(D("10"), "EUR", "ZZ", DAY, convert=convert)
