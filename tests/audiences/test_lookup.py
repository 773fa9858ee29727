"""Finding customers by id, e-mail, phone and name, on DuckDB and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from tradewinds.audiences.lookup import kind_of, search_customers
from tradewinds.errors import InvalidInput


@pytest.fixture
def people(warehouse):
    warehouse.load(
        "customers",
        pd.DataFrame(
            {
                "customer_id": ["online_retail:12347", "shopify:99", "web:a_1"],
                "country": ["Iceland", "Germany", "France"],
            }
        ),
    )
    warehouse.load(
        "customer_pii",
        pd.DataFrame(
            {
                "customer_id": ["online_retail:12347", "shopify:99", "web:a_1"],
                "email": [" Ann.Smith@Example.com ", "bo@example.de", None],
                "phone": ["+49 151 2345 6789", "+33 6 12 34 56 78", None],
                "first_name": ["Ann", "Bo", "Anna"],
                "last_name": ["Smith", "Meyer", "Lindqvist"],
                "country": ["Iceland", "Germany", None],
            }
        ),
    )
    warehouse.load(
        "orders",
        pd.DataFrame(
            {
                "order_id": ["online_retail:1", "shopify:2"],
                "customer_id": ["online_retail:12347", "shopify:77"],
                "storefront": ["online_retail", "shopify"],
                "ordered_at": pd.to_datetime(["2026-01-02", "2026-01-03"]),
                "currency": ["GBP", "EUR"],
                "total": [10.0, 20.0],
            }
        ),
    )
    return warehouse


def ids(found) -> list[tuple[str, str]]:
    return [(m.customer_id, m.matched) for m in found]


def test_by_id_exact_or_after_the_storefront_prefix(people):
    assert ids(search_customers(people, "12347")) == [("online_retail:12347", "id")]
    assert ids(search_customers(people, "shopify:99")) == [("shopify:99", "id")]
    assert ids(search_customers(people, "77")) == [("shopify:77", "id")]  # orders only
    assert search_customers(people, "1234") == []  # no partial ids
    assert ids(search_customers(people, "a_1")) == [("web:a_1", "id")]


def test_by_email_exactly_after_normalising(people):
    found = search_customers(people, "ann.smith@EXAMPLE.com ")
    assert ids(found) == [("online_retail:12347", "email")]
    assert found[0].first_name == "Ann" and found[0].country == "Iceland"
    assert search_customers(people, "ann.smith@example") == []


def test_by_phone_digits(people):
    assert ids(search_customers(people, "+49 (151) 2345-6789")) == [
        ("online_retail:12347", "phone")
    ]
    assert ids(search_customers(people, "06 12 34 56 78")) == [("shopify:99", "phone")]
    assert search_customers(people, "+49 151 2345") == []


def test_by_part_of_a_name_ignoring_case(people):
    assert ids(search_customers(people, "ann")) == [
        ("online_retail:12347", "name"),
        ("web:a_1", "name"),
    ]
    assert ids(search_customers(people, "BO MEY")) == [("shopify:99", "name")]


def test_queries_too_short_or_too_long_are_refused():
    with pytest.raises(InvalidInput, match="at least 2 characters"):
        search_customers(None, " a ")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="at most 200"):
        search_customers(None, "x" * 201)  # type: ignore[arg-type]
    assert [kind_of(q) for q in ("a@b.c", "+1 650 253 0000", "Ann", "12347")] == [
        "email",
        "phone",
        "id_or_name",
        "id",
    ]
