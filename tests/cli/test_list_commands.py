"""`user list`, `apikey list`, `audit list --since` (text and --json), and flag help."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from tradewinds.cli.audit import parse_since
from tradewinds.cli.main import app

runner = CliRunner()


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def _setup() -> str:
    assert run("init", "--json").exit_code == 0
    created = run(
        "workspace",
        "create",
        "Lantern Gifts",
        "--currency",
        "GBP",
        "--timezone",
        "UTC",
        "--region",
        "UK",
        "--json",
    )
    assert created.exit_code == 0, created.output
    made = run(
        "user", "create", "ann@example.com", "-w", "lantern-gifts", "--role", "marketer",
        "--password-stdin", "--json", stdin="a-long-password\n",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    key = run("apikey", "create", "-w", "lantern-gifts", "--role", "analyst", "--name", "nightly")
    assert key.exit_code == 0, key.output
    return key.stdout.strip()


def test_user_apikey_and_audit_lists(app_db):
    full_key = _setup()
    prefix = full_key.split("_")[1]

    members = run("user", "list", "-w", "lantern-gifts", "--json")
    assert members.exit_code == 0, members.output
    rows = json.loads(members.stdout)["members"]
    assert [(r["email"], r["role"], r["mfa"]) for r in rows] == [
        ("ann@example.com", "marketer", False)
    ]
    text = run("user", "list", "-w", "lantern-gifts")
    assert "ann@example.com\tmarketer\tno-mfa" in text.stdout

    keys = json.loads(run("apikey", "list", "-w", "lantern-gifts", "--json").stdout)["keys"]
    assert [(k["prefix"], k["name"], k["role"], k["last_used_at"]) for k in keys] == [
        (prefix, "nightly", "analyst", None)
    ]
    listed = run("apikey", "list", "-w", "lantern-gifts").stdout
    assert f"tw_{prefix}_…\tnightly\tanalyst" in listed and full_key not in listed

    assert run("apikey", "revoke", prefix, "-w", "lantern-gifts").exit_code == 0
    assert json.loads(run("apikey", "list", "-w", "lantern-gifts", "--json").stdout)["keys"] == []
    every = json.loads(run("apikey", "list", "-w", "lantern-gifts", "--all", "--json").stdout)
    assert every["keys"][0]["revoked_at"] is not None

    recent = json.loads(run("audit", "list", "--since", "1d", "--json").stdout)["entries"]
    actions = [e["action"] for e in recent]
    assert actions[0] == "apikey.revoke" and "apikey.create" in actions
    assert len(actions) >= 4
    only = run("audit", "list", "--since", "2000-01-01", "-w", "lantern-gifts", "--json")
    assert {e["workspace_id"] for e in json.loads(only.stdout)["entries"]} == {
        recent[0]["workspace_id"]
    }
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    none = json.loads(run("audit", "list", "--since", tomorrow, "--json").stdout)
    assert none["entries"] == []
    assert "0 audit entries since" in run("audit", "list", "--since", tomorrow).stdout


def test_audit_list_refuses_a_bad_since(app_db):
    result = run("audit", "list", "--since", "last tuesday")
    assert result.exit_code == 1
    assert "--since: 'last tuesday' is neither a date" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", datetime(2026, 11, 24, 12, tzinfo=UTC)),
        ("12h", datetime(2026, 12, 1, 0, tzinfo=UTC)),
        ("2w", datetime(2026, 11, 17, 12, tzinfo=UTC)),
        ("2026-11-01", datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026-11-01T08:30+01:00", datetime(2026, 11, 1, 7, 30, tzinfo=UTC)),
    ],
)
def test_parse_since(text: str, expected: datetime):
    assert parse_since(text, now=datetime(2026, 12, 1, 12, tzinfo=UTC)) == expected


def test_flag_help_shows_no_bool_type():
    result = runner.invoke(app, ["source", "drain", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "--no-prune" in result.stdout and "--json" in result.stdout
    assert "<bool>" not in result.stdout
    assert "<int" in runner.invoke(app, ["audit", "list", "--help"]).stdout
