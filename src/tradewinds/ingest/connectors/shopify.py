"""Shopify Admin REST API: orders, customers and products, incrementally by ``updated_at``.

* Pages are followed through the ``Link`` response header (``rel="next"``; only
  ``page_info`` and ``limit`` may be sent with it, as Shopify requires).
* ``429 Too Many Requests`` is retried after the ``Retry-After`` seconds Shopify sends.
* The state keeps, per resource, the latest ``updated_at`` seen; the next run asks for
  ``updated_at_min`` = that time (inclusive: the boundary record is read again, which the
  warehouse's upsert makes harmless).

Ids line up with the Shopify orders CSV export importer, so an order imported both ways is
one row: ``shopify:<order name without #>``, customers ``shopify:c-<hash of e-mail>``,
products ``shopify:<sku>``. Personal data goes to ``customer_pii`` only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from tradewinds.i18n_markers import N_
from tradewinds.ingest.connectors.base import Connector
from tradewinds.ingest.connectors.http import JsonHttp
from tradewinds.ingest.files.order_rows import pseudonymous_id
from tradewinds.ingest.spec import Stream, table

API_VERSION = "2024-10"
PAGE_SIZE = 250
_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?([a-zA-Z]+)"?')


def next_link(link_header: str | None) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header, if any."""
    for url, rel in _LINK.findall(link_header or ""):
        if rel == "next":
            return url
    return None


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def customer_key(email: str | None) -> str | None:
    """The same pseudonymous id the orders CSV importer gives this e-mail address."""
    if not email:
        return None
    return pseudonymous_id("shopify", pd.Series([email], dtype="object")).iloc[0]


def product_key(sku: str | None, variant_id: Any) -> str | None:
    """``shopify:<sku>`` as the CSV importer has it; ``shopify:variant-<id>`` without a SKU."""
    if sku:
        return f"shopify:{sku}"
    return f"shopify:variant-{variant_id}" if variant_id is not None else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _country(*addresses: Any) -> str | None:
    for address in addresses:
        if isinstance(address, dict) and address.get("country_code"):
            return str(address["country_code"]).upper()
    return None


