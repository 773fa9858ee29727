"""`tradewinds source create --kind shopify` + `source sync`: encrypted token, incremental runs."""

from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from tests.ingest.connectors.replay_server import ReplayServer
from tests.ingest.connectors.test_shopify import API, serve
from tradewinds.cli.main import app as cli


def invoke(*args: str, stdin: str | None = None) -> dict:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_shopify_source_syncs_incrementally_with_its_token_encrypted(tenants, monkeypatch):
    from tradewinds.ingest.connectors import http

    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)  # the replayed 429 asks for 2 s
    ws = tenants.a.workspace_key
    with ReplayServer() as server:
        created = invoke(
            "source",
            "create",
            "--workspace",
            ws,
            "--kind",
            "shopify",
            "--shop-url",
            server.base,
            "--token-stdin",
            "--json",
            stdin="shpat_secret_token\n",
        )
        sid = str(created["source_id"])
        serve(server)
        first = invoke("source", "sync", "--workspace", ws, "--id", sid, "--json")
        serve(server, second_page=False)
        second = invoke("source", "sync", "--workspace", ws, "--id", sid, "--json")
    assert waits == [2.0, 2.0]
    assert first["tables"]["orders"]["inserted"] == 3
    assert first["errors"] == []
    assert second["tables"]["orders"]["inserted"] == 0
    order_calls = [s for s in server.seen if s.path == f"{API}/orders.json"]
    assert order_calls[-1].query["updated_at_min"] == "2026-03-02T10:00:00-05:00"
    assert all(s.headers["x-shopify-access-token"] == "shpat_secret_token" for s in server.seen)

    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.sources import Source

    with session_scope() as session:
        stored = session.scalar(select(Source).where(Source.id == int(sid)))
        assert stored.config_enc and "shpat_secret_token" not in stored.config_enc
        assert json.loads(stored.state)["orders"] == "2026-03-02T10:00:00-05:00"


def test_connector_needs_its_settings(tenants):
    result = CliRunner().invoke(
        cli,
        [
            "source",
            "create",
            "--workspace",
            tenants.a.workspace_key,
            "--kind",
            "meta",
            "--token-stdin",
            "--json",
        ],
        input="tok\n",
    )
    assert result.exit_code == 1
    assert "ad_account_id" in json.loads(result.stdout)["error"]["message"]


def test_a_connector_sync_recounts_saved_segments_and_builds_the_cohort_rollup(
    tenants, monkeypatch
):
    """Follow-ups subscribe to the pipeline's "rows changed" event, so a sync gets them as
    an import does (before, only imports and the drain called them)."""
    from datetime import date

    from tradewinds.analytics import cohort_rollup
    from tradewinds.audiences import saved_segments
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.ingest.connectors import http
    from tradewinds.ingest.sources import create_source, sync_connector
    from tradewinds.warehouse import open_warehouse

    monkeypatch.setattr(http, "pause", lambda seconds: None)
    key = tenants.a.workspace_key
    with ReplayServer() as server:
        with session_scope() as session:
            ws = resolve_workspace(session, key)
            saved_segments.save_segment(
                session=session, workspace=ws, name="Buyers", rule="orders >= 1", actor="test"
            )
            created, _ = create_source(
                session=session,
                workspace=ws,
                kind="shopify",
                actor="test",
                settings={"shop_url": server.base, "access_token": "shpat_x"},
            )
        serve(server)
        with session_scope() as session:
            ws = resolve_workspace(session, key)
            result = sync_connector(
                session=session,
                workspace=ws,
                source_id=created.id,
                actor="test",
                today=date(2026, 3, 3),
            )
    assert result.tables["orders"]["inserted"] == 3
    with session_scope() as session:
        ws = resolve_workspace(session, key)
        (segment,) = saved_segments.list_segments(session=session, workspace=ws)
    assert len(segment.history) == 1
    assert segment.members == 1  # every order is the one customer's
    with open_warehouse(key) as wh:
        if cohort_rollup.supported(wh):
            assert cohort_rollup._stored(wh) == cohort_rollup._version(wh, "Europe/London")
