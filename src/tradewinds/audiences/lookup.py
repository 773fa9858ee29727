"""Finding a customer by e-mail, phone, name or id (the Customers page's search box).

* an id matches exactly, or as the part after a storefront prefix: ``12347`` finds
  ``online_retail:12347``;
* an e-mail address matches exactly, compared lower-cased and trimmed;
* a phone number matches exactly on its digits (``+49 151-2345 678`` finds
  ``+4915123456 78``); a number written nationally (``0151…``) also matches one stored
  with a country code whose national part is the same;
* a name matches as a case-insensitive part of the first and last name.

Only the ``customer_pii`` table holds personal data; the answer carries it for the page
to mask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tradewinds.errors import InvalidInput

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

MAX_RESULTS = 50
_PHONE = re.compile(r"\+?[\d\s().\-/]{7,24}")


@dataclass(frozen=True)
class Match:
    customer_id: str
    email: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None
    country: str | None
    matched: str  # "id", "email", "phone" or "name"


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def kind_of(query: str) -> str:
    """What a query looks for: ``email``, ``phone``, ``id_or_name`` or ``id``."""
    if "@" in query:
        return "email"
    if _PHONE.fullmatch(query) and len(_digits(query)) >= 7:
        return "phone"
    if any(ch.isalpha() for ch in query):
        return "id_or_name"
    return "id"


_SELECT = (
    "SELECT k.customer_id, p.email, p.phone, p.first_name, p.last_name, "
    "coalesce(p.country, c.country) "
    "FROM ({ids}) k "
    "LEFT JOIN customer_pii p ON p.customer_id = k.customer_id "
    "LEFT JOIN customers c ON c.customer_id = k.customer_id "
    "ORDER BY k.customer_id LIMIT {limit}"
)
_DIGITS_SQL = "regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g')"


def _ids_by_id(query: str) -> tuple[str, list[object]]:
    # the part after a storefront prefix: the id ends with ":" + query (no LIKE, so no
    # wildcard in the query can widen the match)
    tail = f"right(customer_id, {len(query) + 1}) = ?"
    sql = (
        f"SELECT customer_id FROM customers WHERE customer_id = ? OR {tail} "
        f"UNION SELECT customer_id FROM orders WHERE customer_id = ? OR {tail}"
    )
    return sql, [query, ":" + query, query, ":" + query]


def _run(warehouse: Warehouse, ids: str, params: list[object], matched: str, limit: int):
    rows = warehouse.query(_SELECT.format(ids=ids, limit=int(limit)), params).rows
    return [Match(str(r[0]), r[1], r[2], r[3], r[4], r[5], matched) for r in rows]


def search_customers(warehouse: Warehouse, query: str, *, limit: int = MAX_RESULTS) -> list[Match]:
    """The customers ``query`` finds (at most ``limit``), ids first, then the rest."""
    query = query.strip()
    if len(query) < 2:
        raise InvalidInput("search: type at least 2 characters (an e-mail, phone, name or id)")
    if len(query) > 200:
        raise InvalidInput("search: at most 200 characters")
    kind = kind_of(query)
    found: list[Match] = []
    if kind == "email":
        found += _run(
            warehouse,
            "SELECT customer_id FROM customer_pii WHERE lower(trim(email)) = ?",
            [query.lower()],
            "email",
            limit,
        )
    else:
        ids, params = _ids_by_id(query)
        found += _run(warehouse, ids, params, "id", limit)
    if kind == "phone":
        digits = _digits(query)
        if query.lstrip().startswith("0"):  # national form: match any country code
            national = digits.lstrip("0")
            sql = (
                f"SELECT customer_id FROM customer_pii WHERE {_DIGITS_SQL} = ? "
                f"OR right({_DIGITS_SQL}, {len(national)}) = ?"
            )
            found += _run(warehouse, sql, [digits, national], "phone", limit)
        else:
            sql = f"SELECT customer_id FROM customer_pii WHERE {_DIGITS_SQL} = ?"
            found += _run(warehouse, sql, [digits], "phone", limit)
    if kind == "id_or_name":
        sql = (
            "SELECT customer_id FROM customer_pii WHERE strpos(lower(coalesce(first_name, '') "
            "|| ' ' || coalesce(last_name, '')), ?) > 0"
        )
        found += _run(warehouse, sql, [query.lower()], "name", limit)
    seen: set[str] = set()
    unique = []
    for match in found:
        if match.customer_id not in seen:
            seen.add(match.customer_id)
            unique.append(match)
    return unique[:limit]
