"""init, workspace, user, apikey and audit commands, with and without --json."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tradewinds.cli.main import app

runner = CliRunner()


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def test_init_then_workspace_user_and_key(app_db):
    result = run("init", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "ready"

    result = run(
        "workspace",
        "create",
        "Lantern Gifts",
        "--currency",
        "gbp",
        "--timezone",
        "Europe/London",
        "--region",
        "UK",
        "--json",
    )
    assert result.exit_code == 0, result.output
    ws = json.loads(result.stdout)
    assert (ws["currency"], ws["region"], ws["key"]) == ("GBP", "uk", "lantern-gifts")

    result = run(
        "user",
        "create",
        "Ann@Example.com",
        "--workspace",
        "lantern-gifts",
        "--role",
        "marketer",
        "--password-stdin",
        "--json",
        stdin="a-long-password\n",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "email": "ann@example.com",
        "workspace": "Lantern Gifts",
        "role": "marketer",
    }

    result = run("apikey", "create", "--workspace", "Lantern Gifts", "--role", "analyst", "--json")
    assert result.exit_code == 0, result.output
    key = json.loads(result.stdout)["key"]
    assert key.startswith("tw_")

    result = run("audit", "verify", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["entries"] >= 4


def test_errors_are_clear_and_nonzero(app_db):
    result = run(
        "workspace",
        "create",
        "X",
        "--currency",
        "EURO",
        "--timezone",
        "Nowhere/City",
        "--region",
        "moon",
        "--json",
    )
    assert result.exit_code == 1
    message = json.loads(result.stdout)["error"]["message"]
    assert "ISO 4217" in message and "IANA" in message and "data region" in message

    result = run(
        "user",
        "create",
        "a@b.example",
        "--workspace",
        "missing",
        "--role",
        "owner",
        "--password-stdin",
        stdin="a-long-password\n",
    )
    assert result.exit_code == 1 and "no workspace named 'missing'" in result.output

    run(
        "workspace",
        "create",
        "Shop",
        "--currency",
        "EUR",
        "--timezone",
        "Europe/Paris",
        "--region",
        "eu",
    )
    result = run("apikey", "create", "--workspace", "Shop", "--role", "superuser", "--json")
    assert result.exit_code == 1 and "unknown role" in result.stdout

    result = run(
        "user",
        "create",
        "a@b.example",
        "--workspace",
        "Shop",
        "--role",
        "owner",
        "--password-stdin",
        stdin="short\n",
    )
    assert result.exit_code == 1 and "at least 10 characters" in result.output


def test_demo_prints_a_working_login(app_db):
    result = run("demo", "--login-only", "--json")
    assert result.exit_code == 0, result.output
    demo = json.loads(result.stdout.strip().splitlines()[-1])
    from tradewinds.auth.login import authenticate
    from tradewinds.db.engine import session_scope

    with session_scope() as session:
        user = authenticate(
            session=session, email=demo["email"], password=demo["password"], ip="127.0.0.1"
        )
        assert user.email == demo["email"]
