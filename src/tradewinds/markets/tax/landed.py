"""Landed price: what a buyer at a destination pays for a product, delivered — product,
shipping, duty and VAT/GST — and under which scheme (:func:`~.schemes.assess`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tradewinds.i18n_markers import Text
from tradewinds.markets.currencies import minor_units
from tradewinds.markets.tax.schemes import Consignment, Convert, Item, assess


@dataclass(frozen=True)
class LandedPrice:
    product: Decimal  # price × quantity
    shipping: Decimal
    duty: Decimal
    vat: Decimal
    total: Decimal
    currency: str
    scheme: str
    reason: str
    vat_rate: Decimal  # percent
    collected_at: str  # "sale" | "border": where the VAT/GST is collected
    reasons: tuple[Text, ...] = ()  # ``reason``'s sentences, each shown in the page's language


def landed_price(
    price: Decimal,
    currency: str,
    destination: str,
    on: date,
    *,
    shipping: Decimal = Decimal(0),
    duty_rates: Mapping[str, Decimal] | None = None,
    hs_chapter: str | None = None,
    convert: Convert,
    quantity: int = 1,
    category: str | None = None,
    via_marketplace: bool = False,
) -> LandedPrice:
    """``quantity`` units at ``price`` (in ``currency``) shipped to ``destination`` on
    ``on``, taxes and duty included, in ``currency``. ``duty_rates`` maps HS chapters to
    duty percents. Raises ``LookupError`` (unknown destination, no rate on record) or
    ``ValueError`` (a negative amount)."""
    parcel = Consignment(
        destination=destination,
        on=on,
        currency=currency,
        items=(Item(price, quantity, hs_chapter=hs_chapter, category=category),),
        shipping=shipping,
        via_marketplace=via_marketplace,
    )
    tax = assess(parcel, convert=convert, duty_rates=duty_rates)
    places = Decimal(1).scaleb(-minor_units(tax.currency))
    product = (price * quantity).quantize(places, rounding=ROUND_HALF_UP)
    freight = shipping.quantize(places, rounding=ROUND_HALF_UP)
    return LandedPrice(
        product=product,
        shipping=freight,
        duty=tax.duty,
        vat=tax.vat,
        total=product + freight + tax.duty + tax.vat,
        currency=tax.currency,
        scheme=tax.scheme,
        reason=tax.reason,
        vat_rate=tax.vat_rate,
        collected_at=tax.collected_at,
        reasons=tax.reasons,
    )
