"""VAT/GST rates by country and date.

EU-27 current rates come from ``eu_vat_rates_data`` (the European Commission's TEDB,
refreshed by upgrading the package); its history, which the package does not hold, from
``data/vat_history.yaml``. A date on or after the package's ``data_version``, or after a
country's last closed period, takes the package's rate; any other date the period that
covers it. The other markets (GB, NO, CH, AU, NZ, SG, JP, KR, SA, AE) are dated periods in
``data/vat_rates.yaml``, each with its source. Rates are ``Decimal`` percentages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

import eu_vat_rates_data
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

EU_MEMBERS = frozenset(
    (
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    )
)
NON_EU = ("GB", "NO", "CH", "AU", "NZ", "SG", "JP", "KR", "SA", "AE")
#: other spellings people use: the UK, and the EU's VAT prefix for Greece
ALIASES = {"UK": "GB", "EL": "GR"}


def exact(value: Any) -> Any:
    """YAML (and eu-vat-rates-data) give ``25.5`` as a float: take its shortest repr, never
    its binary expansion, and write whole numbers without decimals (``19.0`` → ``19``)."""
    if not isinstance(value, float):
        return value
    number = Decimal(repr(value))
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


#: a rate in percent, read exactly from YAML
Percent = Annotated[Decimal, BeforeValidator(exact), Field(ge=0, lt=100)]


class UnknownCountry(LookupError):
    def __init__(self, country: object, *, also: Iterable[str] = ()) -> None:
        self.country = country
        supported = sorted({*supported_countries(), *also})
        super().__init__(f"no tax rules for country {country!r}; supported: {', '.join(supported)}")


class NoRateOnRecord(LookupError):
    def __init__(self, country: str, on: date, detail: str) -> None:
        self.country, self.on = country, on
        super().__init__(f"no VAT rate on record for {country} {detail} (asked for {on})")


@dataclass(frozen=True)
class VatRate:
    country: str
    date: date
    standard_rate: Decimal
    #: every lower rate in force (reduced, super-reduced, parking), ascending; 0% not listed
    reduced_rates: tuple[Decimal, ...]
    source: str
    tax_name: str


class Period(BaseModel):
    """Rates in force from ``start`` to ``end`` (inclusive; open-ended without ``to``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: date = Field(alias="from")
    end: date | None = Field(None, alias="to")
    standard: Percent
    reduced: list[Percent]
    source: str = Field(min_length=3)
    url: str = Field(pattern=r"^https://")
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        if any(r >= self.standard for r in self.reduced):
            raise ValueError("a reduced rate is not below the standard rate")
        return self

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


def _check_sequence(periods: Sequence[Period]) -> None:
    """Periods in order, none overlapping, only the last open-ended."""
    for before, after in zip(periods, periods[1:], strict=False):
        if before.end is None or after.start <= before.end:
            raise ValueError(f"periods overlap or are out of order at {after.start}")


class EuHistory(BaseModel):
    model_config = ConfigDict(extra="forbid")

    references: dict[str, str] = {}
    countries: dict[str, list[Period]]

    @model_validator(mode="after")
    def _valid(self) -> EuHistory:
        for code, periods in self.countries.items():
            if code not in EU_MEMBERS:
                raise ValueError(f"{code} is not an EU member state")
            _check_sequence(periods)
        return self


class CountryRates(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tax_name: str
    periods: list[Period] = Field(min_length=1)

    @model_validator(mode="after")
    def _valid(self) -> CountryRates:
        _check_sequence(self.periods)
        return self


class NonEuRates(BaseModel):
    model_config = ConfigDict(extra="forbid")

    countries: dict[str, CountryRates]


def read_data(name: str) -> Any:
    """A YAML file of ``data/``, parsed."""
    text = (resources.files(__package__) / "data" / name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def eu_history() -> dict[str, list[Period]]:
    return EuHistory.model_validate(read_data("vat_history.yaml")).countries


@lru_cache(maxsize=1)
def non_eu_rates() -> dict[str, CountryRates]:
    rates = NonEuRates.model_validate(read_data("vat_rates.yaml")).countries
    if set(rates) != set(NON_EU):
        raise ValueError(f"vat_rates.yaml must list exactly {', '.join(NON_EU)}")
    return rates


def data_version() -> date:
    """The day eu-vat-rates-data last took the Commission's rates."""
    return date.fromisoformat(eu_vat_rates_data.data_version)


def supported_countries() -> list[str]:
    return sorted(EU_MEMBERS | set(NON_EU))


def normalize_country(country: object) -> str:
    """``' ee '`` → ``'EE'``, ``'UK'`` → ``'GB'``; raises :class:`UnknownCountry`."""
    code = str(country or "").strip().upper()
    code = ALIASES.get(code, code)
    if code not in EU_MEMBERS and code not in NON_EU:
        raise UnknownCountry(country)
    return code


def is_eu(country: str) -> bool:
    """Whether ``country`` is an EU-27 member state (False for anything else)."""
    code = str(country or "").strip().upper()
    return ALIASES.get(code, code) in EU_MEMBERS


def _ascending(rates: Iterable[Any]) -> tuple[Decimal, ...]:
    return tuple(sorted({exact(r) for r in rates if r}))


def _eu_tax_name(entry: dict[str, Any]) -> str:
    abbr, name = entry.get("vat_abbr") or "", entry.get("vat_name") or "VAT"
    return f"{abbr} ({name})" if abbr and abbr.lower() != name.lower() else name


def _package_rate(code: str, on: date) -> VatRate:
    entry = eu_vat_rates_data.get_rate(code)
    if entry is None:  # pragma: no cover - the package lists all 27
        raise NoRateOnRecord(code, on, "in eu-vat-rates-data")
    standard = exact(entry["standard"])
    lower = [*entry["reduced"], entry["super_reduced"], entry["parking"]]
    source = eu_vat_rates_data.dataset.get("source", "European Commission TEDB")
    return VatRate(
        country=code,
        date=on,
        standard_rate=standard,
        reduced_rates=tuple(r for r in _ascending(lower) if r < standard),
        source=f"eu-vat-rates-data {eu_vat_rates_data.data_version} ({source})",
        tax_name=_eu_tax_name(entry),
    )


def _from_period(code: str, on: date, period: Period, tax_name: str) -> VatRate:
    return VatRate(
        country=code,
        date=on,
        standard_rate=period.standard,
        reduced_rates=_ascending(period.reduced),
        source=f"{period.source} <{period.url}>",
        tax_name=tax_name,
    )


def _covering(code: str, on: date, periods: Sequence[Period], *, since: date | None) -> Period:
    for period in periods:
        if period.covers(on):
            return period
    first = min([p.start for p in periods] + ([since] if since else []))
    if on < first:
        raise NoRateOnRecord(code, on, f"before {first}")
    raise NoRateOnRecord(code, on, f"on {on}")


def vat_rate(country: str, on: date) -> VatRate:
    """The standard and reduced rates of ``country`` in force on ``on``.

    Raises :class:`UnknownCountry` for a country outside :func:`supported_countries` and
    :class:`NoRateOnRecord` for a date no record covers (both are ``LookupError``)."""
    code = normalize_country(country)
    if code in EU_MEMBERS:
        entry = eu_vat_rates_data.get_rate(code)
        name = _eu_tax_name(entry) if entry else "VAT"
        periods = eu_history().get(code, [])
        after_last = bool(periods) and all(p.end is not None and on > p.end for p in periods)
        if on >= data_version() or after_last:
            return _package_rate(code, on)
        period = _covering(code, on, periods, since=data_version())
        return _from_period(code, on, period, name)
    rates = non_eu_rates()[code]
    return _from_period(code, on, _covering(code, on, rates.periods, since=None), rates.tax_name)
