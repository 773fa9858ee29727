"""Data → Event sources (create, key shown once, revoke) and Data → Live events."""

from __future__ import annotations

import base64
import re

from .browser import csrf_from, login, post_form


def _auth(write_key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()}


def _audit_actions(workspace_id: int) -> list[str]:
    from tradewinds.auth import audit
    from tradewinds.db.engine import session_scope

    with session_scope() as session:
        return [e.action for e in audit.entries(session=session, workspace_id=workspace_id)]


def test_create_source_send_events_watch_them_and_revoke(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    assert 'href="/data/sources"' in client.get("/data").text
    empty = client.get("/data/sources")
    assert empty.status_code == 200 and "No event sources yet" in empty.text

    created = post_form(client, "/data/sources", "/data/sources", {"name": "Web shop"})
    assert created.status_code == 200, created.text
    assert created.headers["cache-control"] == "no-store"
    key = re.search(r'data-testid="write-key" id="write-key">([^<]+)<', created.text).group(1)
    assert len(key) >= 24 and "data-copy" in created.text
    again = client.get("/data/sources")
    assert key not in again.text and f"<code>{key[:8]}…</code>" in again.text
    assert "source.create" in _audit_actions(tenants.a.workspace_id)

    good = {"type": "track", "event": "Order Completed", "userId": "ann.smith@example.com"}
    assert client.post("/v1/track", json=good, headers=_auth(key)).status_code == 200
    bad = {"type": "track", "event": "", "anonymousId": "anon-7"}  # a track needs a name
    refused = client.post("/v1/track", json=bad, headers=_auth(key))
    assert refused.status_code == 400

    live = client.get("/data/events")
    assert live.status_code == 200 and 'data-live="/data/events/rows"' in live.text
    rows = client.get("/data/events/rows").text
    received = rows.split('data-testid="live-refused"')[0]
    assert "Order Completed" in received and "a••••••••@example.com" in received
    assert "ann.smith@example.com" not in rows
    refusals = rows.split('data-testid="live-refused"')[1]
    reason = refused.json()["rejected"][0]["reason"]
    assert "anon-7" in refusals and reason in refusals
    assert "Received (1 newest of 1)" in rows and "Refused (1 newest of 1)" in rows
    counts = client.get("/data/sources").text
    assert "keeps 1 recent events" in counts and "has refused 1" in counts

    source_id = re.search(r'data-source-id="(\d+)"', counts).group(1)
    gone = post_form(client, "/data/sources", f"/data/sources/{source_id}/revoke", {})
    assert gone.status_code == 303
    listed = client.get("/data/sources?revoked=1").text
    assert "The source is revoked" in listed and f"/data/sources/{source_id}/revoke" not in listed
    assert "source.revoke" in _audit_actions(tenants.a.workspace_id)


def test_viewers_watch_but_cannot_create_or_revoke(client, tenants):
    from tradewinds.auth import users
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        users.create_user(
            session=session,
            email="viewer@alpha.example",
            password="viewer-password-123",
            workspace=session.get(Workspace, tenants.a.workspace_id),
            role="viewer",
            actor="test",
        )
    login(client, "viewer@alpha.example", "viewer-password-123")
    page = client.get("/data/sources")
    assert page.status_code == 200 and 'method="post" action="/data/sources"' not in page.text
    assert client.get("/data/events").status_code == 200
    token = csrf_from(client.get("/data").text)
    refused = client.post("/data/sources", data={"csrf_token": token, "name": "x"})
    assert refused.status_code == 403
    assert client.post("/data/sources/1/revoke", data={"csrf_token": token}).status_code == 403
