from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.audiences.conftest import _load


def test_audiences_api(client, tenants, shared_data: Path) -> None:
    _load(tenants.a.workspace_key, shared_data)
    a, b = tenants.a.headers, tenants.b.headers

    rfm = client.get("/api/v1/audiences/rfm", headers=a)
    assert rfm.status_code == 200, rfm.text
    assert rfm.json()["customers"] > 300
    # workspace B has no orders: it sees none of A's customers
    empty = client.get("/api/v1/audiences/rfm", headers=b)
    assert empty.status_code == 404 and empty.json()["error"]["code"] == "no_data"

    bad = client.get("/api/v1/audiences/segment", params={"rule": "orders >"}, headers=a)
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["position"] == 8

    clv = client.get("/api/v1/audiences/clv", params={"top": 3}, headers=a).json()
    someone = clv["top"][0]["customer_id"]
    profile = client.get("/api/v1/audiences/customer", params={"customer_id": someone}, headers=a)
    assert profile.status_code == 200, profile.text
    body = profile.json()
    assert body["recent_orders"] and 0 <= body["p_alive"] <= 1 and body["segment"]

    export = client.post(
        "/api/v1/audiences/exports", json={"platform": "google", "rule": "orders >= 2"}, headers=a
    )
    assert export.status_code == 200, export.text
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0] == ["Email", "Phone", "First Name", "Last Name", "Country", "Zip"]
    assert int(export.headers["X-Rows"]) == len(rows) - 1 > 0
    created = client.post(
        "/api/v1/audiences/segments", json={"name": "Repeat", "rule": "orders >= 2"}, headers=a
    )
    assert created.status_code == 201, created.text
    listed = client.get("/api/v1/audiences/segments", headers=a).json()
    assert listed[0]["name"] == "Repeat" and listed[0]["members"] > 0
    assert client.get("/api/v1/audiences/segments", headers=b).json() == []
    gone = client.delete(f"/api/v1/audiences/segments/{created.json()['id']}", headers=b)
    assert gone.status_code == 404
    assert (
        client.delete(f"/api/v1/audiences/segments/{created.json()['id']}", headers=a).status_code
        == 204
    )

    audit = client.get("/api/v1/audit", headers=a)
    assert audit.status_code == 200, audit.text
    assert any(e["action"] == "audience.export" for e in audit.json())
