"""/api/v1/metrics, /cohorts and /funnels: the same service as the Overview page."""

from __future__ import annotations

from tests.analytics.fixtures import order, rate, spend, ts
from tradewinds.warehouse import open_warehouse


def _seed(key: str) -> None:
    with open_warehouse(key) as wh:
        wh.load("fx_rates", [rate("2024-03-01", "GBP", "0.85"), rate("2024-03-01", "USD", "1.1")])
        wh.load(
            "ad_spend_daily",
            [
                spend("2024-03-01", "meta", "100", "EUR", country="FR"),
                spend("2024-03-01", "google", "34", "GBP", country="GB"),
            ],
        )
        wh.load(
            "orders",
            [
                order("o1", "c1", "2024-03-01", "170", country="France"),
                order("o2", "c2", "2024-03-01", "30", country="United Kingdom"),
            ],
        )
        wh.load(
            "events",
            [
                {
                    "message_id": "e1",
                    "type": "track",
                    "event": "Product Viewed",
                    "anonymous_id": "v1",
                    "timestamp": ts("2024-03-01"),
                    "context": {"location": {"country": "FR"}},
                }
            ],
        )


def test_metrics_answer_one_object_per_group(client, tenants) -> None:
    _seed(tenants.a.workspace_key)
    r = client.get(
        "/api/v1/metrics?metrics=spend,revenue,roas&group_by=country"
        "&from=2024-03-01&to=2024-03-01&compare=previous",
        headers=tenants.a.headers,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["currency"] == "GBP" and body["from"] == "2024-03-01"
    rows = {row["country"]: row for row in body["rows"]}
    # 100 EUR at 0.85 GBP/EUR = 85 GBP of spend aimed at France
    assert rows["France"]["spend"] == 85.0 and rows["France"]["revenue"] == 170.0
    assert rows["France"]["roas"] == 2.0
    assert rows["United Kingdom"] == {**rows["United Kingdom"], "spend": 34.0, "revenue": 30.0}
    assert "roas_change" in rows["France"] and body["compare"]["to"] == "2024-02-29"
    assert body["fx"]["method"] == "daily"
    # workspace B sees none of A's figures
    other = client.get(
        "/api/v1/metrics?metrics=revenue&from=2024-03-01&to=2024-03-01", headers=tenants.b.headers
    ).json()
    assert other["currency"] == "EUR" and other["rows"][0]["revenue"] is None


def test_compared_with_the_same_days_a_year_before(client, tenants) -> None:
    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load(
            "orders",
            [
                order("now", "c1", "2024-03-01", "150"),
                order("then", "c2", "2023-03-01", "100"),  # a year before
                order("feb", "c3", "2024-02-29", "999"),
            ],
        )  # the day before
    r = client.get(
        "/api/v1/metrics?metrics=revenue,orders&from=2024-03-01&to=2024-03-01&compare=year",
        headers=tenants.a.headers,
    )
    body = r.json()
    assert body["compare"] == {"with": "year", "from": "2023-03-01", "to": "2023-03-01"}
    row = body["rows"][0]
    assert (row["revenue"], row["revenue_previous"], row["revenue_change"]) == (150.0, 100.0, 0.5)
    leap = client.get(
        "/api/v1/metrics?metrics=orders&from=2024-02-29&to=2024-02-29&compare=year",
        headers=tenants.a.headers,
    ).json()
    assert leap["compare"]["from"] == "2023-02-28"
    bad = client.get("/api/v1/metrics?compare=lastweek", headers=tenants.a.headers)
    assert bad.status_code == 422


def test_bad_input_is_a_422_naming_the_field(client, tenants) -> None:
    r = client.get("/api/v1/metrics?metrics=revenue,happiness", headers=tenants.a.headers)
    assert r.status_code == 422 and "happiness" in r.json()["error"]["message"]
    r = client.get("/api/v1/metrics?from=2024-13-01", headers=tenants.a.headers)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "from"
    assert r.json()["error"]["message"].startswith("from: ")


def test_viewers_read_counts_but_not_money(client, tenants) -> None:
    _seed(tenants.a.workspace_key)
    from tradewinds.auth import apikeys
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        ws = session.get(Workspace, tenants.a.workspace_id)
        key = apikeys.create_key(
            session=session, workspace=ws, role="viewer", name="v", actor="test"
        ).key
    viewer = {"Authorization": f"Bearer {key}"}
    r = client.get(
        "/api/v1/metrics?metrics=orders,clicks&from=2024-03-01&to=2024-03-01", headers=viewer
    )
    assert r.status_code == 200 and r.json()["rows"][0]["orders"] == 2
    r = client.get("/api/v1/metrics?metrics=orders,revenue", headers=viewer)
    assert r.status_code == 403 and "revenue" in r.json()["error"]["message"]
    assert client.get("/api/v1/cohorts", headers=viewer).status_code == 403
    assert (
        client.get("/api/v1/funnels?from=2024-03-01&to=2024-03-01", headers=viewer).status_code
        == 200
    )


def test_cohorts_and_funnels(client, tenants) -> None:
    _seed(tenants.a.workspace_key)
    body = client.get(
        "/api/v1/cohorts?from=2024-03-01&to=2024-03-31", headers=tenants.a.headers
    ).json()
    assert body["cohorts"][0]["month"] == "2024-03" and body["cohorts"][0]["customers"] == 2
    # CAC: (85 + 34) / 2 new customers
    assert body["cohorts"][0]["cac"] == 59.5
    body = client.get(
        "/api/v1/funnels?group_by=country&from=2024-03-01&to=2024-03-01", headers=tenants.a.headers
    ).json()
    assert body["rows"][0]["country"] == "France"
    assert [s["visitors"] for s in body["rows"][0]["steps"]] == [1, 0, 0, 0]
