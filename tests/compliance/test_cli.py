from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tradewinds.cli.main import app

runner = CliRunner()


def test_check_json() -> None:
    result = runner.invoke(
        app,
        [
            "compliance",
            "check",
            "--market",
            "DE",
            "--platform",
            "google",
            "--field",
            "headline",
            "--sponsored",
            "--json",
            "Ｎｏ．１ Laufschuh",
        ],
    )
    assert result.exit_code == 1, result.output  # a blocked ad is a "no"
    data = json.loads(result.stdout)
    assert data["verdict"] == "block"
    ids = {f["rule_id"] for f in data["findings"]}
    assert {"claim.superiority.number-one", "de.sponsored.anzeige-missing"} <= ids
    first = data["findings"][0]
    assert first["span"] == [0, 4] and first["matched"] == "Ｎｏ．１"
    for key in [
        "rule_id",
        "market",
        "platform",
        "severity",
        "span",
        "matched",
        "message",
        "reference",
        "suggested_fix",
    ]:
        assert key in first


def test_check_file_batch(tmp_path: Path) -> None:
    ads = tmp_path / "ads.jsonl"
    rows = [
        {
            "id": "1",
            "text": "最佳咖啡",
            "market": "CN",
            "platform": None,
            "field": None,
            "sponsored": False,
        },
        {
            "id": "2",
            "text": "Fresh coffee beans",
            "market": "US",
            "platform": "google",
            "field": "headline",
            "sponsored": False,
        },
        {
            "id": "3",
            "text": "Mon sérum préféré",
            "market": "FR",
            "platform": "meta",
            "field": None,
            "sponsored": True,
        },
    ]
    ads.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["compliance", "check", "--file", str(ads), "--json"])
    assert result.exit_code == 1, result.output  # two of the three ads are blocked
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], o["verdict"]) for o in out] == [("1", "block"), ("2", "pass"), ("3", "block")]
    assert set(out[0]) == {"id", "verdict", "findings"}


def test_check_human_output_and_usage_errors() -> None:
    result = runner.invoke(app, ["compliance", "check", "--market", "US", "Cheapest sofas"])
    assert result.exit_code == 1 and "verdict: block" in result.stdout
    result = runner.invoke(app, ["compliance", "check", "--json", "Cheapest sofas"])
    assert result.exit_code == 1 and json.loads(result.stdout)["error"]["code"] == "usage"


def test_fix_packs_and_validate(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["compliance", "fix", "--market", "US", "--platform", "google", "--json", "FREE sofas!!"],
    )
    assert json.loads(result.stdout)["fixed"] == "Free sofas!"
    result = runner.invoke(app, ["compliance", "packs", "--json"])
    assert {"global", "cn", "google"} <= {p["id"] for p in json.loads(result.stdout)}
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: x\ntitle: t\nscope: user\nrules:\n  - id: a\n    kind: terms\n"
        "    severity: loud\n    message: m m\n    reference: r r\n"
        "    terms: {en: [a]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["compliance", "validate", "--json", str(bad)])
    assert result.exit_code == 1
    problem = json.loads(result.stdout)["problems"][0]
    assert problem["line"] == 7 and "severity" in problem["location"]


def test_user_pack_adds_brand_terms(tmp_path: Path) -> None:
    pack = tmp_path / "brand.yaml"
    pack.write_text(
        "id: brand\ntitle: Brand\nscope: user\nrules:\n  - id: competitor\n"
        "    kind: terms\n    severity: block\n    message: no competitors\n"
        "    reference: brand guide\n    terms: {en: [globex]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "compliance",
            "check",
            "--market",
            "US",
            "--pack",
            str(pack),
            "--json",
            "Better than Globex",
        ],
    )
    data = json.loads(result.stdout)
    assert data["verdict"] == "block" and data["findings"][0]["rule_id"] == "competitor"


def test_workspace_packs_apply_on_the_command_line(tenants) -> None:
    from tradewinds.compliance.user_packs import create_user_pack
    from tradewinds.db.engine import session_scope

    source = (
        "id: brand\ntitle: Brand\nscope: user\nrules:\n  - id: competitor\n"
        "    kind: terms\n    severity: block\n    message: no competitors\n"
        "    reference: brand guide\n    terms: {en: [globex]}\n"
    )
    with session_scope() as session:
        create_user_pack(
            session=session, workspace_id=tenants.a.workspace_id, source=source, actor="test"
        )
    args = ["compliance", "check", "--market", "US", "--json", "Better than Globex"]
    mine = json.loads(runner.invoke(app, [*args, "--workspace", tenants.a.name]).stdout)
    theirs = json.loads(runner.invoke(app, [*args, "--workspace", tenants.b.name]).stdout)
    assert mine["verdict"] == "block" and theirs["verdict"] == "pass"
    missing = runner.invoke(app, [*args, "--workspace", "No Such Shop"])
    assert missing.exit_code == 1 and json.loads(missing.stdout)["error"]["code"] == "not_found"


def test_exit_status_follows_the_verdict(tmp_path: Path) -> None:
    def check(*args: str):
        return runner.invoke(app, ["compliance", "check", "--json", *args])

    passed = check("--market", "US", "--platform", "google", "Fresh coffee beans")
    assert json.loads(passed.stdout)["verdict"] == "pass" and passed.exit_code == 0
    warned = check("--market", "DE", "Nachhaltige Kaffeebohnen, Testsieger")
    assert json.loads(warned.stdout)["verdict"] == "warn", warned.stdout
    assert warned.exit_code == 0
    blocked = check("--market", "US", "Cheapest sofas")
    assert json.loads(blocked.stdout)["verdict"] == "block" and blocked.exit_code == 1

    ads = tmp_path / "ads.jsonl"
    ads.write_text(
        json.dumps({"id": "1", "text": "Fresh coffee beans", "market": "US"}) + "\n",
        encoding="utf-8",
    )
    clean = runner.invoke(app, ["compliance", "check", "--file", str(ads)])
    assert clean.exit_code == 0 and json.loads(clean.stdout)["verdict"] == "pass"


def test_help_documents_the_exit_status() -> None:
    result = runner.invoke(app, ["compliance", "check", "--help"])
    assert result.exit_code == 0
    assert "Exit status: 1 when the verdict is block" in " ".join(result.stdout.split())
