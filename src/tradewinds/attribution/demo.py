"""Seeded demo journeys: touchpoints, orders and ad spend for trying attribution out.

``journey_rows`` is pure (rows as dicts); ``load`` writes them to a workspace's warehouse.
Orders are ids prefixed ``demo-attribution:`` so they never collide with imported ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

# channel -> (how a touch of it looks, share of touches, pull towards buying)
_CHANNELS: dict[str, tuple[dict[str, str], float, float]] = {
    "paid_search": ({"source": "google", "medium": "cpc", "gclid": "g"}, 0.22, 0.9),
    "paid_social": ({"source": "facebook", "medium": "paid_social"}, 0.20, 0.2),
    "tiktok": ({"source": "tiktok", "medium": "cpc", "ttclid": "t"}, 0.10, 0.1),
    "email": ({"source": "klaviyo", "medium": "email"}, 0.16, 1.1),
    "organic_search": ({"referrer": "https://www.google.com/"}, 0.18, 0.6),
    "social": ({"referrer": "https://www.instagram.com/"}, 0.08, 0.0),
    "referral": ({"referrer": "https://giftguide.example.org/best-gifts"}, 0.06, 0.5),
}
_CAMPAIGNS = {
    "paid_search": ["brand", "generic-gifts"],
    "paid_social": ["prospecting", "retargeting"],
    "tiktok": ["ugc-video"],
    "email": ["weekly-newsletter", "abandoned-cart"],
}
_PLATFORM = {"paid_search": "google", "paid_social": "meta", "tiktok": "tiktok"}
ORDER_PREFIX = "demo-attribution:"


def journey_rows(
    *,
    customers: int = 1500,
    end: date | None = None,
    days: int = 90,
    currency: str = "GBP",
    seed: int = 11,
) -> dict[str, list[dict[str, Any]]]:
    """Touchpoints, orders and daily ad spend for ``customers`` synthetic shoppers."""
    rng = np.random.default_rng(seed)
    last_day = end or datetime.now(UTC).date()
    first = datetime.combine(last_day - timedelta(days=days), datetime.min.time(), tzinfo=UTC)
    names = list(_CHANNELS)
    share = np.array([_CHANNELS[c][1] for c in names])
    share /= share.sum()
    pull = np.array([_CHANNELS[c][2] for c in names])
    touches: list[dict[str, Any]] = []
    orders: list[dict[str, Any]] = []
    for n in range(customers):
        person = f"demo-cust-{n:05d}"
        anon = f"demo-anon-{n:05d}"
        k = 1 + rng.poisson(2.2)
        codes = rng.choice(len(names), size=k, p=share)
        start = first + timedelta(days=float(rng.uniform(0, days - 5)))
        gaps = np.cumsum(rng.exponential(2.5, size=k))
        when = [start + timedelta(days=float(g)) for g in gaps]
        for j, (code, at) in enumerate(zip(codes, when, strict=True)):
            if at.date() > last_day:
                break
            channel = names[code]
            look = dict(_CHANNELS[channel][0])
            campaign = _CAMPAIGNS.get(channel)
            touches.append(
                {
                    "touchpoint_id": f"demo-tp-{n:05d}-{j}",
                    "customer_id": person
                    if j
                    else None,  # first touch is anonymous, stitched later
                    "anonymous_id": anon,
                    "occurred_at": at,
                    "channel": None,
                    "source": look.get("source"),
                    "medium": look.get("medium"),
                    "campaign": str(rng.choice(campaign)) if campaign else None,
                    "gclid": f"{look['gclid']}{n}{j}" if "gclid" in look else None,
                    "fbclid": None,
                    "ttclid": f"{look['ttclid']}{n}{j}" if "ttclid" in look else None,
                    "landing_url": "https://shop.example.com/",
                    "referrer": look.get("referrer"),
                    "country": "GB",
                    "device": "mobile" if rng.random() < 0.6 else "desktop",
                }
            )
        score = pull[codes].sum() / np.sqrt(k) - 1.2
        if rng.random() < 1 / (1 + np.exp(-score)):
            at = when[-1] + timedelta(hours=float(rng.uniform(0.1, 30)))
            if at.date() <= last_day:
                total = Decimal(str(round(float(rng.lognormal(3.6, 0.45)), 2)))
                orders.append(
                    {
                        "order_id": f"{ORDER_PREFIX}{n:05d}",
                        "customer_id": person,
                        "storefront": "shopify",
                        "ordered_at": at,
                        "country": "GB",
                        "currency": currency,
                        "total": total,
                        "status": "paid",
                        "source": "demo",
                    }
                )
    spend: list[dict[str, Any]] = []
    daily = {"paid_search": 38.0, "paid_social": 30.0, "tiktok": 14.0}
    for d in range(days + 1):
        day = first.date() + timedelta(days=d)
        for channel, base in daily.items():
            for campaign in _CAMPAIGNS[channel]:
                amount = base / len(_CAMPAIGNS[channel]) * float(rng.uniform(0.7, 1.3))
                spend.append(
                    {
                        "date": day,
                        "platform": _PLATFORM[channel],
                        "account_id": "demo",
                        "campaign_id": campaign,
                        "campaign_name": campaign,
                        "ad_group_id": "",
                        "ad_id": "",
                        "country": "",
                        "device": "",
                        "spend": Decimal(str(round(amount, 2))),
                        "currency": currency,
                        "source": "demo",
                    }
                )
    identities = [
        {
            "anonymous_id": f"demo-anon-{n:05d}",
            "user_id": f"demo-cust-{n:05d}",
            "first_seen_at": first,
        }
        for n in range(customers)
    ]
    return {
        "touchpoints": touches,
        "orders": orders,
        "ad_spend_daily": spend,
        "identities": identities,
    }


def load(*, workspace_key: str, currency: str = "GBP") -> str:
    """Write the demo journeys to a workspace's warehouse (idempotent: keyed rows)."""
    from tradewinds.warehouse import open_warehouse

    rows = journey_rows(currency=currency)
    with open_warehouse(workspace_key) as warehouse:
        for table in ("identities", "touchpoints", "orders", "ad_spend_daily"):
            warehouse.load(table, rows[table])
    return (
        f"attribution: {len(rows['touchpoints']):,} touchpoints, {len(rows['orders']):,} "
        f"orders, {len(rows['ad_spend_daily']):,} ad-spend rows"
    )
