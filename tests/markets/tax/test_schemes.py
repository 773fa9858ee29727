from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tradewinds.markets.tax import schemes as schemes_module
from tradewinds.markets.tax.rates import UnknownCountry
from tradewinds.markets.tax.schemes import (
    Consignment,
    Item,
    NoSchemeOnRecord,
    assess,
    hs_chapter,
    money,
    schemes,
)

DAY = date(2026, 3, 2)


def parcel(dest: str, currency: str, *prices: str, on: date = DAY, **kw) -> Consignment:
    return Consignment(dest, on, currency, tuple(Item(D(p)) for p in prices), **kw)


# ---- EU IOSS ------------------------------------------------------------------------


def test_within_the_ioss_limit_vat_is_charged_at_sale(convert) -> None:
    tax = assess(parcel("DE", "EUR", "120", shipping=D("10")), convert=convert)
    assert (tax.scheme, tax.collected_at, tax.destination) == ("eu_ioss", "sale", "DE")
    assert tax.vat_rate == D(19) and tax.vat == D("24.70")  # 19% of 120 + 10
    assert tax.duty == D("0.00") and tax.currency == "EUR"
    assert (tax.threshold, tax.threshold_currency) == (D(150), "EUR")
    assert (
        tax.reason == "Consignment of €120.00 is within the €150 IOSS limit: VAT charged at sale."
    )
    assert convert.calls == []  # euros compared in euros


def test_the_ioss_limit_is_inclusive_and_excludes_shipping(convert) -> None:
    at = assess(parcel("FR", "EUR", "150.00", shipping=D("25")), convert=convert)
    assert at.scheme == "eu_ioss" and at.vat == D("35.00")  # 20% of 175
    over = assess(parcel("FR", "EUR", "150.01"), convert=convert)
    assert (over.scheme, over.collected_at) == ("eu_import", "border")
    assert "over the €150 IOSS limit" in over.reason


def test_above_the_limit_import_vat_is_on_value_shipping_and_duty(convert) -> None:
    c = Consignment("DE", DAY, "EUR", (Item(D("200"), hs_chapter="6109.10"),), shipping=D("20"))
    tax = assess(c, convert=convert, duty_rates={"61": D(12)})
    # CIF: 12% of (200 + 20) = 26.40; VAT 19% of (200 + 20 + 26.40) = 46.816
    assert tax.duty == D("26.40") and tax.vat == D("46.82")


def test_a_consignment_in_another_currency_is_compared_in_euros(convert) -> None:
    within = assess(parcel("IT", "USD", "165.00"), convert=convert)  # €150.00
    assert within.scheme == "eu_ioss" and within.currency == "USD"
    assert within.vat == D("36.30")  # 22% of $165, in dollars
    assert convert.calls == [("USD", "EUR", DAY)]
    over = assess(parcel("IT", "USD", "165.02"), convert=convert)  # €150.02
    assert over.scheme == "eu_import" and "€150.02" in over.reason


def _clothes_and_a_bag(on: date) -> Consignment:
    items = (
        Item(D("20"), hs_chapter="62", category="silk blouse"),
        Item(D("20"), quantity=2, hs_chapter="62", category="wool blouse"),
        Item(D("20"), hs_chapter="62", category="wool blouse"),
        Item(D("30"), hs_chapter="42"),
    )
    return Consignment("NL", on, "EUR", items, shipping=D("5"))


def test_the_three_euro_duty_applies_from_1_july_2026_per_item_category(convert) -> None:
    before = assess(_clothes_and_a_bag(date(2026, 6, 30)), convert=convert)
    assert before.scheme == "eu_ioss" and before.duty == 0
    after = assess(_clothes_and_a_bag(date(2026, 7, 1)), convert=convert)
    assert after.scheme == "eu_ioss" and after.collected_at == "sale"
    assert after.duty == D("9.00")  # silk blouse, wool blouse, bag
    assert after.vat == D("24.15")  # 21% of 110 + 5: VAT at sale is on value + shipping
    assert "€3.00 per item category (3 in the parcel)" in after.reason


