"""Markets: VAT/GST by country and date, the holiday and shopping-festival calendar, and a
product's landed price at a destination (the same reports as ``tradewinds markets``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from tradewinds.analytics.access import TAX
from tradewinds.analytics.schemas import OrderTaxesPublic, TaxReportPublic
from tradewinds.api.deps import DataReader, IsoDate, WarehouseDep, reader
from tradewinds.errors import TradewindsError
from tradewinds.markets.schemas import LandedPricePublic, MarketCalendarPublic, VatRatePublic
from tradewinds.warehouse.backend import Warehouse

router = APIRouter(prefix="/markets", tags=["markets"])

Country = Annotated[
    str, Query(min_length=2, max_length=2, examples=["EE"], description="ISO 3166 alpha-2")
]
Year = Annotated[int, Query(ge=1990, le=2100, examples=[2026])]
Kind = Literal["public_holiday", "festival", "season"]


class UnknownRate(TradewindsError):
    status_code = 404
    code = "unknown_rate"


class UnknownMarket(TradewindsError):
    status_code = 404
    code = "unknown_market"


class InvalidLanded(TradewindsError):
    status_code = 422
    code = "invalid_input"


def _message(exc: Exception) -> str:
    return str(exc.args[0]) if exc.args else str(exc)


@router.get("/vat", response_model=VatRatePublic)
def vat(
    _caller: DataReader,
    country: Country,
    on: Annotated[date | None, Query(alias="date", description="default: today")] = None,
) -> VatRatePublic:
    """The standard and main reduced VAT/GST rates of ``country`` on ``date``, in percent,
    with their source."""
    from tradewinds.markets.service import vat as vat_report

    try:
        return vat_report(country, on or date.today())
    except LookupError as exc:
        raise UnknownRate(_message(exc)) from None


@router.get("/calendar", response_model=MarketCalendarPublic)
def calendar(
    _caller: DataReader,
    market: Country,
    year: Year,
    kind: Annotated[list[Kind] | None, Query(description="only these kinds")] = None,
) -> MarketCalendarPublic:
    """Public holidays, shopping festivals and seasons of ``market`` in ``year``, each with
    the days to start advertising before it."""
    from tradewinds.markets.service import calendar as calendar_report

    try:
        return calendar_report(market, year, kinds=set(kind) if kind else None)
    except ValueError as exc:
        raise UnknownMarket(_message(exc)) from None


@router.get(
    "/calendar.ics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/calendar": {"schema": {"type": "string"}}},
            "description": "an iCalendar file (RFC 5545)",
        }
    },
)
def calendar_ics(_caller: DataReader, market: Country, year: Year) -> Response:
    """The same calendar as an iCalendar file (RFC 5545), one all-day event each, with a
    reminder when it is time to start advertising."""
    from tradewinds.markets.service import calendar_ics as ics
    from tradewinds.markets.service import normalize_country

    try:
        body = ics(market, year)
    except ValueError as exc:
        raise UnknownMarket(_message(exc)) from None
    name = f"tradewinds-{normalize_country(market)}-{year}.ics"
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/landed-price", response_model=LandedPricePublic)
def landed_price(
    caller: DataReader,
    price: Annotated[Decimal, Query(ge=0, examples=["49.90"])],
    currency: Annotated[str, Query(min_length=3, max_length=3, examples=["USD"])],
    destination: Annotated[str, Query(alias="to", min_length=2, max_length=2, examples=["DE"])],
    shipping: Annotated[Decimal, Query(ge=0)] = Decimal(0),
    quantity: Annotated[int, Query(ge=1, le=10_000)] = 1,
    hs_chapter: Annotated[str | None, Query(pattern=r"^\d{1,2}$")] = None,
    duty: Annotated[
        list[str] | None, Query(description="duty percent by HS chapter: 61=12")
    ] = None,
    on: Annotated[date | None, Query(alias="date", description="default: today")] = None,
    style: Literal["charm", "round", "exact"] | None = None,
    via_marketplace: Annotated[
        bool, Query(description="sold through an online marketplace (Switzerland's rule)")
    ] = False,
) -> LandedPricePublic:
    """What a buyer at ``to`` pays for the product delivered — price, shipping, duty and
    VAT — under which scheme, converted at the workspace's rates of ``date``."""
    from tradewinds.markets.currencies import UnknownCurrency, normalize_currency
    from tradewinds.markets.service import LandedRequest, parse_duty_rates, rates_for
    from tradewinds.markets.service import landed_price as landed_report

    day = on or date.today()
    try:
        request = LandedRequest(
            price=price,
            currency=normalize_currency(currency),
            destination=destination,
            on=day,
            shipping=shipping,
            quantity=quantity,
            hs_chapter=hs_chapter,
            duty_rates=parse_duty_rates(duty or []),
            style=style,
            via_marketplace=via_marketplace,
        )
        return landed_report(request, rates_for(day, workspace_key=caller.workspace.key))
    except (UnknownCurrency, LookupError, ValueError) as exc:
        raise InvalidLanded(_message(exc)) from None


TaxReader = reader(TAX)


def _period(warehouse: Warehouse, ws: Any, start: date | None, end: date | None) -> Any:
    """The report's days (default: the 30 days up to the last day with data)."""
    from tradewinds.analytics import service
    from tradewinds.analytics.filters import scope_from_query

    query = {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None}
    return scope_from_query(
        query,
        group_by="",
        timezone=ws.timezone,
        default_end=service.default_end(warehouse=warehouse, timezone=ws.timezone),
    )


@router.get("/tax", response_model=TaxReportPublic, response_model_by_alias=True)
def tax_by_market(
    principal: TaxReader,
    warehouse: WarehouseDep,
    from_: Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[IsoDate | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    home: Annotated[
        str | None,
        Query(
            min_length=2,
            max_length=2,
            description="the seller's own country: its sales are not cross-border",
        ),
    ] = None,
) -> TaxReportPublic:
    """Tax per market of the period (recorded by the exports, else the VAT inside the price
    at the destination's rate), net revenue after tax, and the sales counted towards each
    registration threshold (EU OSS, AU, NZ, NO, SG, CH, GB). Default: the last 30 days
    with data, in the workspace's currency."""
    from tradewinds.analytics.tax_due import tax_report
    from tradewinds.markets.service import normalize_country

    ws = principal.workspace
    scope = _period(warehouse, ws, from_, to)
    home_code = normalize_country(home) if home else None
    report = tax_report(warehouse, scope=scope, currency=ws.currency, home=home_code)
    return TaxReportPublic.of(report)


@router.get("/tax/orders", response_model=OrderTaxesPublic, response_model_by_alias=True)
def tax_by_order(
    principal: TaxReader,
    warehouse: WarehouseDep,
    from_: Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[IsoDate | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> OrderTaxesPublic:
    """Each order's tax (the newest first), in its own currency: recorded by its export,
    else the VAT inside its price at the destination's rate of its day, else not covered."""
    from tradewinds.analytics.schemas import OrderTaxPublic
    from tradewinds.analytics.tax_due import order_taxes

    ws = principal.workspace
    scope = _period(warehouse, ws, from_, to)
    orders = order_taxes(warehouse, scope, country=country, limit=limit)
    return OrderTaxesPublic(
        start=scope.start, end=scope.end, orders=[OrderTaxPublic.of(o) for o in orders]
    )
