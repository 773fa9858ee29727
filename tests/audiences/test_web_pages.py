from __future__ import annotations

from pathlib import Path

import pytest

from tests.audiences.conftest import _load
from tests.web.browser import csrf_from, login


def test_customer_pages(client, tenants, shared_data: Path) -> None:
    login(client, tenants.b.owner_email, tenants.b.owner_password)
    empty = client.get("/customers")
    assert empty.status_code == 200 and "No customers yet" in empty.text
    client.cookies.clear()

    _load(tenants.a.workspace_key, shared_data)
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/customers")
    assert page.status_code == 200, page.text[-2000:]
    for text in ("Customers per RFM segment", "RFM grid", "Behavioural clusters", "Champions"):
        assert text in page.text

    ok = client.get("/customers", params={"rule": "country in [Germany, France] and orders >= 2"})
    assert 'data-testid="rule-result"' in ok.text
    saved = client.post(
        "/customers/segments",
        data={"name": "EU repeat buyers", "rule": "orders >= 2", "csrf_token": csrf_from(ok.text)},
        follow_redirects=True,
    )
    assert saved.status_code == 200 and 'data-testid="saved-table"' in saved.text
    assert "EU repeat buyers" in saved.text
    bad = client.get("/customers", params={"rule": "orders >= 2 and"})
    assert bad.status_code == 422 and "expected a field name" in bad.text

    csv_text = client.get("/customers/segments.csv").text
    assert csv_text.splitlines()[0] == "segment,customers,revenue,share"

    someone = client.get("/api/v1/audiences/clv", params={"top": 1}, headers=tenants.a.headers)
    customer_id = someone.json()["top"][0]["customer_id"]
    profile = client.get("/customers/profile", params={"customer_id": customer_id})
    assert profile.status_code == 200 and "Recent orders" in profile.text
    assert client.get("/customers/profile", params={"customer_id": "nobody"}).status_code == 404

    form = client.get("/customers/exports")
    assert "agreed to marketing" in form.text
    export = client.post(
        "/customers/exports",
        data={"platform": "meta", "rule": "", "csrf_token": csrf_from(form.text)},
    )
    assert export.status_code == 200
    assert export.text.splitlines()[0] == "email,phone,fn,ln,ct,st,zip,country"
    wrong = client.post(
        "/customers/exports",
        data={"platform": "meta", "rule": "orders >>", "csrf_token": csrf_from(form.text)},
    )
    assert wrong.status_code == 422 and "expected a value" in wrong.text


# the app DB only holds the login here: the figures come from the warehouse
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_recommendation_and_lookalike_pages(client, tenants, shared_data: Path) -> None:
    login(client, tenants.b.owner_email, tenants.b.owner_password)
    empty = client.get("/customers/recommendations")
    assert empty.status_code == 200 and "No orders with products yet" in empty.text
    client.cookies.clear()

    _load(tenants.a.workspace_key, shared_data)
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    # no task queue in this process: the default model answers, the choice is pending
    page = client.get("/customers/recommendations")
    assert page.status_code == 200 and 'data-testid="recommender-verdict"' in page.text
    assert "is being chosen" in page.text

    from tradewinds.audiences.recommending import choose_for_workspace

    choose_for_workspace(tenants.a.workspace_key)
    chosen = client.get("/customers/recommendations")
    assert "chosen on your own orders" in chosen.text
    assert 'data-testid="recommender-candidates"' in chosen.text and "ALS" in chosen.text
    assert "recommenders-chart" in chosen.text

    look = client.get("/customers/lookalikes", params={"seed": "Loyal"})
    assert look.status_code == 200, look.text[-2000:]
    assert 'data-testid="lift"' in look.text and 'data-testid="lookalike-table"' in look.text
    bad = client.get("/customers/lookalikes", params={"seed": "orders >="})
    assert bad.status_code == 422 and 'role="alert"' in bad.text