def test_items_without_a_chapter_or_category_each_count_as_a_category(convert) -> None:
    tax = assess(parcel("BE", "EUR", "10", "10", on=date(2026, 7, 1)), convert=convert)
    assert tax.duty == D("6.00")
    same = Consignment("BE", date(2026, 7, 1), "EUR", (Item(D("10"), quantity=5),))
    assert assess(same, convert=convert).duty == D("3.00")


def test_the_fixed_duty_is_converted_to_the_consignments_currency(convert) -> None:
    tax = assess(parcel("DE", "USD", "50", on=date(2026, 7, 1)), convert=convert)
    assert tax.duty == D("3.30") and "$3.30 per item category" in tax.reason


def test_above_150_the_fixed_duty_gives_way_to_the_tariff(convert) -> None:
    c = Consignment("DE", date(2026, 7, 1), "EUR", (Item(D("200"), hs_chapter="85"),))
    tax = assess(c, convert=convert, duty_rates={"85": D("2.5")})
    assert tax.scheme == "eu_import" and tax.duty == D("5.00")


def test_after_the_temporary_duty_the_tariff_applies_below_150_too(convert) -> None:
    c = Consignment("DE", date(2028, 7, 1), "EUR", (Item(D("100"), hs_chapter="61"),))
    tax = assess(c, convert=convert, duty_rates={"61": D(12)})
    assert tax.scheme == "eu_ioss" and tax.duty == D("12.00")


# ---- UK, Australia, New Zealand, Norway, Singapore ------------------------------------


def test_uk_low_value_at_135_pounds(convert) -> None:
    at = assess(parcel("GB", "GBP", "135.00", shipping=D("5")), convert=convert)
    assert (at.scheme, at.collected_at, at.vat) == ("uk_low_value", "sale", D("28.00"))
    assert at.duty == 0 and (at.threshold, at.threshold_currency) == (D(135), "GBP")
    assert "within the £135 UK low-value limit" in at.reason
    over = assess(parcel("uk", "GBP", "135.01"), convert=convert)
    assert (over.scheme, over.collected_at) == ("uk_import", "border")


@pytest.mark.parametrize(
    ("dest", "currency", "within", "over", "rate"),
    [
        ("AU", "AUD", "au_lvg", "au_import", D(10)),
        ("NZ", "NZD", "nz_lvg", "nz_import", D(15)),
    ],
)
def test_australia_and_new_zealand_at_1000_dollars(
    convert, dest: str, currency: str, within: str, over: str, rate
) -> None:
    at = assess(parcel(dest, currency, "600", "400", shipping=D("50")), convert=convert)
    assert (at.scheme, at.collected_at, at.vat_rate) == (within, "sale", rate)
    assert at.vat == (D(1050) * rate / 100).quantize(D("0.01"))
    assert "GST charged at sale" in at.reason
    above = assess(parcel(dest, currency, "1000.01"), convert=convert)
    assert (above.scheme, above.collected_at) == (over, "border")


def test_duty_is_on_the_goods_alone_where_customs_value_is_fob(convert) -> None:
    item, duty = (Item(D("2000"), hs_chapter="64"),), {"64": D(5)}
    au = assess(
        Consignment("AU", DAY, "AUD", item, shipping=D(100)), convert=convert, duty_rates=duty
    )
    assert au.duty == D("100.00")  # 5% of 2,000 (FOB)
    assert au.vat == D("220.00")  # 10% of 2,000 + 100 + 100
    gb = assess(
        Consignment("GB", DAY, "GBP", item, shipping=D(100)), convert=convert, duty_rates=duty
    )
    assert gb.duty == D("105.00")  # 5% of 2,100 (CIF)


