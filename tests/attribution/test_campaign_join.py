"""Campaign-level attribution: spend named by the platform meets touches tagged by the
seller (ValueTrack ids, utm_campaign only, click ids only), on every warehouse backend,
through the service, the API and the campaign mapping page."""

from __future__ import annotations

from datetime import date

import pytest

from tests.attribution.campaign_data import FROM, TO, load
from tests.web.browser import login
from tradewinds.analytics.campaign_match import TouchMapping
from tradewinds.attribution.service import attribute_workspace
from tradewinds.warehouse import open_warehouse

# hand-worked: key -> (orders, revenue, spend, ROAS, CPA)
EXPECTED = {
    "paid_search / Brand search": (2, 300.0, 100.0, 3.0, 50.0),  # p2 by name, p5 by id
    "paid_search / Shopping - gifts": (2, 100.0, 50.0, 2.0, 25.0),  # p1 utm_id, p6 numeric
    "paid_social / UGC video": (1, 30.0, 20.0, 1.5, 20.0),  # p4 click id alone
    "paid_social / Prospecting EU": (1, 80.0, 40.0, 2.0, 40.0),  # p3 by the mapping
    # spend but no tracked touch: its return is unknown, not 0.0
    "paid_social / Retargeting": (0, 0.0, 10.0, None, None),
}


def check(rows: dict[str, dict[str, object]], expected: dict[str, tuple]) -> None:
    for key, (conv, value, spend, roas, cpa) in expected.items():
        row = rows[key]
        assert row["conversions"] == pytest.approx(conv), key
        assert row["value"] == pytest.approx(value), key
        assert row["spend"] == pytest.approx(spend), key
        if roas is None:
            assert row["roas"] is None and "no tracked touch" in row["roas_note"], key
        else:
            assert row["roas"] == pytest.approx(roas), key
            assert row["roas_note"] is None, key
        assert row["cpa"] == (pytest.approx(cpa) if cpa is not None else None), key


def test_every_way_of_tagging_reaches_its_campaign_on_each_warehouse(warehouse) -> None:
    load(warehouse)
    for model in ("last", "markov"):
        reports, paths = attribute_workspace(
            warehouse=warehouse,
            currency="GBP",
            date_from=date(2025, 3, 1),
            date_to=date(2025, 3, 10),
            models=(model,),
            level="campaign",
            mappings=[TouchMapping("meta", "prospecting", "333")],
        )
        report = reports[0].to_dict()
        rows = {r["channel"]: r for r in report["channels"]}
        check(rows, EXPECTED)
        assert report["total_spend"] == pytest.approx(220.0)
        assert set(rows) == set(EXPECTED)  # nothing left in a campaign without spend
        assert paths.campaigns is not None
        assert sorted(paths.campaigns.how) == sorted(
            ["url_id", "name", "mapping", "click_id", "url_id", "url_id"]
        )


def test_without_the_mapping_the_meta_touch_stays_apart(warehouse) -> None:
    load(warehouse)
    reports, _ = attribute_workspace(
        warehouse=warehouse,
        currency="GBP",
        date_from=date(2025, 3, 1),
        date_to=date(2025, 3, 10),
        models=("last",),
        level="campaign",
        mappings=[],
    )
    rows = {r.key: r for r in reports[0].rows}
    assert rows["social / prospecting"].spend is None
    assert rows["social / prospecting"].value == pytest.approx(80.0)
    assert rows["paid_social / Prospecting EU"].conversions == 0
    assert rows["paid_search / Brand search"].roas == pytest.approx(3.0)


def test_old_warehouses_gain_the_touchpoint_campaign_id(tmp_path) -> None:
    from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse

    path = tmp_path / "old.duckdb"
    import duckdb

    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE touchpoints (touchpoint_id VARCHAR PRIMARY KEY, "
        "occurred_at TIMESTAMP NOT NULL, campaign VARCHAR)"
    )
    con.close()
    wh = DuckDBWarehouse(path)
    try:
        wh.ensure_tables()
        cols = wh.query_df(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'touchpoints'"
        )["column_name"].tolist()
        assert "campaign_id" in cols
    finally:
        wh.close()


# -- through the API and the page ------------------------------------------------------


def api_rows(client, tenant) -> dict[str, dict[str, object]]:
    answer = client.get(
        f"/api/v1/attribution?model=last&level=campaign&from={FROM}&to={TO}", headers=tenant.headers
    )
    assert answer.status_code == 200, answer.text
    return {r["channel"]: r for r in answer.json()["channels"]}


