"""`tradewinds user set-role` and `user remove`: the operator may give any role, but a
workspace always keeps an owner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tradewinds.cli.main import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_operator_changes_roles_but_keeps_the_last_owner(tenants):
    shop = tenants.a.workspace_key
    owner = tenants.a.owner_email
    result = run("user", "set-role", owner, "--workspace", shop, "--role", "viewer", "--json")
    assert result.exit_code != 0 and "last owner" in result.output
    result = run("user", "remove", owner, "--workspace", shop, "--json")
    assert result.exit_code != 0 and "last owner" in result.output

    # the operator may make anyone owner; then the first owner may step down
    from tradewinds.auth import users
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        ws = session.get(Workspace, tenants.a.workspace_id)
        users.create_user(
            session=session,
            email="helper@alpha-shop.example",
            password="helper-password-1",
            workspace=ws,
            role="viewer",
            actor="test",
        )
    result = run(
        "user",
        "set-role",
        "helper@alpha-shop.example",
        "--workspace",
        shop,
        "--role",
        "owner",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["role"] == "owner"
    result = run("user", "set-role", owner, "--workspace", shop, "--role", "analyst")
    assert result.exit_code == 0 and "now analyst" in result.output
    result = run("user", "remove", owner, "--workspace", shop)
    assert result.exit_code == 0 and "no longer a member" in result.output
    result = run("user", "remove", owner, "--workspace", shop, "--json")
    assert result.exit_code != 0 and "not a member" in result.output