def test_voec_is_per_item_below_3000_kroner(convert) -> None:
    two = Consignment("NO", DAY, "NOK", (Item(D("2000")), Item(D("2000"))), shipping=D("100"))
    tax = assess(two, convert=convert)
    assert (tax.scheme, tax.collected_at) == ("no_voec", "sale")
    assert tax.vat == D("1025.00")  # 25% of 4,000 + 100: shipping taxed, not counted
    assert "below the NOK 3,000 per-item VOEC limit" in tax.reason
    pair = Consignment("NO", DAY, "NOK", (Item(D("2000"), quantity=2),))
    assert assess(pair, convert=convert).scheme == "no_voec"
    just = assess(parcel("NO", "NOK", "2999.99", shipping=D("500")), convert=convert)
    assert just.scheme == "no_voec"
    at = assess(parcel("NO", "NOK", "3000", "10"), convert=convert)
    assert (at.scheme, at.collected_at) == ("no_import", "border")
    assert "An item of NOK 3,000.00 is not below" in at.reason


def test_singapore_is_per_item_up_to_400_dollars(convert) -> None:
    tax = assess(parcel("SG", "SGD", "400", "300"), convert=convert)
    assert (tax.scheme, tax.vat_rate, tax.vat) == ("sg_lvg", D(9), D("63.00"))
    over = assess(parcel("SG", "SGD", "400.01"), convert=convert)
    assert over.scheme == "sg_import" and "over the SGD 400 per-item" in over.reason


def test_limits_are_compared_after_conversion(convert) -> None:
    # NOK 3,000 = €260.87 at the test rate; £135 = €158.82
    assert assess(parcel("NO", "EUR", "260.86"), convert=convert).scheme == "no_voec"
    assert assess(parcel("NO", "EUR", "260.87"), convert=convert).scheme == "no_import"
    assert assess(parcel("GB", "EUR", "158.82"), convert=convert).scheme == "uk_low_value"
    assert assess(parcel("GB", "EUR", "158.83"), convert=convert).scheme == "uk_import"


# ---- Switzerland ---------------------------------------------------------------------


def test_swiss_platforms_are_deemed_suppliers_from_2025(convert) -> None:
    sold = parcel("CH", "CHF", "200", on=date(2025, 1, 1), via_marketplace=True)
    tax = assess(sold, convert=convert)
    assert (tax.scheme, tax.collected_at, tax.vat) == ("ch_platform", "sale", D("16.20"))
    assert "deemed supplier since 1 Jan 2025" in tax.reason
    before = parcel("CH", "CHF", "200", on=date(2024, 12, 31), via_marketplace=True)
    old = assess(before, convert=convert)
    assert (old.scheme, old.collected_at, old.vat) == ("ch_import", "border", D("16.20"))
    direct = assess(parcel("CH", "CHF", "200", on=date(2025, 1, 1)), convert=convert)
    assert direct.scheme == "ch_import" and direct.vat == D("16.20")


def test_swiss_import_vat_of_at_most_5_francs_is_not_collected(convert) -> None:
    small = assess(parcel("CH", "CHF", "61.72"), convert=convert)  # 8.1% = CHF 5.00
    assert (small.scheme, small.vat, small.threshold) == ("ch_import", D("0.00"), D(5))
    assert "within the CHF 5 small-consignment relief: not collected" in small.reason
    large = assess(parcel("CH", "CHF", "61.80"), convert=convert)  # CHF 5.01
    assert large.vat == D("5.01")


# ---- United States -------------------------------------------------------------------


def test_us_de_minimis_until_28_august_2025(convert) -> None:
    c = Consignment("US", date(2025, 8, 28), "USD", (Item(D("800"), hs_chapter="61"),))
    tax = assess(c, convert=convert, duty_rates={"61": D(16)})
    assert (tax.scheme, tax.collected_at, tax.duty, tax.vat) == ("us_duty", "border", 0, 0)
    assert tax.vat_rate == 0 and (tax.threshold, tax.threshold_currency) == (D(800), "USD")
    assert "within the $800 US de minimis" in tax.reason
    over = Consignment("US", date(2025, 8, 28), "USD", (Item(D("800.01"), hs_chapter="61"),))
    assert assess(over, convert=convert, duty_rates={"61": D(16)}).duty == D("128.00")


