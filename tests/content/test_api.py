"""POST /api/v1/content/generate: the shapes, the permission, the workspace's own packs."""

from __future__ import annotations

from ..compliance.samples import BRAND_PACK

BODY = {
    "products": [
        {
            "id": "mug-1",
            "title": "Stoneware Coffee Mug",
            "price": "14.90",
            "currency": "EUR",
            "attributes": {"colour": "sand"},
            "brand": "Kiln & Co",
        }
    ],
    "markets": ["DE", "JP", "US"],
    "platform": "google",
    "fields": ["headline", "description"],
    "n": 3,
    "today": "2026-12-03",
}


def _key(tenant, role: str) -> dict[str, str]:
    from tradewinds.auth import apikeys
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        ws = session.get(Workspace, tenant.workspace_id)
        key = apikeys.create_key(session=session, workspace=ws, role=role, name=role, actor="t")
        return {"Authorization": f"Bearer {key.key}"}


def test_generate_answers_variants_and_dropped(client, tenants):
    response = client.post("/api/v1/content/generate", json=BODY, headers=tenants.a.headers)
    assert response.status_code == 200, response.text
    data = response.json()
    assert set(data) == {"variants", "dropped"}
    got = {(v["market"], v["field"]) for v in data["variants"]}
    assert got == {(m, f) for m in ("DE", "JP", "US") for f in ("headline", "description")}
    for v in data["variants"]:
        assert v["length"] <= v["limit"] == {"headline": 30, "description": 90}[v["field"]]
        assert v["verdict"] != "block" and v["unit"] == "width"
    again = client.post("/api/v1/content/generate", json=BODY, headers=tenants.a.headers)
    assert again.json() == data


def test_permission_is_content_write(client, tenants):
    marketer = client.post(
        "/api/v1/content/generate", json=BODY, headers=_key(tenants.a, "marketer")
    )
    assert marketer.status_code == 200
    analyst = client.post("/api/v1/content/generate", json=BODY, headers=_key(tenants.a, "analyst"))
    assert analyst.status_code == 403
    assert analyst.json()["error"]["details"]["permission"] == "content.write"
    assert client.post("/api/v1/content/generate", json=BODY).status_code == 401


def test_bad_requests_are_422_with_the_reason(client, tenants):
    headers = tenants.a.headers
    bad_market = {**BODY, "markets": ["ZZ"]}
    response = client.post("/api/v1/content/generate", json=bad_market, headers=headers)
    assert response.status_code == 422 and "market 'ZZ'" in response.json()["error"]["message"]
    bad_field = {**BODY, "fields": ["title"]}
    response = client.post("/api/v1/content/generate", json=bad_field, headers=headers)
    assert response.status_code == 422 and "field 'title' on google" in response.text
    too_many = {
        **BODY,
        "products": [{**BODY["products"][0], "id": str(i)} for i in range(300)],
        "n": 20,
    }
    response = client.post("/api/v1/content/generate", json=too_many, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"variants": 36000, "limit": 5000}
    no_title = {**BODY, "products": [{"id": "x"}]}
    assert (
        client.post("/api/v1/content/generate", json=no_title, headers=headers).status_code == 422
    )


def test_the_workspaces_own_pack_drops_what_it_blocks(client, tenants):
    headers = tenants.a.headers
    created = client.post(
        "/api/v1/compliance/user-packs", json={"yaml": BRAND_PACK}, headers=headers
    )
    assert created.status_code == 201, created.text
    body = {
        **BODY,
        "products": [{"id": "g", "title": "Better than Globex kettle", "price": "30"}],
        "markets": ["US"],
        "platform": "meta",
        "fields": ["primary_text"],
    }
    a = client.post("/api/v1/content/generate", json=body, headers=headers).json()
    assert all("Globex" not in v["text"] for v in a["variants"])
    assert any("Globex" in d["text"] and "blocked" in d["reason"] for d in a["dropped"])
    b = client.post("/api/v1/content/generate", json=body, headers=tenants.b.headers).json()
    assert any("Globex" in v["text"] for v in b["variants"])  # B does not have A's pack
