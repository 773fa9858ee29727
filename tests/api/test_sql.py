"""POST /api/v1/sql: read-only SQL for analysts and above, refused writes say why, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tradewinds.db.engine import session_scope


def _key(tenant, role: str) -> dict[str, str]:
    from tradewinds.auth import apikeys
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        ws = session.get(Workspace, tenant.workspace_id)
        key = apikeys.create_key(
            session=session, workspace=ws, role=role, name=role, actor="test"
        ).key
    return {"Authorization": f"Bearer {key}"}


def _spend(workspace_key: str, rows: list[tuple[str, str]]) -> None:
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(workspace_key) as warehouse:
        warehouse.load(
            "ad_spend_daily",
            [
                {
                    "date": date(2025, 5, 1),
                    "platform": "google",
                    "campaign_id": campaign,
                    "spend": Decimal(spend),
                    "currency": "GBP",
                    "source": "test",
                }
                for campaign, spend in rows
            ],
        )


def test_analyst_runs_a_select_viewer_and_marketer_may_not(client, tenants):
    _spend(tenants.a.workspace_key, [("Brand", "12.50"), ("Generic", "7.25")])
    _spend(tenants.b.workspace_key, [("Other", "99.00")])
    analyst = _key(tenants.a, "analyst")
    query = "SELECT campaign_id, spend, date FROM ad_spend_daily ORDER BY campaign_id"
    response = client.post("/api/v1/sql", headers=analyst, json={"sql": query})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["campaign_id", "spend", "date"]
    assert body["rows"] == [["Brand", 12.5, "2025-05-01"], ["Generic", 7.25, "2025-05-01"]]
    assert body["truncated"] is False
    limited = client.post("/api/v1/sql", headers=analyst, json={"sql": query, "limit": 1}).json()
    assert len(limited["rows"]) == 1 and limited["truncated"] is True
    for role in ("viewer", "marketer"):
        refused = client.post("/api/v1/sql", headers=_key(tenants.a, role), json={"sql": query})
        assert refused.status_code == 403


def test_writes_are_refused_with_the_reason_and_audited(client, tenants):
    _spend(tenants.a.workspace_key, [("Brand", "1.00")])
    response = client.post(
        "/api/v1/sql", headers=tenants.a.headers, json={"sql": "DELETE FROM ad_spend_daily"}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "read_only" and "DELETE is not allowed" in error["message"]
    files = client.post(
        "/api/v1/sql",
        headers=tenants.a.headers,
        json={"sql": "SELECT * FROM read_csv('/etc/passwd')"},
    )
    assert files.status_code == 422 and "read_csv" in files.json()["error"]["message"]
    typo = client.post(
        "/api/v1/sql", headers=tenants.a.headers, json={"sql": "SELECT spnd FROM ad_spend_daily"}
    )
    assert typo.status_code == 422 and typo.json()["error"]["code"] == "sql_error"
    assert "spnd" in typo.json()["error"]["message"]
    count = client.post(
        "/api/v1/sql",
        headers=tenants.a.headers,
        json={"sql": "SELECT count(*) AS n FROM ad_spend_daily"},
    ).json()
    assert count["rows"] == [[1]]

    from tradewinds.db.models.audit import AuditEntry

    with session_scope() as session:
        details = session.scalars(
            select(AuditEntry.details)
            .where(
                AuditEntry.action == "sql.run", AuditEntry.workspace_id == tenants.a.workspace_id
            )
            .order_by(AuditEntry.id)
        ).all()
    assert [d["sql"] for d in details] == [
        "DELETE FROM ad_spend_daily",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT spnd FROM ad_spend_daily",
        "SELECT count(*) AS n FROM ad_spend_daily",
    ]
    assert "refused" in details[0] and "error" in details[2] and details[3]["rows"] == 1
