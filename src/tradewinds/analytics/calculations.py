"""Pure KPI maths: ratios from summed figures, period-over-period change.

Every ratio is ``None`` when its denominator is zero or missing — a dashboard shows "—",
never a made-up 0 or infinity.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tradewinds.analytics.metrics import DEFINITIONS

# summed in SQL (additive across groups)
BASE = (
    "spend",
    "impressions",
    "clicks",
    "platform_conversions",
    "platform_conversion_value",
    "orders",
    "revenue",
    "refunds",
    "customers",
    "new_customers",
    "visitors",
    "product_revenue",
    "product_orders",
    "adjustments",
    "sessions",
    "storefront_orders",
)
# name -> (numerator, denominator, scale)
RATIOS: dict[str, tuple[str, str, float]] = {
    "ctr": ("clicks", "impressions", 1.0),
    "cpc": ("spend", "clicks", 1.0),
    "cpm": ("spend", "impressions", 1000.0),
    # products only: postage, fees, discounts and vouchers are not what a customer bought
    "aov": ("product_revenue", "product_orders", 1.0),
    "roas": ("revenue", "spend", 1.0),
    "platform_roas": ("platform_conversion_value", "spend", 1.0),
    "cpa": ("spend", "orders", 1.0),
    "cac": ("spend", "new_customers", 1.0),
    # storefront orders over the storefront's own sessions: imported orders had no visit
    "conversion_rate": ("storefront_orders", "sessions", 1.0),
}
DERIVED = ("net_revenue", "non_product_revenue", "returning_customers", *RATIOS)
METRICS = BASE + DERIVED
MONEY = frozenset(n for n, d in DEFINITIONS.items() if d.money)
# the side of the business a metric comes from
SPEND_METRICS = frozenset(
    {"spend", "impressions", "clicks", "platform_conversions", "platform_conversion_value"}
)
ORDER_METRICS = frozenset(
    {
        "orders",
        "revenue",
        "refunds",
        "customers",
        "new_customers",
        "product_revenue",
        "product_orders",
        "adjustments",
        "storefront_orders",
    }
)
EVENT_METRICS = frozenset({"visitors", "sessions"})
NEEDS: dict[str, tuple[str, ...]] = {
    "net_revenue": ("revenue", "refunds", "adjustments"),
    "non_product_revenue": ("revenue", "product_revenue"),
    "returning_customers": ("customers", "new_customers"),
    **{name: (num, den) for name, (num, den, _) in RATIOS.items()},
    # orders too: with none of them from the storefront the rate is unknown, not 0 %
    "conversion_rate": ("storefront_orders", "sessions", "orders"),
}
LABELS = {n: d.label for n, d in DEFINITIONS.items()}
PERCENT = frozenset(n for n, d in DEFINITIONS.items() if d.unit == "percent")
RATIO_X = frozenset(n for n, d in DEFINITIONS.items() if d.unit == "ratio")


def base_needed(metrics: tuple[str, ...]) -> set[str]:
    """The summed figures ``metrics`` are computed from."""
    out: set[str] = set()
    for m in metrics:
        out |= set(NEEDS.get(m, (m,)))
    return out


def ratio(num: float | None, den: float | None, scale: float = 1.0) -> float | None:
    if num is None or den is None or den == 0:
        return None
    return float(num) / float(den) * scale


def derive(row: Mapping[str, Any]) -> dict[str, Any]:
    """Add net revenue, returning customers and every ratio to one row of summed figures.

    Net revenue is revenue less refunds plus adjustments (negative documents that are not
    refunds, such as a bad debt written off): everything the orders add up to, so it
    reconciles with the export's own total. Non-product revenue is the part of revenue
    from lines that are not products (postage, fees, discounts, vouchers, adjustments).
    """
    out = dict(row)
    rev, ref, adj = row.get("revenue"), row.get("refunds"), row.get("adjustments")
    out["net_revenue"] = (
        None
        if rev is None and ref is None and adj is None
        else float(rev or 0) - float(ref or 0) + float(adj or 0)
    )
    prod = row.get("product_revenue")
    out["non_product_revenue"] = None if rev is None or prod is None else float(rev) - float(prod)
    cust, new = row.get("customers"), row.get("new_customers")
    out["returning_customers"] = None if cust is None else int(cust) - int(new or 0)
    for name, (num, den, scale) in RATIOS.items():
        out[name] = ratio(row.get(num), row.get(den), scale)
    if not row.get("storefront_orders") and (row.get("orders") or 0) > 0:
        # every order of the period came from a marketplace or an imported file: the
        # storefront's sessions say nothing about them, and "0 %" would be a made-up figure
        out["conversion_rate"] = None
    return out


def change(current: float | None, previous: float | None) -> float | None:
    """Relative change (0.1 = +10 %); None when there is nothing to compare with."""
    if current is None or previous is None or previous == 0:
        return None
    return (float(current) - float(previous)) / abs(float(previous))
