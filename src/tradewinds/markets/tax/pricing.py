"""Price localisation: a converted price as a price people in the market expect.

Three styles (``data/price_styles.yaml`` holds each currency's steps and each market's
default):

* ``exact`` — the amount rounded half-up to the currency's minor units (Babel: JPY and
  KRW 0 decimals, EUR 2, KWD 3);
* ``charm`` — the nearest charm point (``19.99``, ``¥1,980``, ``249 kr``), ties upwards.
  Bound: with ``step`` = :func:`ending_step` of the amount,
  ``amount − step/2 ≤ result < amount + step`` (the upper end only below the first charm
  point); so charm pricing never moves a price up by a whole step, nor below zero;
* ``round`` — the nearest multiple of the currency's step (CHF 0.05 cash rounding, whole
  kronor, ₩100 / ₩1,000), never zero for a positive amount.

Zero stays zero in every style; a negative amount is an error.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from tradewinds.markets.currencies import minor_units, normalize_currency
from tradewinds.markets.tax.rates import ALIASES, exact, read_data

Style = Literal["charm", "round", "exact"]
Amount = Annotated[Decimal, BeforeValidator(exact)]


class Tier(BaseModel):
    """Amounts below ``below`` (any amount, without it): points ``k × step + ending``."""

    model_config = ConfigDict(extra="forbid")

    below: Amount | None = Field(None, gt=0)
    step: Amount = Field(gt=0)
    endings: list[Amount] = []

    @model_validator(mode="after")
    def _endings_fit(self) -> Tier:
        if any(not 0 < e < self.step for e in self.endings):
            raise ValueError(f"charm endings must lie between 0 and the step {self.step}")
        return self


def _tiers_in_order(tiers: list[Tier], *, charm: bool) -> list[Tier]:
    bounds = [t.below for t in tiers]
    if not tiers or bounds[-1] is not None or None in bounds[:-1]:
        raise ValueError("tiers need an upper bound each, except the last")
    if bounds[:-1] != sorted(bounds[:-1]):  # type: ignore[type-var]
        raise ValueError("tiers must go from small amounts to large")
    if charm != all(t.endings for t in tiers):
        raise ValueError("charm tiers need endings; round tiers have none")
    return tiers


class CurrencyStyle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    charm: list[Tier]
    round: list[Tier]

    @model_validator(mode="after")
    def _valid(self) -> CurrencyStyle:
        _tiers_in_order(self.charm, charm=True)
        _tiers_in_order(self.round, charm=False)
        return self


class Market(BaseModel):
    model_config = ConfigDict(extra="forbid")

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    style: Style
    source: str


class PriceStyles(BaseModel):
    model_config = ConfigDict(extra="forbid")

    currencies: dict[str, CurrencyStyle]
    by_minor_units: dict[int, CurrencyStyle]
    markets: dict[str, Market]


@lru_cache(maxsize=1)
def price_styles() -> PriceStyles:
    return PriceStyles.model_validate(read_data("price_styles.yaml"))


def market_style(market: str | None) -> Style:
    """The market's usual style; ``exact`` for no market or one without a convention."""
    code = str(market or "").strip().upper()
    found = price_styles().markets.get(ALIASES.get(code, code))
    return found.style if found else "exact"


def _currency_style(currency: str) -> CurrencyStyle:
    styles = price_styles()
    if currency in styles.currencies:
        return styles.currencies[currency]
    units = minor_units(currency)
    return styles.by_minor_units.get(units) or styles.by_minor_units[2]


def _tier(tiers: list[Tier], amount: Decimal) -> Tier:
    return next(t for t in tiers if t.below is None or amount < t.below)


def ending_step(amount: Decimal, currency: str) -> Decimal:
    """The distance between charm points around ``amount`` (``1`` for ``…x.99``)."""
    return _tier(_currency_style(normalize_currency(currency)).charm, amount).step


def _charm(amount: Decimal, tier: Tier) -> Decimal:
    block = amount // tier.step
    points = [
        (block + d) * tier.step + ending
        for d in (-1, 0, 1)
        if block + d >= 0
        for ending in tier.endings
    ]
    return min(points, key=lambda p: (abs(p - amount), -p))


def _round(amount: Decimal, tier: Tier) -> Decimal:
    nearest = (amount / tier.step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * tier.step
    return max(nearest, tier.step)


def localize_price(
    amount: Decimal,
    currency: str,
    *,
    style: Style | None = None,
    market: str | None = None,
) -> Decimal:
    """``amount`` in ``currency`` as a price in ``style`` (default: ``market``'s style,
    else ``exact``), with the currency's minor units. Raises ``ValueError`` for a
    negative amount, an unknown style, or an unknown currency."""
    code = normalize_currency(currency)
    if amount < 0:
        raise ValueError(f"a price cannot be negative: {amount}")
    chosen = style or market_style(market)
    places = Decimal(1).scaleb(-minor_units(code))
    if chosen == "exact" or amount == 0:
        return amount.quantize(places, rounding=ROUND_HALF_UP)
    spec = _currency_style(code)
    if chosen == "charm":
        result = _charm(amount, _tier(spec.charm, amount))
    elif chosen == "round":
        result = _round(amount, _tier(spec.round, amount))
    else:
        raise ValueError(f"unknown price style {chosen!r}: use charm, round or exact")
    return result.quantize(places, rounding=ROUND_HALF_UP)
