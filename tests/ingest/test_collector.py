from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tradewinds.ingest.collector import standalone_app, write_key_from_header
from tradewinds.ingest.eventlog import open_log
from tradewinds.ingest.events import MAX_EVENT_BYTES

KEYS = {"wk-shop": "shop", "wk-other": "other"}
AUTH = ("wk-shop", "")


@pytest.fixture(params=["asgi", "router"])
def collector(request, tmp_path):
    app = standalone_app(resolver=KEYS.get, root=tmp_path, router=request.param == "router")
    with TestClient(app) as client:
        yield client, tmp_path


def stored_ids(root, workspace="shop"):
    log = open_log(root, workspace)
    try:
        return sorted(log.message_ids())
    finally:
        log.close()


def failures(root, workspace="shop"):
    log = open_log(root, workspace)
    try:
        return log.failures()
    finally:
        log.close()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("track", {"userId": "u1", "event": "Product Viewed", "messageId": "m-track"}),
        ("identify", {"anonymousId": "a1", "traits": {"plan": "pro"}, "messageId": "m-identify"}),
        ("page", {"anonymousId": "a1", "name": "Home", "messageId": "m-page"}),
        ("screen", {"userId": "u1", "name": "Cart", "messageId": "m-screen"}),
        ("group", {"userId": "u1", "groupId": "g1", "messageId": "m-group"}),
        ("alias", {"userId": "u1", "previousId": "a1", "messageId": "m-alias"}),
    ],
)
def test_each_single_endpoint_stores_and_acknowledges(collector, path, body):
    client, root = collector
    response = client.post(f"/v1/{path}", json=body, auth=AUTH)
    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert stored_ids(root) == [body["messageId"]]


def test_write_key_is_required_and_checked(collector):
    client, root = collector
    body = {"userId": "u1", "event": "X"}
    assert client.post("/v1/track", json=body).status_code == 401
    assert client.post("/v1/track", json=body, auth=("nope", "")).status_code == 401
    # analytics.js style: write key in the body
    assert client.post("/v1/track", json={**body, "writeKey": "wk-other"}).status_code == 200
    assert len(stored_ids(root, "other")) == 1


def test_duplicate_message_ids_are_stored_once(collector):
    client, root = collector
    body = {"userId": "u1", "event": "X", "messageId": "dup-1"}
    for _ in range(3):
        assert client.post("/v1/track", json=body, auth=AUTH).status_code == 200
    batch = {"batch": [{"type": "track", **body}, {"type": "track", **body}]}
    assert client.post("/v1/batch", json=batch, auth=AUTH).status_code == 200
    assert stored_ids(root) == ["dup-1"]


def test_batch_rejects_invalid_events_one_by_one_and_keeps_them(collector):
    client, root = collector
    batch = {
        "batch": [
            {"type": "track", "userId": "u", "event": "Ok", "messageId": "ok-1"},
            {"type": "track", "userId": "u", "messageId": "bad-1"},
            {"type": "page", "messageId": "bad-2"},
            {
                "type": "track",
                "userId": "u",
                "event": "Big",
                "messageId": "big-1",
                "properties": {"x": "y" * MAX_EVENT_BYTES},
            },
            {"type": "identify", "userId": "u", "messageId": "ok-2"},
        ]
    }
    response = client.post("/v1/batch", json=batch, auth=AUTH)
    assert response.status_code == 400
    data = response.json()
    assert data["success"] is False
    assert data["accepted"] == 2
    assert [(r["index"], r["messageId"]) for r in data["rejected"]] == [
        (1, "bad-1"),
        (2, "bad-2"),
        (3, "big-1"),
    ]
    assert "event name" in data["rejected"][0]["reason"]
    assert "byte limit" in data["rejected"][2]["reason"]
    assert stored_ids(root) == ["ok-1", "ok-2"]
    kept = failures(root)
    assert [(f.batch_index, f.message_id) for f in kept] == [
        (1, "bad-1"),
        (2, "bad-2"),
        (3, "big-1"),
    ]
    assert json.loads(kept[0].raw)["messageId"] == "bad-1"


