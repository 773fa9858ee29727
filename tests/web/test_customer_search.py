"""Customers → Find a customer: results masked, each linking to the profile."""

from __future__ import annotations

import pandas as pd

from .browser import login


def _load(workspace_key: str) -> None:
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(workspace_key) as wh:
        wh.load("customers", pd.DataFrame({"customer_id": ["online_retail:12347"]}))
        wh.load(
            "customer_pii",
            pd.DataFrame(
                {
                    "customer_id": ["online_retail:12347"],
                    "email": ["ann.smith@example.com"],
                    "phone": ["+49 151 2345 6789"],
                    "first_name": ["Ann"],
                    "last_name": ["Smith"],
                    "country": ["Iceland"],
                }
            ),
        )


def test_search_finds_by_id_email_phone_and_name(client, tenants):
    _load(tenants.a.workspace_key)
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    assert 'href="/customers/search"' in client.get("/customers/profile").text
    for query in ("12347", "Ann.Smith@example.com", "+49 151 23456789", "smi"):
        page = client.get("/customers/search", params={"q": query})
        assert page.status_code == 200, page.text[-1500:]
        results = page.text.split('data-testid="search-results"')[1]
        assert 'href="/customers/profile?customer_id=online_retail%3A12347"' in results
        assert "a••••••••@example.com" in results and "Ann S." in results
        assert "ann.smith@example.com" not in results and "Smith" not in results
        assert "+•• ••• •••• •789" in results
    none = client.get("/customers/search", params={"q": "nobody@example.com"})
    assert 'data-testid="search-empty"' in none.text
    short = client.get("/customers/search", params={"q": "a"})
    assert short.status_code == 422 and "at least 2 characters" in short.text
    # another workspace finds nobody
    client.cookies.clear()
    login(client, tenants.b.owner_email, tenants.b.owner_password)
    other = client.get("/customers/search", params={"q": "12347"})
    assert other.status_code == 200 and 'data-testid="search-empty"' in other.text
