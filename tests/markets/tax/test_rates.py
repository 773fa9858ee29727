from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import eu_vat_rates_data
import pytest

from tradewinds.markets.tax import rates
from tradewinds.markets.tax.rates import (
    EU_MEMBERS,
    NON_EU,
    NoRateOnRecord,
    UnknownCountry,
    data_version,
    eu_history,
    is_eu,
    non_eu_rates,
    supported_countries,
    vat_rate,
)


@pytest.mark.parametrize(
    ("country", "on", "standard"),
    [
        ("EE", date(2023, 12, 31), D(20)),
        ("EE", date(2024, 1, 1), D(22)),
        ("EE", date(2025, 6, 30), D(22)),
        ("EE", date(2025, 7, 1), D(24)),
        ("FI", date(2024, 8, 31), D(24)),
        ("FI", date(2024, 9, 1), D("25.5")),
        ("SK", date(2024, 12, 31), D(20)),
        ("SK", date(2025, 1, 1), D(23)),
        ("RO", date(2025, 7, 31), D(19)),
        ("RO", date(2025, 8, 1), D(21)),
        ("CZ", date(2024, 1, 1), D(21)),
        ("LU", date(2023, 6, 1), D(16)),
        ("LU", date(2024, 1, 1), D(17)),
        ("DE", date(2020, 8, 1), D(16)),
        ("DE", date(2025, 6, 10), D(19)),
        ("DE", date(2026, 12, 1), D(19)),
        ("IE", date(2020, 12, 1), D(21)),
        ("CH", date(2023, 12, 31), D("7.7")),
        ("CH", date(2024, 1, 1), D("8.1")),
        ("SG", date(2023, 12, 31), D(8)),
        ("SG", date(2024, 1, 1), D(9)),
        ("SA", date(2020, 6, 15), D(5)),
        ("SA", date(2020, 7, 1), D(15)),
        ("AE", date(2025, 1, 1), D(5)),
        ("KR", date(2025, 1, 1), D(10)),
        ("GB", date(2025, 1, 1), D(20)),
        ("NO", date(2025, 1, 1), D(25)),
        ("AU", date(2025, 1, 1), D(10)),
        ("NZ", date(2025, 1, 1), D(15)),
    ],
)
def test_standard_rates_on_either_side_of_each_change(country: str, on: date, standard) -> None:
    rate = vat_rate(country, on)
    assert rate.standard_rate == standard
    assert rate.country == country and rate.date == on
    assert isinstance(rate.standard_rate, D)


def test_reduced_rates_change_with_the_standard_one() -> None:
    assert vat_rate("SK", date(2024, 12, 31)).reduced_rates == (D(5), D(10))
    assert vat_rate("SK", date(2025, 1, 1)).reduced_rates == (D(5), D(19))
    assert vat_rate("RO", date(2025, 7, 31)).reduced_rates == (D(5), D(9))
    assert vat_rate("RO", date(2025, 8, 1)).reduced_rates == (D(11),)
    assert vat_rate("CZ", date(2023, 12, 31)).reduced_rates == (D(10), D(15))
    assert vat_rate("CZ", date(2024, 1, 1)).reduced_rates == (D(12),)


def test_japan_charges_ten_percent_with_an_eight_percent_reduced_rate() -> None:
    rate = vat_rate("JP", date(2026, 3, 1))
    assert rate.standard_rate == D(10) and rate.reduced_rates == (D(8),)
    assert rate.tax_name.startswith("JCT")
    assert "nta.go.jp" in rate.source
    assert vat_rate("JP", date(2019, 9, 30)).standard_rate == D(8)


def test_rates_are_exact_decimals_without_float_noise() -> None:
    fi = vat_rate("FI", date(2026, 12, 1))  # from the package (floats in its JSON)
    assert fi.standard_rate == D("25.5") and str(fi.standard_rate) == "25.5"
    assert str(vat_rate("DE", date(2026, 12, 1)).standard_rate) == "19"
    assert D("13.5") in fi.reduced_rates


def test_lower_case_and_aliases_are_accepted() -> None:
    assert vat_rate("ee", date(2025, 7, 1)).country == "EE"
    assert vat_rate(" de ", date(2025, 7, 1)).standard_rate == D(19)
    assert vat_rate("uk", date(2025, 7, 1)).country == "GB"
    assert vat_rate("el", date(2026, 12, 1)).country == "GR"


def test_an_unknown_country_says_which_and_lists_the_supported_ones() -> None:
    with pytest.raises(UnknownCountry) as err:
        vat_rate("XX", date(2025, 1, 1))
    message = str(err.value)
    assert "'XX'" in message and "supported: AE, AT, AU" in message and "SK" in message
    assert isinstance(err.value, LookupError)
    with pytest.raises(UnknownCountry):
        vat_rate("US", date(2025, 1, 1))  # state sales taxes are not VAT


