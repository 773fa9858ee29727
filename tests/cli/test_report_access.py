"""Report commands read as the operator (everything) unless ``--as EMAIL`` or ``--role ROLE``
asks for a member's view, which goes through the same grant as the API and the pages."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tradewinds.cli.main import app

from ..shop_data import load_shop

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def shop(tenants) -> str:
    from tradewinds.auth import users
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace

    load_shop(tenants.a.workspace_key)
    with session_scope() as session:
        ws = session.get(Workspace, tenants.a.workspace_id)
        users.create_user(
            session=session,
            email="Viewer@Alpha-Shop.example",
            password="viewer-password-1",
            workspace=ws,
            role="viewer",
            actor="test",
        )
    return tenants.a.workspace_key


def as_json(*args: str) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_attribution_as_a_viewer_has_no_money(shop: str):
    full = as_json("attribution", "run", "--workspace", shop)
    assert full["total_value"] > 0 and "hidden" not in full
    assert all("value" in c and "roas" in c for c in full["channels"])
    for who in (("--role", "viewer"), ("--as", "viewer@alpha-shop.example")):
        seen = as_json("attribution", "run", "--workspace", shop, *who)
        assert seen["reason"] == "needs finance.read"
        assert "total_value" not in seen and "total_spend" not in seen
        assert all(set(c) == {"channel", "conversions"} for c in seen["channels"])
        assert seen["total_conversions"] == full["total_conversions"]
    table = run("attribution", "run", "--workspace", shop, "--role", "viewer")
    assert table.exit_code == 0, table.output
    assert "revenue (GBP)" not in table.output and "are hidden" in table.output
    assert "revenue (GBP)" in run("attribution", "run", "--workspace", shop).output
    finance = as_json("attribution", "run", "--workspace", shop, "--role", "finance")
    assert finance["total_value"] == full["total_value"]


def test_customer_reports_as_a_viewer(shop: str):
    rfm = as_json("audiences", "rfm", "--workspace", shop, "--role", "viewer")
    assert rfm["segments"] and all("revenue" not in s for s in rfm["segments"])
    assert rfm["hidden"] == ["revenue"]
    assert "revenue" in as_json("audiences", "rfm", "--workspace", shop)["segments"][0]
    clusters = as_json(
        "audiences", "clusters", "--workspace", shop, "--as", "viewer@alpha-shop.example"
    )
    assert all(
        "description" not in c and "revenue" not in c["medians"] for c in clusters["clusters"]
    )

    clv = run("audiences", "clv", "--workspace", shop, "--role", "viewer", "--json")
    assert clv.exit_code == 1
    error = json.loads(clv.stdout)["error"]
    assert error["code"] == "forbidden" and "finance.read" in error["message"]
    assert as_json("audiences", "clv", "--workspace", shop, "--role", "finance")["total_clv"] > 0

    money_rule = run(
        "audiences", "segment", "--workspace", shop, "--rule", "revenue > 50", "--role", "viewer"
    )
    assert money_rule.exit_code == 1 and "revenue" in money_rule.output
    counted = as_json(
        "audiences", "segment", "--workspace", shop, "--rule", "orders >= 2", "--role", "viewer"
    )
    assert counted["members"] > 0

    save = run(
        "audiences",
        "segments",
        "--workspace",
        shop,
        "--save",
        "Repeat",
        "--rule",
        "orders >= 2",
        "--role",
        "viewer",
    )
    assert save.exit_code == 1 and "audiences.export" in save.output


def test_who_reads_must_be_a_member_or_a_role(shop: str):
    stranger = run("attribution", "run", "--workspace", shop, "--as", "nobody@example.com")
    assert stranger.exit_code == 1 and "not a member" in stranger.output
    wizard = run("audiences", "rfm", "--workspace", shop, "--role", "wizard")
    assert wizard.exit_code == 1 and "--role" in wizard.output and "viewer" in wizard.output
    both = run(
        "audiences",
        "rfm",
        "--workspace",
        shop,
        "--role",
        "viewer",
        "--as",
        "viewer@alpha-shop.example",
    )
    assert both.exit_code == 1 and "not both" in both.output