def test_single_event_over_32kb_is_refused_and_kept(collector):
    client, root = collector
    body = {
        "userId": "u",
        "event": "Big",
        "messageId": "big",
        "properties": {"x": "y" * MAX_EVENT_BYTES},
    }
    response = client.post("/v1/track", json=body, auth=AUTH)
    assert response.status_code == 400
    assert "byte limit" in response.json()["error"]
    assert stored_ids(root) == []
    assert [f.reason for f in failures(root)][0].startswith("payload is")


def test_batch_over_500kb_is_refused_and_recorded(collector):
    client, root = collector
    events = [
        {
            "type": "track",
            "userId": "u",
            "event": "E",
            "messageId": f"m{i}",
            "properties": {"pad": "p" * 20_000},
        }
        for i in range(30)
    ]
    response = client.post("/v1/batch", json={"batch": events}, auth=AUTH)
    assert response.status_code == 400
    assert "500" in response.json()["error"] or "byte limit" in response.json()["error"]
    assert stored_ids(root) == []
    assert len(failures(root)) == 1


def test_unreadable_bodies_are_kept(collector):
    client, root = collector
    response = client.post(
        "/v1/track", content=b"{not json", auth=AUTH, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert client.post("/v1/batch", json={"batch": "nope"}, auth=AUTH).status_code == 400
    reasons = [f.reason for f in failures(root)]
    assert reasons[0].startswith("invalid JSON") and "list" in reasons[1]
    assert failures(root)[0].raw == b"{not json"


def test_import_is_an_alias_of_batch(collector):
    client, root = collector
    batch = {"batch": [{"type": "track", "userId": "u", "event": "E", "messageId": "imp-1"}]}
    assert client.post("/v1/import", json=batch, auth=AUTH).status_code == 200
    assert stored_ids(root) == ["imp-1"]


def test_workspaces_are_kept_apart(collector):
    client, root = collector
    client.post("/v1/track", json={"userId": "u", "event": "E", "messageId": "a"}, auth=AUTH)
    client.post(
        "/v1/track", json={"userId": "u", "event": "E", "messageId": "b"}, auth=("wk-other", "")
    )
    assert stored_ids(root, "shop") == ["a"]
    assert stored_ids(root, "other") == ["b"]


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Basic d2stc2hvcDo=", "wk-shop"),  # "wk-shop:"
        ("basic d2stc2hvcDpzZWNyZXQ=", "wk-shop"),  # "wk-shop:secret"
        ("Bearer d2stc2hvcDo=", None),
        ("Basic !!!", None),
        (None, None),
    ],
)
def test_write_key_from_header(header, key):
    assert write_key_from_header(header) == key


def test_a_failing_write_key_lookup_is_answered_503(tmp_path):
    def broken(_key: str) -> str:
        raise ConnectionError("app database unreachable")

    with TestClient(standalone_app(resolver=broken, root=tmp_path)) as client:
        response = client.post("/v1/track", json={"userId": "u", "event": "E"}, auth=AUTH)
    assert response.status_code == 503
    assert response.json()["success"] is False


def test_browsers_get_cors_headers(tmp_path):
    with TestClient(standalone_app(resolver=KEYS.get, root=tmp_path)) as client:
        preflight = client.options("/v1/track", headers={"Origin": "https://shop.example"})
        posted = client.post(
            "/v1/track",
            json={"userId": "u", "event": "E"},
            auth=AUTH,
            headers={"Origin": "https://shop.example"},
        )
        server_side = client.post("/v1/track", json={"userId": "u", "event": "E"}, auth=AUTH)
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "authorization" in preflight.headers["access-control-allow-headers"]
    assert posted.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-origin" not in server_side.headers
