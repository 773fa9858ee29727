"""Cross-border B2C schemes: who collects VAT/GST and duty on a parcel, and why.

The thresholds and their dates are data (``data/schemes.yaml``, each with its source):
EU IOSS (≤ €150, and the €3 duty per item category from 1 July 2026), UK (≤ £135),
Australia and New Zealand (≤ 1,000 of their dollars), Norway's VOEC (each item below
NOK 3,000), Singapore (each item ≤ S$400), Switzerland (platforms as deemed suppliers from
2025, the CHF 5 small-consignment relief) and the US de minimis (USD 800 until 28 August
2025, suspended since). Thresholds are compared in the scheme's own currency through the
caller's converter; amounts come back in the consignment's currency, rounded to its minor
units. The EU OSS tracker counts an EU seller's cross-border sales towards €10,000 a year.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Annotated, Literal

from babel.numbers import format_decimal, get_currency_symbol
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from tradewinds.i18n_markers import N_, Money, Text
from tradewinds.markets.currencies import minor_units, normalize_currency
from tradewinds.markets.tax.rates import (
    ALIASES,
    UnknownCountry,
    exact,
    is_eu,
    read_data,
    supported_countries,
    vat_rate,
)

#: an amount of money in a scheme's currency, read exactly from YAML
Amount = Annotated[Decimal, BeforeValidator(exact)]

Convert = Callable[[Decimal, str, str, date], Decimal]
"""``(amount, from_currency, to_currency, on) -> amount``"""

# The reasons, each a message of the catalogs (shown translated on the Markets page; the
# English sentence in JSON, as everywhere): ``Text(TEMPLATE, **values)``.
WITHIN_LIMIT = N_(
    "Consignment of %(value)s is within the %(limit)s %(label)s limit: %(tax)s charged at sale."
)
OVER_LIMIT = N_(
    "Consignment of %(value)s is over the %(limit)s %(label)s limit: "
    "import %(tax)s and duty at the border."
)
ITEMS_WITHIN = N_(
    "Every item is within the %(limit)s per-item %(label)s limit: %(tax)s charged at sale."
)
ITEMS_BELOW = N_(
    "Every item is below the %(limit)s per-item %(label)s limit: %(tax)s charged at sale."
)
ITEM_OVER = N_(
    "An item of %(value)s is over the %(limit)s per-item %(label)s limit: "
    "import %(tax)s and duty at the border."
)
ITEM_NOT_BELOW = N_(
    "An item of %(value)s is not below the %(limit)s per-item %(label)s limit: "
    "import %(tax)s and duty at the border."
)
PLATFORM_SALE = N_(
    "Sold through an electronic marketplace, the deemed supplier since %(since)s: "
    "VAT charged at sale."
)
IMPORT_RELIEF = N_(
    "Import VAT of %(vat)s is within the %(limit)s small-consignment relief: not collected."
)
IMPORT_OVER_RELIEF = N_(
    "Import VAT of %(vat)s is over the %(limit)s small-consignment relief: "
    "VAT and duty at the border."
)
US_WITHIN = N_(
    "Consignment of %(value)s is within the %(limit)s US de minimis: no duty, and no VAT."
)
US_OVER = N_(
    "Consignment of %(value)s is over the %(limit)s US de minimis: duty at the border, no VAT."
)
US_SUSPENDED = N_("The US de minimis is suspended since %(since)s: duty on every parcel, no VAT.")
GENERIC_IMPORT = N_(
    "No low-value scheme is modelled for %(country)s: import %(tax)s and duty at the border."
)
FIXED_DUTY = N_("Fixed customs duty of %(amount)s per item category (%(count)s in the parcel).")
NO_DUTY_RATES = N_("No duty rates given: duty counted as 0.")
MISSING_CHAPTER = N_("No duty rate given for HS chapter %(chapters)s: its duty counted as 0.")
NO_HS_CHAPTER = N_("An item has no HS chapter: its duty counted as 0.")
# the taxes' short names inside the reasons
TAX_NAMES = (N_("VAT"), N_("GST"))


class NoSchemeOnRecord(LookupError):
    def __init__(self, destination: str, on: date, first: date) -> None:
        self.destination, self.on = destination, on
        super().__init__(
            f"no cross-border scheme on record for {destination} on {on} (records start {first})"
        )


# ---- the data file ------------------------------------------------------------------


class _Dated(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: date = Field(alias="from")
    end: date | None = Field(None, alias="to")
    source: str = Field(min_length=3)
    url: str = Field(pattern=r"^https://")
    note: str = ""

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


class OssPeriod(_Dated):
    threshold: Amount = Field(gt=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class SchemePeriod(_Dated):
    kind: Literal["low_value", "platform", "duty_only"]
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    label: str
    at_border: str
    at_sale: str | None = None
    limit: Amount | None = Field(None, gt=0)
    per: Literal["consignment", "item"] = "consignment"
    inclusive: bool = True
    duty_within: Literal["none", "fixed_per_category", "tariff"] = "none"
    fixed_duty: Amount | None = Field(None, gt=0)
    platform_supplier: bool = False
    relief_tax: Amount | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _complete(self) -> SchemePeriod:
        if self.kind != "duty_only" and self.at_sale is None:
            raise ValueError(f"a {self.kind} period needs at_sale")
        if self.kind == "low_value" and self.limit is None:
            raise ValueError("a low_value period needs a limit")
        if (self.duty_within == "fixed_per_category") != (self.fixed_duty is not None):
            raise ValueError("fixed_duty goes with duty_within: fixed_per_category")
        return self


class Destination(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customs_value: Literal["cif", "fob"]
    tax: Literal["VAT", "GST", "none"]
    periods: list[SchemePeriod] = Field(min_length=1)

    def on(self, code: str, day: date) -> SchemePeriod:
        for period in self.periods:
            if period.covers(day):
                return period
        raise NoSchemeOnRecord(code, day, min(p.start for p in self.periods))


class ImportDefaults(BaseModel):
    customs_value: dict[str, Literal["cif", "fob"]]


class SchemesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    oss: list[OssPeriod] = Field(min_length=1)
    destinations: dict[str, Destination]
    generic: ImportDefaults = Field(alias="import")


@lru_cache(maxsize=1)
def schemes() -> SchemesFile:
    return SchemesFile.model_validate(read_data("schemes.yaml"))


# ---- parcels and answers --------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    price: Decimal  # per unit, in the consignment's currency
    quantity: int = 1
    hs_chapter: str | None = None
    category: str | None = None

    def __post_init__(self) -> None:
        if self.price < 0 or self.quantity < 1:
            raise ValueError(f"an item needs a price >= 0 and a quantity >= 1: {self}")

    @property
    def value(self) -> Decimal:
        return self.price * self.quantity


@dataclass(frozen=True)
class Consignment:
    destination: str
    on: date
    currency: str
    items: tuple[Item, ...]
    shipping: Decimal = Decimal(0)
    via_marketplace: bool = False

    def __post_init__(self) -> None:
        if not self.items or self.shipping < 0:
            raise ValueError("a consignment needs at least one item and shipping >= 0")

    @property
    def goods(self) -> Decimal:
        return sum((item.value for item in self.items), Decimal(0))


@dataclass(frozen=True)
class TaxAssessment:
    destination: str
    scheme: str
    collected_at: Literal["sale", "border"]
    vat_rate: Decimal
    vat: Decimal
    duty: Decimal
    currency: str
    threshold: Decimal | None
    threshold_currency: str | None
    reason: str  # the English sentences, joined
    #: the same sentences, each a ``Text`` that a page shows in its language
    reasons: tuple[Text, ...] = ()


def money(amount: Decimal, currency: str, *, whole: bool = False) -> str:
    """``€120.00``, ``£135``, ``NOK 3,000.00`` — English, for the reasons."""
    digits = 0 if whole and amount == amount.to_integral_value() else minor_units(currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    number = format_decimal(amount, format=pattern, locale="en", decimal_quantization=True)
    symbol = get_currency_symbol(currency, locale="en")
    return f"{symbol}{' ' if symbol[-1].isalpha() else ''}{number}"


@dataclass(frozen=True)
class ReasonMoney(Money):
    """An amount inside a reason: ``€120.00`` in the English sentence (:func:`money`), in the
    page's own format where the sentence is shown translated (``120,00 €``)."""

    whole: bool = False

    def __str__(self) -> str:
        return money(Decimal(str(self.value)), self.currency, whole=self.whole)


