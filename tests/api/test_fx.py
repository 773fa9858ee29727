"""GET /api/v1/fx/status and /fx/convert: the workspace's exchange rates."""

from __future__ import annotations


def test_status_and_convert(client, tenants) -> None:
    status = client.get("/api/v1/fx/status", headers=tenants.a.headers)
    assert status.status_code == 200, status.text
    usd = next(c for c in status.json()["currencies"] if c["currency"] == "USD")
    assert usd == {
        "currency": "USD",
        "first": "1999-01-04",
        "last": usd["last"],
        "source": "ecb-bundled",
        "sources": ["ecb-bundled"],
    }
    cny = next(c for c in status.json()["currencies"] if c["currency"] == "CNY")
    assert cny["first"] <= "2000-01-03" and cny["sources"] == ["fed-h10", "ecb-bundled"]
    params = {"amount": "100", "from": "USD", "to": "GBP", "on": "2024-03-30"}
    done = client.get("/api/v1/fx/convert", params=params, headers=tenants.a.headers)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["from"] == "USD" and body["to"] == "GBP" and body["converted"] == "79.10"
    assert body["rate_date"] == "2024-03-28" and body["note"] == "rate of 2024-03-28 (Thursday)"
    early = client.get(
        "/api/v1/fx/convert",
        headers=tenants.a.headers,
        params={**params, "from": "BRL", "on": "1999-06-01"},
    )
    assert early.status_code == 404 and "no BRL exchange rate" in early.text
    before_ecb = client.get(
        "/api/v1/fx/convert",
        headers=tenants.a.headers,
        params={**params, "from": "BRL", "on": "2003-05-05"},
    )
    assert before_ecb.status_code == 200, before_ecb.text
    bad = client.get(
        "/api/v1/fx/convert", headers=tenants.a.headers, params={**params, "from": "XYZ"}
    )
    assert bad.status_code == 422
    assert client.get("/api/v1/fx/status").status_code == 401
