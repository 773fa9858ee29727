"""Canonical warehouse tables, declared once as data.

Every backend creates these tables from this declaration, every importer and connector
produces rows keyed by these column names, and users query them by name in the SQL
console. Extend by adding columns; never rename one.

Personal data (email, phone, name, address) lives only in ``customer_pii``, keyed by
``customer_id``: a data-subject erasure deletes that customer's rows there and
pseudonymises the ``customer_id`` elsewhere. Columns holding personal data are flagged
``pii=True`` so privacy code can find them without a list of its own.

Each table also declares how rows that arrive for a key already stored are merged
(:class:`MergePolicy`, applied by the one ingest pipeline, ``ingest/pipeline.py``, for
files, connectors and the event drain alike) and which of its columns carry the business
day its rows belong to (``days``), so a load can say which period it touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tradewinds.i18n_markers import N_

ColumnType = Literal["string", "int", "decimal", "double", "bool", "date", "timestamp", "json"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    nullable: bool = True
    pii: bool = False
    doc: str = ""


MergeKind = Literal["replace", "first_seen", "update"]


@dataclass(frozen=True)
class MergePolicy:
    """What happens when a row arrives for a primary key the table already holds.

    * ``replace`` — the arriving row replaces the stored one (restated figures: spend rows,
      orders whose refunds and status move, order lines, exchange rates);
    * ``first_seen`` — the stored row stays; only new keys are inserted (facts that never
      change once recorded: events, identity sightings);
    * ``update`` — the arriving row's values replace the stored ones, but a value it does
      not carry (NULL) keeps what is stored (descriptions several sources give a part of:
      customers, their contact details, products), so an identify call with only a phone
      number, or a connector that does not know the country, erases nothing.

    Rows sharing a key within one load keep the last one for ``replace``, the first one for
    ``first_seen`` — or, with ``earliest``, the one whose ``earliest`` column is smallest
    (an identity's first sighting, whatever order the events arrived in) — and are folded
    in arrival order for ``update``.
    """

    kind: MergeKind = "replace"
    earliest: str | None = None


REPLACE = MergePolicy("replace")
FIRST_SEEN = MergePolicy("first_seen")
UPDATE = MergePolicy("update")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    doc: str = ""
    indexes: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
    merge: MergePolicy = REPLACE
    #: date or timestamp columns whose lowest and highest values bound the business days
    #: a load of this table touched (empty: the rows belong to no day)
    days: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")


def _c(
    name: str, type_: ColumnType, nullable: bool = True, pii: bool = False, doc: str = ""
) -> Column:
    return Column(name, type_, nullable, pii, doc)


AD_SPEND_DAILY = Table(
    "ad_spend_daily",
    (
        _c("date", "date", False),
        _c("platform", "string", False, doc=N_("google | meta | tiktok | amazon | ...")),
        _c("account_id", "string"),
        _c("account_name", "string"),
        _c(
            "campaign_id",
            "string",
            False,
            doc=N_("platform id, or the campaign name when the export has none"),
        ),
        _c("campaign_name", "string"),
        _c("ad_group_id", "string"),
        _c("ad_group_name", "string"),
        _c("ad_id", "string"),
        _c("ad_name", "string"),
        _c(
            "country",
            "string",
            doc=N_("ISO 3166-1 alpha-2 where the export breaks down by country, else ''"),
        ),
        _c(
            "device",
            "string",
            doc=N_("desktop | mobile | tablet | other | '' when not broken down"),
        ),
        _c("impressions", "int"),
        _c("clicks", "int"),
        _c("spend", "decimal"),
        _c("conversions", "decimal", doc=N_("platform-reported")),
        _c("conversion_value", "decimal", doc=N_("platform-reported, in `currency`")),
        _c("currency", "string", False, doc=N_("ISO 4217")),
        _c("source", "string", doc=N_("file name or connector that produced the row")),
    ),
    primary_key=(
        "date",
        "platform",
        "account_id",
        "campaign_id",
        "ad_group_id",
        "ad_id",
        "country",
        "device",
    ),
    doc=N_("One row per day, platform, account, campaign, ad group, ad, country and device."),
    days=("date",),
)

AD_SPEND_PERIOD = Table(
    "ad_spend_period",
    (
        _c("period_start", "date", False, doc=N_("first day of the report's date range")),
        _c("period_end", "date", False, doc=N_("last day of the report's date range")),
        _c("platform", "string", False, doc=N_("google | meta | tiktok | amazon | ...")),
        _c("account_id", "string", False, doc=N_("'' when the report does not name the account")),
        _c("account_name", "string"),
        _c("report", "string", False, doc=N_("the report's title, e.g. 'Landing page report'")),
        _c(
            "kind",
            "string",
            False,
            doc=N_(
                "row | account_total (the report's 'Total: Account') | not_broken_down "
                "(the part of the account total no row covers)"
            ),
        ),
        _c(
            "dimension",
            "string",
            False,
            doc=N_(
                "what the rows break the spend down by: landing_page | interaction_type | "
                "ad_group | keyword | device | campaign | ... ('' for the account total)"
            ),
        ),
        _c("dimension_value", "string", False, doc=N_("the row's landing page, keyword ...")),
        _c("campaign_id", "string", False, doc=N_("'' when the report has no campaign column")),
        _c("campaign_name", "string"),
        _c("currency", "string", False, doc=N_("ISO 4217")),
        _c("impressions", "int"),
        _c("clicks", "int"),
        _c("spend", "decimal"),
        _c("conversions", "decimal", doc=N_("platform-reported")),
        _c("conversion_value", "decimal", doc=N_("platform-reported, in `currency`")),
        _c("source", "string", doc=N_("file layout or connector that produced the row")),
    ),
    primary_key=(
        "period_start",
        "period_end",
        "platform",
        "account_id",
        "report",
        "kind",
        "dimension",
        "dimension_value",
        "campaign_id",
    ),
    doc=N_(
        "Spend reported for a whole date range (a report without a day column): one row "
        "per report row, plus the account's total for the period and the part of it no row "
        "covers. Reports read it spread evenly over the period's days."
    ),
    days=("period_start", "period_end"),
)

ORDERS = Table(
    "orders",
    (
        _c("order_id", "string", False, doc=N_("storefront-prefixed, e.g. 'shopify:1001'")),
        _c("customer_id", "string"),
        _c(
            "storefront",
            "string",
            False,
            doc=N_("shopify | amazon | ebay | shopee | tiktok_shop | online_retail | ..."),
        ),
        _c("ordered_at", "timestamp", False, doc=N_("UTC")),
        _c(
            "country",
            "string",
            doc=N_("shipping country, ISO 3166-1 alpha-2 or the export's country name"),
        ),
        _c("currency", "string", False),
        _c("total", "decimal", False, doc=N_("gross order total in `currency`")),
        _c("subtotal", "decimal"),
        _c("shipping", "decimal"),
        _c("tax", "decimal"),
        _c("discount", "decimal"),
        _c("refunded", "decimal", doc=N_("amount refunded so far, >= 0")),
        _c("status", "string", doc=N_("placed | paid | shipped | cancelled | refunded | ...")),
        _c("source", "string"),
    ),
    primary_key=("order_id",),
    indexes=(("ordered_at",), ("customer_id",)),
    days=("ordered_at",),
)

ORDER_LINES = Table(
    "order_lines",
    (
        _c("order_id", "string", False),
        _c("line_no", "int", False),
        _c("product_id", "string"),
        _c("sku", "string"),
        _c("title", "string"),
        _c("quantity", "int", False),
        _c("unit_price", "decimal", False),
        _c("currency", "string", False),
        _c("source", "string"),
        _c(
            "line_kind",
            "string",
            doc=N_(
                "product | fee | postage | discount | adjustment | voucher (NULL: product, "
                "imported before lines were classified); see ingest/line_kinds"
            ),
        ),
    ),
    primary_key=("order_id", "line_no"),
)

CUSTOMERS = Table(
    "customers",
    (
        _c("customer_id", "string", False),
        _c("country", "string"),
        _c("first_order_at", "timestamp"),
        _c("accepts_marketing", "bool"),
        _c("created_at", "timestamp"),
        _c("source", "string"),
    ),
    primary_key=("customer_id",),
    merge=UPDATE,
    days=("first_order_at",),
)

CUSTOMER_PII = Table(
    "customer_pii",
    (
        _c("customer_id", "string", False),
        _c("email", "string", pii=True),
        _c("phone", "string", pii=True),
        _c("first_name", "string", pii=True),
        _c("last_name", "string", pii=True),
        _c("address1", "string", pii=True),
        _c("address2", "string", pii=True),
        _c("city", "string", pii=True),
        _c("region", "string", pii=True),
        _c("postal_code", "string", pii=True),
        _c("country", "string"),
    ),
    primary_key=("customer_id",),
    doc=N_("The only table holding personal data; erased by customer_id."),
    merge=UPDATE,
)

PRODUCTS = Table(
    "products",
    (
        _c("product_id", "string", False),
        _c("sku", "string"),
        _c("title", "string"),
        _c("vendor", "string"),
        _c("category", "string"),
        _c("price", "decimal"),
        _c("currency", "string"),
        _c("source", "string"),
    ),
    primary_key=("product_id",),
    merge=UPDATE,
)

EVENTS = Table(
    "events",
    (
        _c("message_id", "string", False),
        _c("type", "string", False, doc=N_("track | identify | page | screen | group | alias")),
        _c("event", "string", doc=N_("track event name, e.g. 'Order Completed'")),
        _c("anonymous_id", "string"),
        _c("user_id", "string"),
        _c("timestamp", "timestamp", False),
        _c("received_at", "timestamp"),
        _c("properties", "json"),
        _c("context", "json"),
        _c("traits", "json", pii=True),
    ),
    primary_key=("message_id",),
    indexes=(("timestamp",),),
    merge=FIRST_SEEN,
    days=("timestamp",),
)

TOUCHPOINTS = Table(
    "touchpoints",
    (
        _c("touchpoint_id", "string", False),
        _c("customer_id", "string"),
        _c("anonymous_id", "string"),
        _c("occurred_at", "timestamp", False),
        _c("channel", "string"),
        _c("source", "string"),
        _c("medium", "string"),
        _c("campaign", "string"),
        _c("gclid", "string"),
        _c("fbclid", "string"),
        _c("ttclid", "string"),
        _c("landing_url", "string"),
        _c("referrer", "string"),
        _c("country", "string"),
        _c("device", "string"),
        _c(
            "campaign_id",
            "string",
            doc=N_(
                "ad-platform campaign id from the landing URL (gad_campaignid, campaignid, "
                "campaign_id, utm_id, cid), when the link carries one"
            ),
        ),
    ),
    primary_key=("touchpoint_id",),
    indexes=(("occurred_at",),),
    days=("occurred_at",),
)

IDENTITIES = Table(
    "identities",
    (
        _c("anonymous_id", "string", False),
        _c("user_id", "string", False),
        _c("first_seen_at", "timestamp"),
    ),
    primary_key=("anonymous_id", "user_id"),
    doc=N_("Identity stitching: every anonymous id seen with a user id."),
    merge=MergePolicy("first_seen", earliest="first_seen_at"),
    days=("first_seen_at",),
)

FX_RATES = Table(
    "fx_rates",
    (
        _c("date", "date", False),
        _c("base", "string", False),
        _c("quote", "string", False),
        _c("rate", "decimal", False, doc=N_("1 base = rate quote")),
        _c("source", "string"),
    ),
    primary_key=("date", "base", "quote"),
    days=("date",),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        AD_SPEND_DAILY,
        AD_SPEND_PERIOD,
        ORDERS,
        ORDER_LINES,
        CUSTOMERS,
        CUSTOMER_PII,
        PRODUCTS,
        EVENTS,
        TOUCHPOINTS,
        IDENTITIES,
        FX_RATES,
    )
}


def pii_columns() -> dict[str, list[str]]:
    """Table name -> columns holding personal data."""
    return {
        t.name: [c.name for c in t.columns if c.pii]
        for t in TABLES.values()
        if any(c.pii for c in t.columns)
    }