def test_a_date_before_the_records_says_so() -> None:
    with pytest.raises(NoRateOnRecord) as err:
        vat_rate("EE", date(2022, 6, 1))
    assert str(err.value) == "no VAT rate on record for EE before 2023-01-01 (asked for 2022-06-01)"
    assert isinstance(err.value, LookupError)
    with pytest.raises(NoRateOnRecord, match="for SA before 2000-01-01"):
        vat_rate("SA", date(1999, 12, 31))
    # Saudi Arabia and the UAE had no VAT before 2018: 0%, not "no record"
    assert vat_rate("SA", date(2017, 12, 31)).standard_rate == 0
    assert vat_rate("AE", date(2018, 1, 1)).standard_rate == 5


def test_the_package_rate_from_its_data_version_on_and_nothing_before_the_record() -> None:
    version = data_version()
    current = vat_rate("PT", version)
    assert current.standard_rate == D(23) and current.source.startswith("eu-vat-rates-data")
    assert vat_rate("PT", version - timedelta(days=1)).source.startswith("Código do IVA")
    with pytest.raises(NoRateOnRecord, match="for PT before 2011-01-01"):
        vat_rate("PT", date(2010, 12, 31))


def test_the_package_answers_from_its_data_version_and_history_before() -> None:
    version = data_version()
    assert version == date.fromisoformat(eu_vat_rates_data.data_version)
    current = vat_rate("EE", version)
    assert current.source == f"eu-vat-rates-data {version} (European Commission TEDB)"
    assert current.tax_name == "km (Käibemaks)"
    past = vat_rate("EE", date(2025, 7, 1))
    assert "<https://" in past.source and past.tax_name == current.tax_name


def test_a_date_after_the_last_closed_period_takes_the_package(monkeypatch) -> None:
    closed = [p.model_copy(update={"end": date(2024, 12, 31)}) for p in eu_history()["DK"]]
    monkeypatch.setattr(rates, "eu_history", lambda: {"DK": closed})
    assert vat_rate("DK", date(2025, 3, 1)).source.startswith("eu-vat-rates-data")
    assert vat_rate("DK", date(2024, 3, 1)).source.startswith("Momsloven")


def test_open_history_periods_match_the_package() -> None:
    """An upgrade of eu-vat-rates-data that changes a rate fails here: close the open
    period in vat_history.yaml and add the new one, with its source."""
    stale = []
    for code, periods in eu_history().items():
        current = [p for p in periods if p.end is None]
        if not current:
            continue
        package = vat_rate(code, data_version())
        if current[0].standard != package.standard_rate:
            stale.append(f"{code}: {current[0].standard} vs {package.standard_rate}")
    assert not stale, stale


def test_open_history_periods_list_the_packages_reduced_rates() -> None:
    stale = []
    for code, periods in eu_history().items():
        current = [p for p in periods if p.end is None]
        if current:
            ours = tuple(sorted(current[0].reduced))
            theirs = vat_rate(code, data_version()).reduced_rates
            if ours != theirs:
                stale.append(f"{code}: {ours} vs {theirs}")
    assert not stale, stale


def test_every_period_cites_a_source() -> None:
    periods = [p for ps in eu_history().values() for p in ps]
    periods += [p for c in non_eu_rates().values() for p in c.periods]
    assert periods
    for period in periods:
        assert period.source and period.url.startswith("https://")


def test_every_non_eu_country_has_an_open_period_and_a_tax_name() -> None:
    names = {code: c.tax_name for code, c in non_eu_rates().items()}
    assert set(names) == set(NON_EU)
    assert names["CH"] == "MWST/TVA/IVA" and "부가가치세" in names["KR"]
    assert names["AU"] == names["NZ"] == names["SG"] == "GST"
    for code, country in non_eu_rates().items():
        assert country.periods[-1].end is None, code


def test_the_eu_members_are_the_packages() -> None:
    package = {c for c, r in eu_vat_rates_data.get_all_rates().items() if r["eu_member"]}
    assert package == EU_MEMBERS and len(EU_MEMBERS) == 27


def test_supported_countries_and_is_eu() -> None:
    supported = supported_countries()
    assert len(supported) == 37 and supported == sorted(supported)
    assert {"GB", "NO", "CH", "AU", "NZ", "SG", "JP", "KR", "SA", "AE", "EE"} <= set(supported)
    assert is_eu("ee") and is_eu("DE") and is_eu("EL")
    assert not is_eu("GB") and not is_eu("NO") and not is_eu("US") and not is_eu("")