def test_us_duty_on_every_parcel_from_29_august_2025(convert) -> None:
    item = (Item(D("10"), hs_chapter="61"),)
    c = Consignment("us", date(2025, 8, 29), "USD", item, shipping=D("5"))
    tax = assess(c, convert=convert, duty_rates={"61": D(16)})
    assert (tax.duty, tax.vat, tax.threshold) == (D("1.60"), 0, None)  # FOB: goods only
    assert "suspended since 29 Aug 2025" in tax.reason


def test_a_missing_duty_chapter_counts_as_zero_and_says_so(convert) -> None:
    items = (Item(D("50"), hs_chapter="61"), Item(D("50"), hs_chapter="95"), Item(D("5")))
    c = Consignment("US", date(2026, 1, 5), "USD", items)
    tax = assess(c, convert=convert, duty_rates={"61": D(10)})
    assert tax.duty == D("5.00")
    assert "No duty rate given for HS chapter 95: its duty counted as 0." in tax.reason
    assert "An item has no HS chapter" in tax.reason
    bare = assess(c, convert=convert)
    assert bare.duty == 0 and "No duty rates given: duty counted as 0." in bare.reason


# ---- everything else -----------------------------------------------------------------


def test_other_vat_countries_are_taxed_at_the_border(convert) -> None:
    c = Consignment("JP", DAY, "JPY", (Item(D("5000"), hs_chapter="61"),), shipping=D("1000"))
    tax = assess(c, convert=convert, duty_rates={"61": D(10)})
    assert (tax.scheme, tax.collected_at) == ("import", "border")
    assert (tax.duty, tax.vat) == (D(600), D(660))  # 0 decimals for yen
    assert str(tax.vat) == "660"
    assert tax.reason.startswith("No low-value scheme is modelled for JP: import JCT")
    sa = assess(parcel("SA", "USD", "100", on=date(2020, 7, 1)), convert=convert)
    assert sa.vat_rate == D(15) and sa.vat == D("15.00")


def test_unknown_destinations_and_dates_without_a_scheme(convert) -> None:
    with pytest.raises(UnknownCountry, match="'BR'.*supported: .*SK, US"):
        assess(parcel("BR", "USD", "10"), convert=convert)
    with pytest.raises(NoSchemeOnRecord, match="GB on 2020-12-31 .records start 2021-01-01"):
        assess(parcel("GB", "GBP", "10", on=date(2020, 12, 31)), convert=convert)


def test_bad_parcels_are_refused() -> None:
    with pytest.raises(ValueError):
        Item(D("-1"))
    with pytest.raises(ValueError):
        Item(D("1"), quantity=0)
    with pytest.raises(ValueError):
        Consignment("DE", DAY, "EUR", ())
    with pytest.raises(ValueError):
        Consignment("DE", DAY, "EUR", (Item(D(1)),), shipping=D(-1))


def test_helpers() -> None:
    assert hs_chapter("6109.10.00") == "61" and hs_chapter("9") == "09" and hs_chapter("") is None
    assert (
        money(D("3000"), "NOK") == "NOK 3,000.00" and money(D("150"), "EUR", whole=True) == "€150"
    )
    assert money(D("1980"), "JPY") == "¥1,980" and money(D("135.5"), "GBP", whole=True) == "£135.50"


def test_every_scheme_period_cites_a_source_and_the_reasons_are_templates() -> None:
    data = schemes()
    periods = [p for d in data.destinations.values() for p in d.periods] + list(data.oss)
    for period in periods:
        assert period.source and period.url.startswith("https://")
    templates = [
        v
        for k, v in vars(schemes_module).items()
        if k.isupper() and isinstance(v, str) and " " in v
    ]
    assert len(templates) >= 10 and all(t[0].isupper() and t.endswith(".") for t in templates)
