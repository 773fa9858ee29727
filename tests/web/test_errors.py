from __future__ import annotations


def test_api_errors_are_json_with_request_id(client, tenants):
    response = client.get("/api/v1/members/99999", headers=tenants.a.headers)
    assert response.status_code == 404
    body = response.json()
    assert set(body["error"]) == {"code", "message", "details"}
    assert len(response.headers["x-request-id"]) >= 16


def test_validation_errors_name_the_field(client, tenants):
    response = client.patch(
        "/api/v1/workspace", headers=tenants.a.headers, json={"currency": "EURO"}
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert details[0]["field"] == "currency" and "ISO 4217" in details[0]["message"]


def test_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert response.headers["x-request-id"] == "abc123"


def test_unknown_page_is_a_friendly_html_404(client):
    response = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert response.status_code == 404 and "Not found" in response.text
    assert "Traceback" not in response.text


def test_role_without_permission_gets_403(client, tenants):
    key = client.post(
        "/api/v1/apikeys", headers=tenants.a.headers, json={"name": "ro", "role": "viewer"}
    ).json()["key"]
    response = client.get("/api/v1/apikeys", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_plotly_is_served_from_the_installed_package(client):
    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200 and len(response.content) > 1_000_000
