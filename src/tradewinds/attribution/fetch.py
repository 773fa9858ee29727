"""Load what attribution needs from a workspace's warehouse, once, into plain frames."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pandas as pd

from tradewinds.analytics.metrics import CANCELLED_STATUSES, order_sql
from tradewinds.markets.fx_sql import convert_sql

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

CANCELLED = CANCELLED_STATUSES  # kept for callers of this module


@dataclass(frozen=True)
class JourneyData:
    touches: pd.DataFrame  # touchpoint columns + person
    # person (None: the order has no customer id), occurred_at, value (reporting currency),
    # order_id
    conversions: pd.DataFrame
    spend: pd.DataFrame  # date, platform, campaign, campaign_id, campaign_name, spend
    identities: dict[str, str]
    missing_rates: int  # orders/spend rows whose currency could not be converted


def day_start(day: date, timezone: str = "UTC") -> datetime:
    """Midnight at the start of ``day`` in ``timezone``, as the naive UTC time stored."""
    local = datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


def _converted(frame: pd.DataFrame, amount: str, raw: str) -> tuple[pd.Series, int]:
    """Amounts in the reporting currency; one with no rate for its day counts as 0 (left out
    of revenue and spend, never converted at 1) and is counted in the second value."""
    converted = pd.to_numeric(frame[amount], errors="coerce")
    had_amount = pd.to_numeric(frame[raw], errors="coerce").notna()
    missing = int((converted.isna() & had_amount).sum())
    return converted.fillna(0.0).astype(float), missing


def load_journeys(
    *,
    warehouse: Warehouse,
    date_from: date,
    date_to: date,
    lookback: timedelta,
    currency: str,
    timezone: str = "UTC",
) -> JourneyData:
    """Touches from ``lookback`` before ``date_from`` to the end of ``date_to`` (days in
    ``timezone``); orders and ad spend in the reporting range (plus earlier orders that end
    earlier journeys)."""
    start = day_start(date_from, timezone) - lookback
    end = day_start(date_to + timedelta(days=1), timezone)
    touches = warehouse.query_df(
        "SELECT touchpoint_id, customer_id, anonymous_id, occurred_at, channel, source, medium, "
        "campaign, campaign_id, gclid, fbclid, ttclid, landing_url, referrer FROM touchpoints "
        "WHERE occurred_at >= ? AND occurred_at < ?",
        [start, end],
    )
    identity_rows = warehouse.query_df("SELECT anonymous_id, user_id FROM identities")
    identities = dict(
        zip(
            identity_rows["anonymous_id"].astype(str),
            identity_rows["user_id"].astype(str),
            strict=True,
        )
    )
    # the orders every screen counts (``analytics.metrics``): credit notes, zero-value
    # documents and cancelled orders are not conversions
    orders_sql = (
        "SELECT o.order_id, o.customer_id, o.ordered_at, o.total, o.currency FROM orders AS o "
        f"WHERE {order_sql('o')} "
        f"AND o.ordered_at >= TIMESTAMP '{start:%Y-%m-%d %H:%M:%S}' "
        f"AND o.ordered_at < TIMESTAMP '{end:%Y-%m-%d %H:%M:%S}'"
    )
    orders = warehouse.query_df(
        convert_sql(orders_sql, amount="total", currency="currency", on="ordered_at", to=currency)
    )
    value, missing_orders = _converted(orders, "total_converted", "total")
    conversions = pd.DataFrame(
        {
            "order_id": orders["order_id"].astype(str),
            "person": orders["customer_id"]
            .astype(object)
            .where(orders["customer_id"].notna(), None),
            "occurred_at": orders["ordered_at"],
            "value": value,
        }
    )
    spend_sql = (
        "SELECT date, platform, coalesce(nullif(campaign_name, ''), campaign_id) AS campaign, "
        "campaign_id, campaign_name, spend, currency FROM ad_spend_daily "
        f"WHERE date >= DATE '{date_from:%Y-%m-%d}' AND date <= DATE '{date_to:%Y-%m-%d}'"
    )
    spend_rows = warehouse.query_df(
        convert_sql(spend_sql, amount="spend", currency="currency", on="date", to=currency)
    )
    spend_value, missing_spend = _converted(spend_rows, "spend_converted", "spend")
    spend = pd.DataFrame(
        {
            "date": spend_rows["date"],
            "platform": spend_rows["platform"].astype(str),
            "campaign": spend_rows["campaign"].astype(object),
            "campaign_id": spend_rows["campaign_id"].astype(object),
            "campaign_name": spend_rows["campaign_name"].astype(object),
            "spend": spend_value,
        }
    )
    return JourneyData(touches, conversions, spend, identities, missing_orders + missing_spend)