def test_mapping_crud_through_the_api(client, tenants) -> None:
    a = tenants.a
    with open_warehouse(a.workspace_key) as warehouse:
        load(warehouse)
    url = "/api/v1/attribution/campaign-mappings"
    review = client.get(f"{url}?from={FROM}&to={TO}", headers=a.headers)
    assert review.status_code == 200, review.text
    body = review.json()
    assert body["from"] == FROM and body["mappings"] == []
    assert [(u["platform"], u["touch_campaign"], u["buyers"]) for u in body["unmatched"]] == [
        ("meta", "prospecting", 1)
    ]
    assert body["unmatched"][0]["suggestions"][0]["campaign"]["name"] == "Prospecting EU"
    assert body["matched_touches"] == {"url_id": 3, "name": 1, "click_id": 1}
    before = api_rows(client, a)
    assert "social / prospecting" in before
    check(before, {k: v for k, v in EXPECTED.items() if "Prospecting" not in k})

    bad = client.put(
        url,
        json={"platform": "meta", "touch_campaign": "prospecting", "campaign_id": "999"},
        headers=a.headers,
    )
    assert bad.status_code == 422
    assert "no meta campaign with id '999'" in bad.text
    put = client.put(
        url,
        json={"platform": "Meta", "touch_campaign": " Prospecting ", "campaign_id": "333"},
        headers=a.headers,
    )
    assert put.status_code == 200, put.text
    assert put.json()["campaign_name"] == "Prospecting EU"
    assert put.json()["touch_campaign"] == "prospecting"
    check(api_rows(client, a), EXPECTED)
    metrics = client.get(
        f"/api/v1/metrics?metrics=orders,revenue,spend,roas,cac&group_by=campaign"
        f"&from={FROM}&to={TO}",
        headers=a.headers,
    )
    assert metrics.status_code == 200, metrics.text
    by = {r["campaign"]: r for r in metrics.json()["rows"]}
    # the metrics' last ad touch reaches the same campaigns; every buyer is new
    assert by["Prospecting EU"] == {
        **by["Prospecting EU"],
        "orders": 1,
        "revenue": 80.0,
        "spend": 40.0,
        "roas": 2.0,
        "cac": 40.0,
    }
    assert by["Brand search"] == {
        **by["Brand search"],
        "orders": 2,
        "revenue": 300.0,
        "spend": 100.0,
        "roas": 3.0,
        "cac": 50.0,
    }
    assert "prospecting" not in by
    after = client.get(f"{url}?from={FROM}&to={TO}", headers=a.headers).json()
    assert after["unmatched"] == [] and len(after["mappings"]) == 1

    edit = client.put(
        url,
        json={"platform": "meta", "touch_campaign": "prospecting", "campaign_id": "336"},
        headers=a.headers,
    )
    assert edit.json()["campaign_name"] == "Retargeting"
    assert api_rows(client, a)["paid_social / Retargeting"]["value"] == pytest.approx(80.0)

    other = client.get(url, headers=tenants.b.headers).json()
    assert other["mappings"] == []  # workspaces never see each other's mappings
    gone = client.delete(
        f"{url}?platform=meta&touch_campaign=prospecting", headers=tenants.b.headers
    )
    assert gone.status_code == 404
    gone = client.delete(f"{url}?platform=meta&touch_campaign=prospecting", headers=a.headers)
    assert gone.status_code == 204
    assert "social / prospecting" in api_rows(client, a)


def test_reading_needs_data_read_and_editing_needs_data_import(client, tenants) -> None:
    from tradewinds.auth import apikeys
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        ws = session.get(Workspace, tenants.a.workspace_id)
        viewer = apikeys.create_key(
            session=session, workspace=ws, role="analyst", name="analyst", actor="test"
        ).key
    headers = {"Authorization": f"Bearer {viewer}"}
    url = "/api/v1/attribution/campaign-mappings"
    assert client.get(url, headers=headers).status_code == 200
    denied = client.put(
        url, json={"platform": "meta", "touch_campaign": "x", "campaign_id": "1"}, headers=headers
    )
    assert denied.status_code == 403
    assert (
        client.delete(f"{url}?platform=meta&touch_campaign=x", headers=headers).status_code == 403
    )


def test_mapping_page_lists_suggests_confirms_edits_and_deletes(client, tenants) -> None:
    a = tenants.a
    with open_warehouse(a.workspace_key) as warehouse:
        load(warehouse)
    login(client, a.owner_email, a.owner_password)
    report = client.get(f"/attribution?level=campaign&from={FROM}&to={TO}")
    assert 'data-testid="campaign-mapping-link"' in report.text
    assert "paid_search / Brand search" in report.text
    page = client.get(f"/attribution/campaigns?from={FROM}&to={TO}")
    assert page.status_code == 200, page.text
    assert 'data-testid="unmatched-row"' in page.text and "<code>prospecting</code>" in page.text
    assert 'value="meta:333" selected>Prospecting EU' in page.text
    import re

    scripts = re.findall(r"<script[^>]*>", page.text)
    assert all(" src=" in tag for tag in scripts)  # no inline script: CSP-safe
    assert not re.search(r"\son[a-z]+=", page.text)  # no inline event handlers
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {
        "from": FROM,
        "to": TO,
        "platform": "meta",
        "touch_campaign": "prospecting",
        "campaign": "meta:333",
    }
    forged = client.post("/attribution/campaigns", data={**form, "csrf_token": "nope"})
    assert forged.status_code == 403
    saved = client.post("/attribution/campaigns", data={**form, "csrf_token": token})
    assert saved.status_code == 200 and 'data-testid="mapping-saved"' in saved.text
    assert 'data-testid="unmatched-empty"' in saved.text
    assert 'data-testid="mapping-row"' in saved.text
    check(api_rows(client, a), EXPECTED)
    wrong = client.post(
        "/attribution/campaigns", data={**form, "campaign": "google:111", "csrf_token": token}
    )
    assert wrong.status_code == 422
    assert "a google campaign, not a meta one" in wrong.text
    edited = client.post(
        "/attribution/campaigns", data={**form, "campaign": "meta:336", "csrf_token": token}
    )
    assert edited.status_code == 200 and "now counts for Retargeting" in edited.text
    deleted = client.post(
        "/attribution/campaigns/delete",
        data={
            "csrf_token": token,
            "platform": "meta",
            "touch_campaign": "prospecting",
            "from": FROM,
            "to": TO,
        },
    )
    assert deleted.status_code == 200 and 'data-testid="mappings-empty"' in deleted.text
    assert "<code>prospecting</code>" in deleted.text