def _amount(amount: Decimal, currency: str, *, whole: bool = False) -> ReasonMoney:
    return ReasonMoney(float(amount), currency, whole)


def _day(on: date) -> date:
    """A day inside a reason (``29 Aug 2025``; the page's own format where translated)."""
    return on


def hs_chapter(code: object) -> str | None:
    """``"6109.10"`` → ``"61"``, ``"9"`` → ``"09"``; ``None`` for no code."""
    digits = "".join(ch for ch in str(code or "") if ch.isdigit())
    return digits[:2].zfill(2) if digits else None


@dataclass
class _Parcel:
    """A consignment being assessed: its amounts, converter and duty table."""

    c: Consignment
    code: str
    currency: str
    convert: Convert
    duty_rates: Mapping[str, Decimal] | None
    cif: bool
    notes: list[Text] = field(default_factory=list)

    def round(self, amount: Decimal, currency: str | None = None) -> Decimal:
        exponent = Decimal(1).scaleb(-minor_units(currency or self.currency))
        return amount.quantize(exponent, rounding=ROUND_HALF_UP)

    def to(self, amount: Decimal, currency: str) -> Decimal:
        """``amount`` (in the consignment's currency) in ``currency``, rounded."""
        if currency != self.currency:
            amount = self.convert(amount, self.currency, currency, self.c.on)
        return self.round(amount, currency)

    def from_(self, amount: Decimal, currency: str) -> Decimal:
        if currency != self.currency:
            amount = self.convert(amount, currency, self.currency, self.c.on)
        return self.round(amount)

    def tariff_duty(self) -> Decimal:
        """Duty from the caller's HS chapter table on each item's customs value."""
        if self.duty_rates is None:
            self.notes.append(Text(NO_DUTY_RATES))
            return Decimal(0)
        rates = {hs_chapter(k): Decimal(exact(v)) for k, v in self.duty_rates.items()}
        goods, total = self.c.goods, Decimal(0)
        missing: set[str] = set()
        no_code = False
        for item in self.c.items:
            chapter = hs_chapter(item.hs_chapter)
            if chapter is None:
                no_code = True
            elif chapter not in rates:
                missing.add(chapter)
            else:
                share = self.c.shipping * item.value / goods if self.cif and goods else 0
                total += (item.value + share) * rates[chapter] / 100
        if missing:
            self.notes.append(Text(MISSING_CHAPTER, **{"chapters": ", ".join(sorted(missing))}))
        if no_code:
            self.notes.append(Text(NO_HS_CHAPTER))
        return self.round(total)

    def fixed_duty(self, amount: Decimal, currency: str) -> Decimal:
        """``amount`` per distinct item category (HS chapter and category; an item with
        neither counts as a category of its own)."""
        keys = {
            (hs_chapter(i.hs_chapter), i.category) if i.hs_chapter or i.category else n
            for n, i in enumerate(self.c.items)
        }
        each = self.from_(amount, currency)
        self.notes.append(
            Text(FIXED_DUTY, **{"amount": _amount(each, self.currency), "count": len(keys)})
        )
        return each * len(keys)

    def answer(
        self,
        scheme: str,
        at: Literal["sale", "border"],
        rate: Decimal,
        vat: Decimal,
        duty: Decimal,
        reason: Text,
        threshold: Decimal | None = None,
        threshold_currency: str | None = None,
    ) -> TaxAssessment:
        return TaxAssessment(
            destination=self.code,
            scheme=scheme,
            collected_at=at,
            vat_rate=rate,
            vat=self.round(vat),
            duty=self.round(duty),
            currency=self.currency,
            threshold=threshold,
            threshold_currency=threshold_currency if threshold is not None else None,
            reason=" ".join([reason, *self.notes]),
            reasons=(reason, *self.notes),
        )


