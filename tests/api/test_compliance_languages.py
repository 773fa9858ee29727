"""The compliance API: errors in the language of Accept-Language, findings and packs in
English whatever the request asks for (docs/compliance.md)."""

from __future__ import annotations

from tradewinds.compliance.loader import builtin_packs
from tradewinds.compliance.user_packs import INVALID_PACK

from ..compliance.samples import BRAND_PACK


def test_a_refused_pack_is_explained_in_the_requests_language(client, tenants):
    headers = {**tenants.a.headers, "Accept-Language": "de-DE"}
    bad = BRAND_PACK.replace("severity: block", "severity: loud")
    response = client.post("/api/v1/compliance/user-packs", json={"yaml": bad}, headers=headers)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["message"] == (
        "Das Regelpaket ist ungültig: Zeile 7 (rules.0.severity): "
        "Der Wert muss 'block', 'warn' or 'info' sein"
    )
    assert error["message_id"] == INVALID_PACK
    # the details stay as the API has always written them
    assert error["details"]["problems"][0]["reason"] == "Input should be 'block', 'warn' or 'info'"
    english = client.post(
        "/api/v1/compliance/user-packs", json={"yaml": bad}, headers=tenants.a.headers
    ).json()["error"]["message"]
    assert english.startswith("The rule pack is not valid: line 7 (rules.0.severity): ")


def test_findings_and_packs_stay_english(client, tenants):
    headers = {**tenants.a.headers, "Accept-Language": "zh-CN"}
    body = {"ads": [{"id": 1, "text": "The cheapest sofas", "market": "NZ"}]}
    response = client.post("/api/v1/compliance/check", json=body, headers=headers)
    findings = response.json()["results"][0]["findings"]
    messages = {f["rule_id"]: f["message"] for f in findings}
    assert messages["coverage.market-unknown"] == (
        "No rule pack for market 'NZ': only the global rules were applied."
    )
    assert messages["claim.price.superlative-en"].startswith("Price superlatives (")
    packs = client.get("/api/v1/compliance/packs", headers=headers).json()
    uk = next(p for p in packs if p["id"] == "uk")
    assert uk["title"] == "United Kingdom"
    assert uk["description"] == builtin_packs()["uk"].description
    assert "\n" not in uk["description"]
