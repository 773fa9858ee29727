"""Map stored Segment events to canonical warehouse rows.

Pure functions, no I/O: one collected event in, rows for ``events``, ``identities``,
``touchpoints``, ``products``, ``orders`` and ``order_lines`` out. Orders follow Segment's
e-commerce spec v2 (``Order Completed``, ``Order Updated``, ``Order Refunded``,
``Order Cancelled``; products in ``properties.products``). Refunds change an order that was
already mapped, so orders are folded through a small :class:`OrderState` the caller keeps
between runs (the event log stores it next to the drain cursor).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tradewinds.analytics.campaign_match import url_campaign_id
from tradewinds.ingest import geo
from tradewinds.ingest.events import parse_timestamp

ORDER_PLACED = frozenset({"Order Completed", "Order Updated"})
ORDER_REFUNDED = "Order Refunded"
ORDER_CANCELLED = "Order Cancelled"
PRODUCT_EVENTS = frozenset(
    {"Product Viewed", "Product Added", "Product Removed", "Product Clicked", "Product Shared"}
)
DEFAULT_CURRENCY = "USD"  # Segment's spec: currency defaults to USD when absent

CLICK_IDS = ("gclid", "fbclid", "ttclid")
_UTM = {"utm_source": "source", "utm_medium": "medium", "utm_campaign": "name"}

_SEARCH_HOSTS = ("google.", "bing.", "duckduckgo.", "yahoo.", "baidu.", "yandex.", "naver.")
_SOCIAL_HOSTS = (
    "facebook.",
    "instagram.",
    "tiktok.",
    "t.co",
    "twitter.",
    "x.com",
    "linkedin.",
    "pinterest.",
    "reddit.",
    "youtube.",
    "weibo.",
    "vk.com",
    "line.me",
)
_MEDIUM_CHANNEL = {
    "cpc": "paid_search",
    "ppc": "paid_search",
    "paidsearch": "paid_search",
    "sem": "paid_search",
    "paid_social": "paid_social",
    "paidsocial": "paid_social",
    "social_paid": "paid_social",
    "paid-social": "paid_social",
    "display": "display",
    "banner": "display",
    "cpm": "display",
    "email": "email",
    "e-mail": "email",
    "newsletter": "email",
    "sms": "sms",
    "social": "social",
    "social-network": "social",
    "social-media": "social",
    "sm": "social",
    "affiliate": "affiliate",
    "referral": "referral",
    "organic": "organic_search",
}


# -- small readers ----------------------------------------------------------------------


def money(value: Any) -> Decimal | None:
    """A JSON number or numeric text as an exact Decimal; None when absent or not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | str):
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return amount if amount.is_finite() else None
    return None


def _int(value: Any, default: int) -> int:
    amount = money(value)
    if amount is None:
        return default
    return int(amount)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _currency(value: Any) -> str:
    text = _text(value)
    return text.upper() if text and len(text) == 3 and text.isalpha() else DEFAULT_CURRENCY


def _when(event: dict[str, Any]) -> datetime | None:
    return parse_timestamp(event.get("timestamp"))


# -- events and identities --------------------------------------------------------------


def event_row(event: dict[str, Any]) -> dict[str, Any]:
    """The warehouse ``events`` row. Page and screen names go to ``event``; a group call's
    ``groupId`` and an alias's ``previousId`` are kept in ``properties``."""
    kind = event["type"]
    properties = dict(_obj(event.get("properties")))
    name = _text(event.get("event"))
    if kind in ("page", "screen"):
        name = _text(event.get("name")) or _text(properties.get("name"))
    elif kind == "group":
        properties.setdefault("groupId", event.get("groupId"))
    elif kind == "alias":
        properties.setdefault("previousId", event.get("previousId"))
    return {
        "message_id": event["messageId"],
        "type": kind,
        "event": name,
        "anonymous_id": _text(event.get("anonymousId")),
        "user_id": _text(event.get("userId")),
        "timestamp": _when(event),
        "received_at": parse_timestamp(event.get("receivedAt")),
        "properties": properties,
        "context": _obj(event.get("context")),
        "traits": _obj(event.get("traits")) or _obj(_obj(event.get("context")).get("traits")),
    }