def _vat(rate: Decimal, base: Decimal) -> Decimal:
    return base * rate / 100


def _low_value(p: _Parcel, period: SchemePeriod, tax: str) -> TaxAssessment:
    assert period.limit is not None and period.at_sale is not None
    rate = vat_rate(p.code, p.c.on).standard_rate
    ccy, limit = period.currency, period.limit
    fits = (lambda v: v <= limit) if period.inclusive else (lambda v: v < limit)
    # the scheme's name and the tax's are catalog messages too (schemes.yaml's labels)
    words = {
        "limit": _amount(limit, ccy, whole=True),
        "label": Text(period.label),
        "tax": Text(tax),
    }
    if period.per == "consignment":
        value = p.to(p.c.goods, ccy)
        within = fits(value)
        words["value"] = _amount(value, ccy)
        template = WITHIN_LIMIT if within else OVER_LIMIT
    else:
        values = [p.to(item.price, ccy) for item in p.c.items]
        over = [v for v in values if not fits(v)]
        within = not over
        if within:
            template = ITEMS_WITHIN if period.inclusive else ITEMS_BELOW
        else:
            words["value"] = _amount(max(over), ccy)
            template = ITEM_OVER if period.inclusive else ITEM_NOT_BELOW
    reason = Text(template, **words)
    sold = p.c.goods + p.c.shipping
    if within:
        if period.duty_within == "fixed_per_category":
            assert period.fixed_duty is not None
            duty = p.fixed_duty(period.fixed_duty, ccy)
        elif period.duty_within == "tariff":
            duty = p.tariff_duty()
        else:
            duty = Decimal(0)
        vat = _vat(rate, sold)
        return p.answer(period.at_sale, "sale", rate, vat, duty, reason, limit, ccy)
    duty = p.tariff_duty()
    vat = _vat(rate, sold + duty)
    return p.answer(period.at_border, "border", rate, vat, duty, reason, limit, ccy)


