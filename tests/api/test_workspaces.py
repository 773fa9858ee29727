"""GET and PATCH /api/v1/workspace: settings, including the name, change through the API."""

from __future__ import annotations


def test_rename_through_the_api(client, tenants):
    headers = tenants.a.headers
    response = client.patch("/api/v1/workspace", json={"name": "Alpha Goods"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Alpha Goods"
    assert response.json()["key"] == tenants.a.workspace_key
    assert client.get("/api/v1/workspace", headers=headers).json()["name"] == "Alpha Goods"
    entries = client.get("/api/v1/audit", headers=headers).json()
    renamed = next(e for e in entries if e["action"] == "workspace.update")
    assert renamed["details"]["before"] == {"name": "Alpha Shop"}


def test_rename_to_a_name_in_use_is_a_conflict(client, tenants):
    response = client.patch(
        "/api/v1/workspace", json={"name": tenants.b.name}, headers=tenants.a.headers
    )
    assert response.status_code == 409
    assert "already exists" in response.json()["error"]["message"]
    assert client.get("/api/v1/workspace", headers=tenants.a.headers).json()["name"] == "Alpha Shop"


def test_invalid_values_are_refused_not_ignored(client, tenants):
    bad = (
        {"name": " "},
        {"name": "x" * 121},
        {"require_mfa": 0},
        {"currency": "EURO"},
        {"timezone": "Mars/Olympus_Mons"},
        {"timezone": 3},
    )
    for body in bad:
        response = client.patch("/api/v1/workspace", json=body, headers=tenants.a.headers)
        assert response.status_code == 422, (body, response.text)
    assert client.get("/api/v1/workspace", headers=tenants.a.headers).json()["require_mfa"] is False


def test_the_settings_page_shows_the_new_name(client, tenants):
    from ..web.browser import login

    client.patch("/api/v1/workspace", json={"name": "Alpha Goods"}, headers=tenants.a.headers)
    login(client, tenants.a.owner_email, tenants.a.owner_password, follow=True)
    page = client.get("/settings")
    assert page.status_code == 200 and "<h2>Alpha Goods</h2>" in page.text
