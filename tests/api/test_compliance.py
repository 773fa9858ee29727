"""POST /api/v1/compliance/check (batch), /fix, rule packs and the workspace's own packs."""

from __future__ import annotations

from ..compliance.samples import BRAND_PACK


def test_batch_check_keeps_ids_and_order(client, tenants):
    body = {
        "ads": [
            {
                "id": "a1",
                "text": "Ｎｏ．１ Laufschuh",
                "market": "DE",
                "platform": "google",
                "field": "headline",
                "sponsored": True,
            },
            {"id": 2, "text": "Fresh coffee beans", "market": "US"},
        ]
    }
    response = client.post("/api/v1/compliance/check", json=body, headers=tenants.a.headers)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(r["id"], r["verdict"]) for r in results] == [("a1", "block"), (2, "pass")]
    finding = results[0]["findings"][0]
    assert finding["span"] == [0, 4] and finding["matched"] == "Ｎｏ．１"


def test_a_trademark_in_allow_terms_is_exempt(client, tenants):
    ad = {
        "text": "最佳拍档保温杯 限时优惠",
        "market": "CN",
        "platform": "google",
        "field": "headline",
    }
    body = {"ads": [{**ad, "id": "plain"}, {**ad, "id": "brand", "allow_terms": ["最佳拍档"]}]}
    response = client.post("/api/v1/compliance/check", json=body, headers=tenants.a.headers)
    assert response.status_code == 200, response.text
    verdicts = {r["id"]: r["verdict"] for r in response.json()["results"]}
    assert verdicts == {"plain": "block", "brand": "pass"}
    wrong = {"ads": [{**ad, "allow_terms": "最佳拍档"}]}
    refused = client.post("/api/v1/compliance/check", json=wrong, headers=tenants.a.headers)
    assert refused.status_code == 422 and "allow_terms" in refused.text


def test_fix_endpoint(client, tenants):
    body = {"text": "FREE sofas!!", "market": "US", "platform": "google"}
    response = client.post("/api/v1/compliance/fix", json=body, headers=tenants.a.headers)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["fixed"] == "Free sofas!" and data["verdict"] == "pass"


def test_user_pack_lifecycle_and_scope(client, tenants):
    headers = tenants.a.headers
    bad = BRAND_PACK.replace("severity: block", "severity: loud")
    response = client.post("/api/v1/compliance/user-packs", json={"yaml": bad}, headers=headers)
    assert response.status_code == 422
    problems = response.json()["error"]["details"]["problems"]
    assert problems[0]["line"] == 7 and "severity" in problems[0]["location"]

    response = client.post(
        "/api/v1/compliance/user-packs", json={"yaml": BRAND_PACK}, headers=headers
    )
    assert response.status_code == 201, response.text
    pack_id = response.json()["id"]
    again = client.post("/api/v1/compliance/user-packs", json={"yaml": BRAND_PACK}, headers=headers)
    assert again.status_code == 409

    check = {"ads": [{"id": 1, "text": "Better than Globex", "market": "US"}]}
    result = client.post("/api/v1/compliance/check", json=check, headers=headers).json()
    assert result["results"][0]["verdict"] == "block"
    # workspace B does not get A's pack
    result = client.post("/api/v1/compliance/check", json=check, headers=tenants.b.headers).json()
    assert result["results"][0]["verdict"] == "pass"

    packs = client.get("/api/v1/compliance/packs", headers=headers).json()
    assert "acme-brand" in {p["id"] for p in packs} and "cn" in {p["id"] for p in packs}

    response = client.put(
        f"/api/v1/compliance/user-packs/{pack_id}", json={"enabled": False}, headers=headers
    )
    assert response.status_code == 200 and response.json()["enabled"] is False
    result = client.post("/api/v1/compliance/check", json=check, headers=headers).json()
    assert result["results"][0]["verdict"] == "pass"

    assert (
        client.delete(f"/api/v1/compliance/user-packs/{pack_id}", headers=headers).status_code
        == 204
    )
    assert (
        client.get(f"/api/v1/compliance/user-packs/{pack_id}", headers=headers).status_code == 404
    )