def _platform(p: _Parcel, period: SchemePeriod) -> TaxAssessment:
    assert period.at_sale is not None
    rate = vat_rate(p.code, p.c.on).standard_rate
    if period.platform_supplier and p.c.via_marketplace:
        duty = p.tariff_duty()
        vat = _vat(rate, p.c.goods + p.c.shipping)
        reason = Text(PLATFORM_SALE, **{"since": _day(period.start)})
        return p.answer(period.at_sale, "sale", rate, vat, duty, reason)
    duty = p.tariff_duty()
    vat = p.round(_vat(rate, p.c.goods + p.c.shipping + duty))
    relief, ccy = period.relief_tax, period.currency
    if relief is not None and p.to(vat, ccy) <= relief:
        words = {"vat": _amount(vat, p.currency), "limit": _amount(relief, ccy, whole=True)}
        return p.answer(
            period.at_border,
            "border",
            rate,
            Decimal(0),
            duty,
            Text(IMPORT_RELIEF, **words),
            relief,
            ccy,
        )
    words = {"vat": _amount(vat, p.currency), "limit": _amount(relief or 0, ccy, whole=True)}
    return p.answer(
        period.at_border, "border", rate, vat, duty, Text(IMPORT_OVER_RELIEF, **words), relief, ccy
    )


def _duty_only(p: _Parcel, period: SchemePeriod) -> TaxAssessment:
    none = Decimal(0)
    if period.limit is None:
        duty = p.tariff_duty()
        reason = Text(US_SUSPENDED, **{"since": _day(period.start)})
        return p.answer(period.at_border, "border", none, none, duty, reason)
    value = p.to(p.c.goods, period.currency)
    words = {
        "value": _amount(value, period.currency),
        "limit": _amount(period.limit, period.currency, whole=True),
    }
    limits = (period.limit, period.currency)
    if value <= period.limit:
        return p.answer(
            period.at_border, "border", none, none, none, Text(US_WITHIN, **words), *limits
        )
    duty = p.tariff_duty()
    return p.answer(period.at_border, "border", none, none, duty, Text(US_OVER, **words), *limits)


