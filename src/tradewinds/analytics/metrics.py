"""The definition of every business figure: what it counts, its formula, label and unit.

This registry is the one place a figure is defined. The KPI queries (``kpis.py``) compute
the summed figures as the SQL fragments here say, ``calculations.py`` derives the ratios
from them, and every page, export, CLI command and API route takes its labels, units and
figures from ``analytics.service``. A screen that must count differently (attribution
credits only orders with a tracked journey, audience exports only customers who agreed to
marketing) reports what it counts *and* what it leaves out, so the two add up to the
figure defined here (:class:`Coverage`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SkipValidation

Unit = Literal["money", "count", "ratio", "percent", "money_per"]
Side = Literal["orders", "spend", "events", "derived"]

#: order statuses that undo an order: it is not an order at all
CANCELLED_STATUSES = ("cancelled", "canceled", "voided")
#: a storefront session ends after this long without an event from the visitor
SESSION_GAP_MINUTES = 30
#: the event that records an order placed in the storefront (Segment's e-commerce spec)
ORDER_EVENT = "Order Completed"
#: ``orders.source`` of orders recorded by the event collector (the storefront's own)
STOREFRONT_SOURCE = "events"


def not_cancelled_sql(alias: str = "o") -> str:
    """SQL: the order of ``alias`` is not cancelled or voided (the one rule every screen uses)."""
    marks = ", ".join(f"'{s}'" for s in CANCELLED_STATUSES)
    return f"COALESCE(lower({alias}.status), '') NOT IN ({marks})"


def order_sql(alias: str = "o") -> str:
    """SQL: the row of ``alias`` is an order: a sales document with a positive total that
    is not cancelled (credit notes and zero-value documents are not orders)."""
    return f"({alias}.total > 0 AND {not_cancelled_sql(alias)})"


@dataclass(frozen=True)
class Definition:
    """One business figure."""

    name: str
    label: str
    unit: Unit
    side: Side
    formula: str
    counts: str

    @property
    def money(self) -> bool:
        """Whether the figure is an amount of money (or money per unit, or a money ratio)."""
        return self.unit in ("money", "money_per") or self.name in ("roas", "platform_roas")

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "unit": self.unit,
            "money": self.money,
            "side": self.side,
            "formula": self.formula,
            "counts": self.counts,
        }


def _d(name: str, label: str, unit: Unit, side: Side, formula: str, counts: str) -> Definition:
    return Definition(name, label, unit, side, formula, counts)


_ORDER = (
    "sales documents with a positive total ordered in the period (workspace days), "
    "from every source: storefront, marketplaces, imported files; not cancelled or "
    "voided; credit notes and zero-value documents are not orders"
)

DEFINITIONS: dict[str, Definition] = {
    d.name: d
    for d in (
        _d("orders", "Orders", "count", "orders", "count of orders", _ORDER),
        _d(
            "revenue",
            "Revenue (gross)",
            "money",
            "orders",
            "sum of order totals",
            "the totals of those orders before refunds, converted at each order day's rate",
        ),
        _d(
            "refunds",
            "Refunds",
            "money",
            "orders",
            "sum of refunded amounts",
            "amounts refunded on orders of the period",
        ),
        _d(
            "adjustments",
            "Adjustments (e.g. bad debt written off)",
            "money",
            "orders",
            "sum of negative documents that are not refunds",
            "negative documents without a refund, such as a bad debt written off",
        ),
        _d(
            "net_revenue",
            "Net revenue",
            "money",
            "derived",
            "revenue − refunds + adjustments",
            "everything the period's sales documents add up to; reconciles with the export's "
            "own total",
        ),
        _d(
            "product_revenue",
            "Product revenue",
            "money",
            "orders",
            "revenue − order lines that are not products",
            "order totals less postage, fees, discounts, vouchers and adjustments lines",
        ),
        _d(
            "non_product_revenue",
            "Postage, fees and other non-product lines",
            "money",
            "derived",
            "revenue − product revenue",
            "order lines that are not products",
        ),
        _d(
            "product_orders",
            "Orders with products",
            "count",
            "orders",
            "count of orders with product revenue > 0",
            "orders holding at least one product",
        ),
        _d(
            "customers",
            "Customers",
            "count",
            "orders",
            "count of distinct customer ids with an order",
            "people with a customer id who placed at least one order in the period; orders "
            "without a customer id (guest checkouts, anonymous marketplace orders) add orders "
            "but no customer",
        ),
        _d(
            "new_customers",
            "New customers",
            "count",
            "orders",
            "count of customers whose first order ever falls in the period",
            "customers whose first order (as the importer recorded it, else their earliest "
            "order) is in the period",
        ),
        _d(
            "returning_customers",
            "Returning customers",
            "count",
            "derived",
            "customers − new customers",
            "customers who had ordered before the period",
        ),
        _d(
            "spend",
            "Ad spend",
            "money",
            "spend",
            "sum of ad spend",
            "daily ad-spend rows of every platform plus each day's even share of period "
            "reports (a report's account total counted once), converted at each day's rate",
        ),
        _d(
            "impressions",
            "Impressions",
            "count",
            "spend",
            "sum of impressions",
            "impressions reported by the ad platforms",
        ),
        _d(
            "clicks",
            "Clicks",
            "count",
            "spend",
            "sum of clicks",
            "clicks reported by the ad platforms",
        ),
        _d(
            "platform_conversions",
            "Conversions (platform-reported)",
            "count",
            "spend",
            "sum of conversions the platforms report",
            "the platforms' own conversion counts",
        ),
        _d(
            "platform_conversion_value",
            "Conversion value (platform-reported)",
            "money",
            "spend",
            "sum of conversion value the platforms report",
            "the platforms' own conversion value",
        ),
        _d(
            "visitors",
            "Visitors",
            "count",
            "events",
            "count of distinct visitors",
            "storefront visitors (anonymous id, else user id) who sent an event in the period",
        ),
        _d(
            "sessions",
            "Storefront sessions",
            "count",
            "events",
            "count of sessions",
            f"storefront sessions: a visitor's events (context.sessionId when the storefront "
            f"sends one, else the anonymous id, else the user id) with no gap longer than "
            f"{SESSION_GAP_MINUTES} minutes; a session is counted on the day it starts",
        ),
        _d(
            "storefront_orders",
            "Storefront orders",
            "count",
            "orders",
            f"count of orders with source '{STOREFRONT_SOURCE}'",
            f"orders placed in the storefront and recorded by the event collector (its "
            f"'{ORDER_EVENT}' events with an order id); orders imported from marketplaces or "
            f"back-office files are not storefront orders",
        ),
        _d("ctr", "CTR", "percent", "derived", "clicks ÷ impressions", "ad clicks per impression"),
        _d("cpc", "CPC", "money_per", "derived", "spend ÷ clicks", "ad spend per click"),
        _d(
            "cpm",
            "CPM",
            "money_per",
            "derived",
            "spend ÷ impressions × 1,000",
            "ad spend per thousand impressions",
        ),
        _d(
            "aov",
            "Average order value",
            "money_per",
            "derived",
            "product revenue ÷ orders with products",
            "what a customer bought per order, without postage, fees and discounts",
        ),
        _d(
            "roas",
            "ROAS (store)",
            "ratio",
            "derived",
            "revenue ÷ spend",
            "the store's gross revenue of the period per unit of ad spend (all orders, "
            "whatever their channel)",
        ),
        _d(
            "platform_roas",
            "ROAS (platform-reported)",
            "ratio",
            "derived",
            "platform conversion value ÷ spend",
            "what the ad platforms claim per unit of spend",
        ),
        _d(
            "cpa",
            "CPA",
            "money_per",
            "derived",
            "spend ÷ orders",
            "ad spend per order; on a channel's or campaign's row, per order whose last ad "
            "touch was that channel or campaign",
        ),
        _d(
            "cac",
            "CAC",
            "money_per",
            "derived",
            "spend ÷ new customers",
            "ad spend per new customer",
        ),
        _d(
            "conversion_rate",
            "Conversion rate (storefront orders ÷ sessions)",
            "percent",
            "derived",
            "storefront orders ÷ storefront sessions",
            "the share of storefront sessions that placed an order; imported orders are left "
            "out of the numerator, as their visits are not in the denominator. When every "
            "order of the period was imported, the rate is unknown (—), not 0 %",
        ),
    )
}


def definition(name: str) -> Definition:
    return DEFINITIONS[name]


def label(name: str) -> str:
    return DEFINITIONS[name].label


class Coverage(BaseModel):
    """What a screen that counts differently counts, and what it leaves out.

    ``counted + sum(left_out.values()) == total``, where ``total`` is the figure as
    defined here (``metric``) for the same period.
    """

    metric: str = Field(description="the figure of the metrics registry this covers")
    total: float = Field(description="the figure as every other screen shows it")
    counted: float = Field(description="the part this screen counts")
    left_out: dict[str, float] = Field(
        description="what it leaves out, by reason (the reasons add up to total − counted)"
    )
    # kept as given: a ``Text`` (tradewinds.i18n_markers) that the pages translate
    note: Annotated[str, SkipValidation] = Field(description="the sentence shown beside the figure")

    @property
    def left_out_total(self) -> float:
        return float(sum(self.left_out.values()))
