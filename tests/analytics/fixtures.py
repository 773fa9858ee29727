"""A tiny shop whose figures can be worked out by hand (see each test's arithmetic)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D
from typing import Any


def ts(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=UTC)


def spend(
    day: str,
    platform: str,
    amount: str,
    currency: str,
    *,
    campaign: str = "c1",
    country: str = "",
    impressions: int = 1000,
    clicks: int = 10,
    value: str = "0",
) -> dict[str, Any]:
    return {
        "date": date.fromisoformat(day),
        "platform": platform,
        "account_id": "acc",
        "campaign_id": campaign,
        "campaign_name": campaign,
        "ad_group_id": "",
        "ad_id": "",
        "country": country,
        "device": "",
        "impressions": impressions,
        "clicks": clicks,
        "spend": D(amount),
        "conversions": D("1"),
        "conversion_value": D(value),
        "currency": currency,
        "source": "test",
    }


def order(
    oid: str,
    customer: str | None,
    day: str,
    total: str,
    currency: str = "GBP",
    *,
    country: str = "GB",
    refunded: str | None = None,
    hour: int = 12,
    storefront: str = "shopify",
) -> dict[str, Any]:
    return {
        "order_id": oid,
        "customer_id": customer,
        "storefront": storefront,
        "ordered_at": ts(day, hour),
        "country": country,
        "currency": currency,
        "total": D(total),
        "refunded": D(refunded) if refunded else None,
        "status": "paid",
        "source": "test",
    }


def rate(day: str, quote: str, value: str) -> dict[str, Any]:
    """1 EUR = value quote."""
    return {
        "date": date.fromisoformat(day),
        "base": "EUR",
        "quote": quote,
        "rate": D(value),
        "source": "test",
    }