def order_rows(order: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Canonical ``orders`` row and ``order_lines`` of one Shopify order resource."""
    name = _text(order.get("name")) or _text(order.get("order_number")) or str(order["id"])
    order_id = f"shopify:{name.lstrip('#')}"
    currency = (order.get("currency") or "").upper()
    refunded = Decimal(0)
    for refund in order.get("refunds") or []:
        for transaction in refund.get("transactions") or []:
            if transaction.get("kind") == "refund" and transaction.get("status") in (
                None,
                "success",
            ):
                refunded += _money(transaction.get("amount")) or Decimal(0)
    shipping = _money(
        ((order.get("total_shipping_price_set") or {}).get("shop_money") or {}).get("amount")
    )
    email = _text(order.get("email")) or _text((order.get("customer") or {}).get("email"))
    row = {
        "order_id": order_id,
        "customer_id": customer_key(email),
        "storefront": "shopify",
        "ordered_at": _time(order.get("created_at")),
        "country": _country(order.get("shipping_address"), order.get("billing_address")),
        "currency": currency,
        "total": _money(order.get("total_price")) or Decimal(0),
        "subtotal": _money(order.get("subtotal_price")),
        "shipping": shipping,
        "tax": _money(order.get("total_tax")),
        "discount": _money(order.get("total_discounts")),
        "refunded": refunded,
        "status": (
            "cancelled" if order.get("cancelled_at") else _text(order.get("financial_status"))
        ),
        "source": "shopify_api",
    }
    lines = []
    for number, item in enumerate(order.get("line_items") or [], start=1):
        lines.append(
            {
                "order_id": order_id,
                "line_no": number,
                "product_id": product_key(_text(item.get("sku")), item.get("variant_id")),
                "sku": _text(item.get("sku")),
                "title": _text(item.get("name")) or _text(item.get("title")),
                "quantity": int(item.get("quantity") or 0),
                "unit_price": _money(item.get("price")) or Decimal(0),
                "currency": currency,
                "source": "shopify_api",
            }
        )
    return row, lines


def _consent(customer: dict[str, Any]) -> bool | None:
    consent = customer.get("email_marketing_consent")
    if isinstance(consent, dict) and consent.get("state"):
        return consent["state"] == "subscribed"
    value = customer.get("accepts_marketing")
    return bool(value) if value is not None else None


def customer_rows(customer: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """``customers`` and ``customer_pii`` rows of one Shopify customer (None without e-mail)."""
    email = _text(customer.get("email"))
    key = customer_key(email)
    if key is None:
        return None
    address = customer.get("default_address") or {}
    country = _country(address)
    public = {
        "customer_id": key,
        "country": country,
        "accepts_marketing": _consent(customer),
        "created_at": _time(customer.get("created_at")),
        "source": "shopify_api",
    }
    pii = {
        "customer_id": key,
        "email": email,
        "phone": _text(customer.get("phone")) or _text(address.get("phone")),
        "first_name": _text(customer.get("first_name")),
        "last_name": _text(customer.get("last_name")),
        "address1": _text(address.get("address1")),
        "address2": _text(address.get("address2")),
        "city": _text(address.get("city")),
        "region": _text(address.get("province")),
        "postal_code": _text(address.get("zip")),
        "country": country,
    }
    return public, pii


def product_rows(product: dict[str, Any], *, currency: str | None) -> list[dict[str, Any]]:
    """One ``products`` row per variant (each variant has its own SKU and price)."""
    rows = []
    for variant in product.get("variants") or [{}]:
        sku = _text(variant.get("sku"))
        key = product_key(sku, variant.get("id"))
        if key is None:
            continue
        title = _text(product.get("title"))
        variant_title = _text(variant.get("title"))
        if variant_title and variant_title != "Default Title":
            title = f"{title} - {variant_title}" if title else variant_title
        rows.append(
            {
                "product_id": key,
                "sku": sku,
                "title": title,
                "vendor": _text(product.get("vendor")),
                "category": _text(product.get("product_type")),
                "price": _money(variant.get("price")),
                "currency": currency,
                "source": "shopify_api",
            }
        )
    return rows


class ShopifySource(Connector):
    """One Shopify store read through the Admin REST API with an access token."""

    name = "shopify_api"
    kind = "shopify"
    label = N_("Shopify store (Admin API)")
    tables = ("customers", "customer_pii", "products", "orders", "order_lines")
    settings = ("shop_url", "access_token")

    @classmethod
    def from_settings(
        cls, settings: dict[str, Any], *, state: dict[str, str] | None, today: date
    ) -> ShopifySource:
        del today  # Shopify's cursors are its own updated_at times
        return cls(
            shop_url=settings["shop_url"], access_token=settings["access_token"], state=state
        )

    def __init__(
        self,
        *,
        shop_url: str,
        access_token: str,
        state: dict[str, str] | None = None,
        api_version: str = API_VERSION,
        http: JsonHttp | None = None,
    ) -> None:
        base = shop_url.rstrip("/")
        if not base.startswith(("http://", "https://")):
            base = f"https://{base}"
        self.base = f"{base}/admin/api/{api_version}"
        self.http = http or JsonHttp(headers={"X-Shopify-Access-Token": access_token})
        if http is not None:
            self.http._client.headers["X-Shopify-Access-Token"] = access_token
        self.state: dict[str, str] = dict(state or {})
        self._read = 0
        self._orders: list[dict[str, Any]] | None = None
        self._customers: list[dict[str, Any]] | None = None
        self._currency: str | None = None

    @property
    def rows_read(self) -> int:
        return self._read

    def _pages(self, resource: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every record of ``resource`` updated since the saved cursor, following Link pages."""
        url: str | None = f"{self.base}/{resource}.json"
        query: dict[str, Any] | None = {**params, "limit": PAGE_SIZE}
        if self.state.get(resource):
            assert query is not None
            query["updated_at_min"] = self.state[resource]
        latest = self.state.get(resource)
        while url:
            body, headers = self.http.get(url, query)
            for record in body.get(resource, []):
                self._read += 1
                updated = record.get("updated_at")
                if updated and (latest is None or _time(updated) > _time(latest)):
                    latest = updated
                yield record
            url = next_link(headers.get("link"))
            query = None  # the next-page URL carries page_info and limit already
        if latest:
            self.state[resource] = latest

    def _orders_once(self) -> list[dict[str, Any]]:
        if self._orders is None:
            self._orders = list(self._pages("orders", {"status": "any"}))
        return self._orders

    def _customers_once(self) -> list[dict[str, Any]]:
        if self._customers is None:
            self._customers = list(self._pages("customers", {}))
        return self._customers

    def _shop_currency(self) -> str | None:
        if self._currency is None:
            body, _ = self.http.get(f"{self.base}/shop.json")
            self._currency = ((body.get("shop") or {}).get("currency") or "").upper() or None
        return self._currency

    def streams(self) -> list[Stream]:
        def orders() -> Iterator[dict[str, Any]]:
            for order in self._orders_once():
                yield order_rows(order)[0]

        def lines() -> Iterator[dict[str, Any]]:
            for order in self._orders_once():
                yield from order_rows(order)[1]

        def customers() -> Iterator[dict[str, Any]]:
            for customer in self._customers_once():
                rows = customer_rows(customer)
                if rows:
                    yield rows[0]

        def pii() -> Iterator[dict[str, Any]]:
            for customer in self._customers_once():
                rows = customer_rows(customer)
                if rows:
                    yield rows[1]

        def products() -> Iterator[dict[str, Any]]:
            currency = self._shop_currency()
            for product in self._pages("products", {}):
                yield from product_rows(product, currency=currency)

        return [
            Stream("customers", table("customers"), customers, cursor="updated_at"),
            Stream("customer_pii", table("customer_pii"), pii, cursor="updated_at"),
            Stream("products", table("products"), products, cursor="updated_at"),
            Stream("orders", table("orders"), orders, cursor="updated_at"),
            Stream("order_lines", table("order_lines"), lines, cursor="updated_at"),
        ]
