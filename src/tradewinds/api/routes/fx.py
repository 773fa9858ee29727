"""Exchange rates of the caller's workspace: which currencies convert, and conversions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Query

from tradewinds.api.deps import DataReader, WarehouseDep
from tradewinds.errors import TradewindsError
from tradewinds.markets.schemas import FxConversion, FxStatus

router = APIRouter(prefix="/fx", tags=["exchange rates"])


class InvalidConversion(TradewindsError):
    status_code = 422
    code = "invalid_input"


class MissingRateError(TradewindsError):
    status_code = 404
    code = "missing_rate"


@router.get("/status", response_model=FxStatus)
def fx_status(_caller: DataReader, warehouse: WarehouseDep) -> FxStatus:
    """Each currency with rates: first and last day, and where the latest rate came from
    (``ecb-bundled``, ``ecb-daily``, ``file:<name>``, ``manual``)."""
    from tradewinds.markets.fx_status import workspace_status

    return workspace_status(warehouse)


@router.get("/convert", response_model=FxConversion, response_model_by_alias=True)
def fx_convert(
    principal: DataReader,
    amount: Annotated[str, Query(examples=["129.90"])],
    from_currency: Annotated[str, Query(alias="from", examples=["USD"])],
    to_currency: Annotated[str, Query(alias="to", examples=["GBP"])],
    on: Annotated[date, Query(description="the transaction's day")],
) -> FxConversion:
    """An amount at the rate of its day (a weekend's: the latest earlier within 7 days)."""
    from tradewinds.markets.currencies import UnknownCurrency, normalize_currency
    from tradewinds.markets.fx import MissingRate, load_fx_table
    from tradewinds.warehouse import open_warehouse

    try:
        value = Decimal(amount)
        src, dst = normalize_currency(from_currency), normalize_currency(to_currency)
    except (InvalidOperation, UnknownCurrency) as exc:
        raise InvalidConversion(str(exc) or f"not an amount: {amount!r}") from None
    with open_warehouse(principal.workspace.key) as warehouse:
        table = load_fx_table(warehouse, start=on, end=on)
    try:
        return FxConversion.of(table, value, src=src, dst=dst, on=on)
    except MissingRate as exc:
        raise MissingRateError(str(exc)) from None