def _generic(p: _Parcel) -> TaxAssessment:
    rate = vat_rate(p.code, p.c.on)
    duty = p.tariff_duty()
    vat = _vat(rate.standard_rate, p.c.goods + p.c.shipping + duty)
    tax = rate.tax_name.split(" (")[0]
    reason = Text(GENERIC_IMPORT, **{"country": p.code, "tax": Text(tax)})
    return p.answer("import", "border", rate.standard_rate, vat, duty, reason)


def destination_code(country: str) -> str:
    """A destination :func:`assess` knows: a VAT/GST country or a duty-only one (US)."""
    code = str(country or "").strip().upper()
    code = ALIASES.get(code, code)
    duty_only = {k for k, d in schemes().destinations.items() if d.tax == "none"}
    if code not in duty_only and code not in supported_countries():
        raise UnknownCountry(country, also=duty_only)
    return code


def assess(
    consignment: Consignment,
    *,
    convert: Convert,
    duty_rates: Mapping[str, Decimal] | None = None,
) -> TaxAssessment:
    """Who collects VAT/GST and duty on ``consignment``, how much, and why.

    ``duty_rates`` maps an HS chapter (``"61"``) to a duty percent; a chapter missing from
    it pays no duty, and the reason says so. Raises ``UnknownCountry``, ``NoRateOnRecord``
    or :class:`NoSchemeOnRecord` (``LookupError``), or ``ValueError`` for a bad amount."""
    code = destination_code(consignment.destination)
    currency = normalize_currency(consignment.currency)
    data = schemes()
    rules = data.destinations.get("EU" if is_eu(code) else code)
    cif = (rules.customs_value if rules else data.generic.customs_value.get(code, "cif")) == "cif"
    parcel = _Parcel(consignment, code, currency, convert, duty_rates, cif)
    if rules is None:
        return _generic(parcel)
    period = rules.on(code, consignment.on)
    if period.kind == "low_value":
        return _low_value(parcel, period, rules.tax)
    if period.kind == "platform":
        return _platform(parcel, period)
    return _duty_only(parcel, period)


# ---- EU OSS -------------------------------------------------------------------------


@dataclass(frozen=True)
class OssStatus:
    on: date
    total: Decimal  # cross-border EU B2C sales of the calendar year up to ``on``
    threshold: Decimal
    currency: str
    share: Decimal  # total / threshold, 4 places
    reached: bool  # over the threshold: destination VAT from the sale that crossed it
    nearly: bool  # at ``nearly_at`` of it or more, and not over it
    previous_year_total: Decimal
    destination_vat: bool  # over it this year or last year (art. 59c)


@dataclass
class OssTracker:
    """An EU-established seller's intra-EU distance sales, in EUR, towards the OSS
    threshold (€10,000 a calendar year). The threshold does not apply to sellers from
    outside the EU, who charge destination VAT from the first sale."""

    nearly_at: Decimal = Decimal("0.8")
    sales: list[tuple[date, Decimal]] = field(default_factory=list)

    def add(self, on: date, amount: Decimal) -> None:
        if amount < 0:
            raise ValueError("record refunds as a smaller sale, not a negative one")
        self.sales.append((on, amount))

    def total(self, year: int, *, until: date | None = None) -> Decimal:
        return sum(
            (a for d, a in self.sales if d.year == year and (until is None or d <= until)),
            Decimal(0),
        )

    def status(self, on: date) -> OssStatus:
        period = next((p for p in schemes().oss if p.covers(on)), None)
        if period is None:
            raise NoSchemeOnRecord("EU OSS", on, min(p.start for p in schemes().oss))
        total, previous = self.total(on.year, until=on), self.total(on.year - 1)
        share = (total / period.threshold).quantize(Decimal("0.0001"))
        reached = total > period.threshold
        return OssStatus(
            on=on,
            total=total,
            threshold=period.threshold,
            currency=period.currency,
            share=share,
            reached=reached,
            nearly=not reached and share >= self.nearly_at,
            previous_year_total=previous,
            destination_vat=reached or previous > period.threshold,
        )