def identity_rows(event: dict[str, Any]) -> list[dict[str, Any]]:
    """``anonymousId`` <-> ``userId`` pairs this event proves (alias: ``previousId``)."""
    user_id = _text(event.get("userId"))
    if not user_id:
        return []
    seen = _when(event)
    pairs = []
    anonymous_id = _text(event.get("anonymousId"))
    if anonymous_id:
        pairs.append(anonymous_id)
    if event.get("type") == "alias":
        previous = _text(event.get("previousId"))
        if previous and previous != user_id:
            pairs.append(previous)
    return [
        {"anonymous_id": a, "user_id": user_id, "first_seen_at": seen} for a in dict.fromkeys(pairs)
    ]


# -- customers (identify) ---------------------------------------------------------------

_PII_TRAITS = {
    "email": ("email",),
    "phone": ("phone",),
    "first_name": ("firstName", "first_name"),
    "last_name": ("lastName", "last_name"),
}
_ADDRESS_TRAITS = {
    "address1": ("street", "address1", "line1"),
    "address2": ("address2", "line2"),
    "city": ("city",),
    "region": ("state", "region", "province"),
    "postal_code": ("postalCode", "postal_code", "zip"),
}


def _first(source: dict[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = _text(source.get(name))
        if value:
            return value
    return None


def customer_rows(event: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """``customers`` and ``customer_pii`` rows from an identify call's traits (keyed by
    ``userId``). Values the call does not carry are None: the drain keeps what was known."""
    user_id = _text(event.get("userId"))
    traits = _obj(event.get("traits"))
    if not user_id or not traits:
        return None
    address = _obj(traits.get("address"))
    country = _text(address.get("country")) or _text(
        _obj(_obj(event.get("context")).get("location")).get("country")
    )
    created = parse_timestamp(traits.get("createdAt") or traits.get("created_at"))
    customer = {
        "customer_id": user_id,
        "country": country,
        "created_at": created,
        "source": "events",
    }
    pii: dict[str, Any] = {"customer_id": user_id, "country": country}
    for column, names in _PII_TRAITS.items():
        pii[column] = _first(traits, names)
    for column, names in _ADDRESS_TRAITS.items():
        pii[column] = _first(address, names)
    return customer, pii


# -- touchpoints ------------------------------------------------------------------------


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _query(url: str | None) -> dict[str, str]:
    if not url:
        return {}
    try:
        parsed = parse_qs(urlsplit(url).query, keep_blank_values=False)
    except ValueError:
        return {}
    return {k.lower(): v[0] for k, v in parsed.items() if v and v[0]}


def channel_for(
    *, source: str | None, medium: str | None, click_ids: dict[str, str], referrer_host: str
) -> str:
    """Marketing channel from UTM values, click ids and the referring host."""
    medium_key = (medium or "").strip().lower()
    if "gclid" in click_ids:
        return "paid_search"
    if medium_key in _MEDIUM_CHANNEL:
        channel = _MEDIUM_CHANNEL[medium_key]
        if channel == "social" and ("ttclid" in click_ids):
            return "paid_social"
        return channel
    if "ttclid" in click_ids:
        return "paid_social"
    if "fbclid" in click_ids:  # Facebook adds fbclid to organic links too
        return "social"
    host = referrer_host or (source or "").lower()
    if any(h in host for h in _SEARCH_HOSTS):
        return "organic_search"
    if any(h in host for h in _SOCIAL_HOSTS):
        return "social"
    if referrer_host:
        return "referral"
    return "other"


def touchpoint_row(event: dict[str, Any]) -> dict[str, Any] | None:
    """A marketing touch: campaign values (``context.campaign`` or ``utm_*`` in the page URL),
    click ids in the page URL, or a page view arriving from another site."""
    context = _obj(event.get("context"))
    page = _obj(context.get("page"))
    url = _text(page.get("url"))
    if url is None and event.get("type") == "page":
        url = _text(_obj(event.get("properties")).get("url"))
    referrer = _text(page.get("referrer"))
    if referrer is None and event.get("type") == "page":
        referrer = _text(_obj(event.get("properties")).get("referrer"))
    query = _query(url)
    campaign = {k: _text(v) for k, v in _obj(context.get("campaign")).items()}
    for param, key in _UTM.items():
        if not campaign.get(key) and query.get(param):
            campaign[key] = query[param]
    click_ids = {k: query[k] for k in CLICK_IDS if query.get(k)}
    referrer_host = _host(referrer)
    external = bool(referrer_host) and referrer_host != _host(url)
    has_campaign = any(campaign.get(k) for k in ("source", "medium", "name"))
    if not (has_campaign or click_ids or (external and event.get("type") == "page")):
        return None
    occurred = _when(event)
    if occurred is None:
        return None
    return {
        "touchpoint_id": event["messageId"],
        "customer_id": _text(event.get("userId")),
        "anonymous_id": _text(event.get("anonymousId")),
        "occurred_at": occurred,
        "channel": channel_for(
            source=campaign.get("source"),
            medium=campaign.get("medium"),
            click_ids=click_ids,
            referrer_host=referrer_host if external else "",
        ),
        "source": campaign.get("source") or (referrer_host if external else None),
        "medium": campaign.get("medium"),
        "campaign": campaign.get("name"),
        "gclid": click_ids.get("gclid"),
        "fbclid": click_ids.get("fbclid"),
        "ttclid": click_ids.get("ttclid"),
        "landing_url": url,
        "referrer": referrer,
        "country": _text(_obj(context.get("location")).get("country")),
        "device": _text(_obj(context.get("device")).get("type")),
        "campaign_id": url_campaign_id(url),
    }


# -- products and orders ----------------------------------------------------------------


def _product_id(product: dict[str, Any]) -> str | None:
    return _text(product.get("product_id")) or _text(product.get("sku"))


def product_row(product: dict[str, Any], *, currency: str) -> dict[str, Any] | None:
    product_id = _product_id(product)
    if product_id is None:
        return None
    return {
        "product_id": product_id,
        "sku": _text(product.get("sku")),
        "title": _text(product.get("name")),
        "vendor": _text(product.get("brand")),
        "category": _text(product.get("category")),
        "price": money(product.get("price")),
        "currency": currency,
        "source": "events",
    }


def _products(properties: dict[str, Any]) -> list[dict[str, Any]]:
    items = properties.get("products")
    return [p for p in items if isinstance(p, dict)] if isinstance(items, list) else []


@dataclass(frozen=True)
class OrderState:
    """What is known of one order across events: its row, its lines and refunds so far."""

    order: dict[str, Any] | None = None
    lines: tuple[dict[str, Any], ...] = ()
    refunded: Decimal = Decimal(0)
    cancelled: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "order": _jsonable(self.order),
            "lines": [_jsonable(line) for line in self.lines],
            "refunded": str(self.refunded),
            "cancelled": self.cancelled,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OrderState:
        return cls(
            order=_restore(data.get("order")),
            lines=tuple(_restore(line) for line in data.get("lines", [])),
            refunded=Decimal(data.get("refunded", "0")),
            cancelled=bool(data.get("cancelled")),
        )


_MONEY_COLUMNS = ("total", "subtotal", "shipping", "tax", "discount", "refunded", "unit_price")


def _jsonable(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    out = {}
    for key, value in row.items():
        if isinstance(value, Decimal):
            out[key] = str(value)
        elif isinstance(value, datetime):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def _restore(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    out = dict(row)
    for key in _MONEY_COLUMNS:
        if isinstance(out.get(key), str):
            out[key] = Decimal(out[key])
    if isinstance(out.get("ordered_at"), str):
        out["ordered_at"] = datetime.fromisoformat(out["ordered_at"])
    return out


def order_key(event: dict[str, Any], *, storefront: str) -> str | None:
    """The canonical ``orders.order_id`` for an e-commerce event (storefront-prefixed)."""
    properties = _obj(event.get("properties"))
    raw = _text(properties.get("order_id")) or _text(properties.get("checkout_id"))
    return f"{storefront}:{raw}" if raw else None


def placed_order(
    event: dict[str, Any], *, storefront: str
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The ``orders`` row and ``order_lines`` of an ``Order Completed``/``Updated`` event."""
    order_id = order_key(event, storefront=storefront)
    ordered_at = _when(event)
    if order_id is None or ordered_at is None:
        return None
    properties = _obj(event.get("properties"))
    currency = _currency(properties.get("currency"))
    lines = []
    for number, product in enumerate(_products(properties), start=1):
        price = money(product.get("price"))
        lines.append(
            {
                "order_id": order_id,
                "line_no": number,
                "product_id": _product_id(product),
                "sku": _text(product.get("sku")),
                "title": _text(product.get("name")),
                "quantity": _int(product.get("quantity"), 1),
                "unit_price": price if price is not None else Decimal(0),
                "currency": currency,
                "source": "events",
            }
        )
    total = money(properties.get("total"))
    if total is None:
        total = money(properties.get("revenue"))
    if total is None:
        total = sum((line["unit_price"] * line["quantity"] for line in lines), Decimal(0))
    context = _obj(event.get("context"))
    order = {
        "order_id": order_id,
        "customer_id": _text(event.get("userId")),
        "storefront": storefront,
        "ordered_at": ordered_at,
        "country": _text(_obj(context.get("location")).get("country")),
        "currency": currency,
        "total": total,
        "subtotal": money(properties.get("subtotal")),
        "shipping": money(properties.get("shipping")),
        "tax": money(properties.get("tax")),
        "discount": money(properties.get("discount")),
        "refunded": Decimal(0),
        "status": "placed",
        "source": "events",
    }
    return order, lines


def refund_amount(event: dict[str, Any], state: OrderState) -> Decimal:
    """How much an ``Order Refunded`` event gives back.

    ``total`` (or ``revenue``) when given; else the listed products (price x quantity) for a
    partial refund; else the whole order (Segment: no products listed means a full refund).
    """
    properties = _obj(event.get("properties"))
    amount = money(properties.get("total"))
    if amount is None:
        amount = money(properties.get("revenue"))
    if amount is None and _products(properties):
        amount = sum(
            (
                (money(p.get("price")) or Decimal(0)) * _int(p.get("quantity"), 1)
                for p in _products(properties)
            ),
            Decimal(0),
        )
    if amount is None:
        amount = state.order["total"] if state.order else Decimal(0)
    return abs(amount)


def _status(state: OrderState) -> str:
    order = state.order
    assert order is not None
    if state.cancelled:
        return "cancelled"
    if state.refunded > 0:
        return "refunded" if state.refunded >= order["total"] else "partially_refunded"
    return "placed"


def fold_order(state: OrderState, event: dict[str, Any], *, storefront: str) -> OrderState:
    """The order's state after one more e-commerce event."""
    name = event.get("event")
    if name in ORDER_PLACED:
        placed = placed_order(event, storefront=storefront)
        if placed is None:
            return state
        order, lines = placed
        return replace(state, order=order, lines=tuple(lines))
    if name == ORDER_REFUNDED:
        return replace(state, refunded=state.refunded + refund_amount(event, state))
    if name == ORDER_CANCELLED:
        return replace(state, cancelled=True)
    return state


def order_rows(state: OrderState) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The ``orders`` row (with refunds and status applied) and lines of a state."""
    if state.order is None:
        return None, []
    order = dict(state.order)
    order["refunded"] = min(state.refunded, order["total"]) if order["total"] >= 0 else Decimal(0)
    order["status"] = _status(state)
    return order, list(state.lines)


def is_order_event(event: dict[str, Any]) -> bool:
    name = event.get("event")
    return event.get("type") == "track" and (
        name in ORDER_PLACED or name in (ORDER_REFUNDED, ORDER_CANCELLED)
    )


@dataclass
class Rows:
    """Rows per warehouse table, built from a run of events."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, Any] | None) -> None:
        if row is not None:
            self.tables.setdefault(table, []).append(row)

    ips: dict[str, str] = field(default_factory=dict)
    """touchpoint id -> the event's ``context.ip``"""
    addresses: dict[str, str] = field(default_factory=dict)
    """customer id -> address country from this run's identify calls"""

    def fill_countries(self, known: Callable[[list[str]], dict[str, str]] | None = None) -> int:
        """Give touchpoints without ``context.location.country`` the customer's address
        country (this run's identify calls, else ``known(customer_ids)``, e.g. the
        warehouse's customers), else their IP's country (``geo``); returns how many got one."""
        touches = [t for t in self.tables.get("touchpoints", ()) if not t.get("country")]
        wanted = {t["customer_id"] for t in touches if t.get("customer_id")} - set(self.addresses)
        addresses = {**(known(sorted(wanted)) if known and wanted else {}), **self.addresses}
        filled = 0
        for touch in touches:
            country = addresses.get(touch.get("customer_id") or "")
            if country is None:
                country = geo.country_for_ip(self.ips.get(touch["touchpoint_id"]))
            if country is not None:
                touch["country"] = country
                filled += 1
        return filled


def map_events(
    events: list[dict[str, Any]],
    states: dict[str, OrderState],
    *,
    storefront: str,
    known_countries: Callable[[list[str]], dict[str, str]] | None = None,
) -> tuple[Rows, dict[str, OrderState]]:
    """Rows for a run of events (in stored order) and the orders' states after them.

    ``states`` holds what earlier runs knew of orders these events touch; it is not changed.
    ``known_countries`` looks up customers' address countries stored earlier (see
    :meth:`Rows.fill_countries`).
    """
    rows = Rows()
    new_states = dict(states)
    touched: list[str] = []
    for event in events:
        rows.add("events", event_row(event))
        for identity in identity_rows(event):
            rows.add("identities", identity)
        touch = touchpoint_row(event)
        rows.add("touchpoints", touch)
        ip = _text(_obj(event.get("context")).get("ip"))
        if touch is not None and ip:
            rows.ips[touch["touchpoint_id"]] = ip
        if event.get("type") == "identify":
            people = customer_rows(event)
            if people is not None:
                rows.add("customers", people[0])
                rows.add("customer_pii", people[1])
                if people[0]["country"]:
                    rows.addresses[people[0]["customer_id"]] = people[0]["country"]
        if event.get("type") != "track":
            continue
        properties = _obj(event.get("properties"))
        name = event.get("event")
        currency = _currency(properties.get("currency"))
        if name in PRODUCT_EVENTS:
            rows.add("products", product_row(properties, currency=currency))
        if is_order_event(event):
            key = order_key(event, storefront=storefront)
            if key is None:
                continue
            new_states[key] = fold_order(
                new_states.get(key, OrderState()), event, storefront=storefront
            )
            touched.append(key)
            for product in _products(properties) if name in ORDER_PLACED else ():
                rows.add("products", product_row(product, currency=currency))
    for key in dict.fromkeys(touched):
        order, lines = order_rows(new_states[key])
        rows.add("orders", order)
        for line in lines:
            rows.add("order_lines", line)
    rows.fill_countries(known_countries)
    return rows, new_states
