from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewinds.cli.main import app

runner = CliRunner()


def test_clv_fit_prints_the_paper_parameters(shared_data: Path) -> None:
    result = runner.invoke(
        app,
        [
            "audiences",
            "clv-fit",
            "--transactions",
            str(shared_data / "cdnow" / "CDNOW_sample.txt"),
            "--format",
            "cdnow_sample",
            "--calibration-end",
            "1997-09-30",
            "--period",
            "week",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["model"] == "bgnbd" and data["customers"] == 2357
    assert set(data["params"]) == {"r", "alpha", "a", "b"}
    assert data["params"]["r"] == pytest.approx(0.243, rel=0.01)


def test_clv_fit_on_the_master_file_and_a_generic_csv(shared_data: Path, tmp_path: Path) -> None:
    master = runner.invoke(
        app,
        [
            "audiences",
            "clv-fit",
            "--transactions",
            str(shared_data / "cdnow" / "CDNOW_master.txt"),
            "--format",
            "cdnow",
            "--calibration-end",
            "1997-09-30",
            "--period",
            "week",
            "--json",
        ],
    )
    assert master.exit_code == 0, master.output
    assert json.loads(master.stdout)["customers"] == 23570
    path = tmp_path / "tx.csv"
    lines = ["customer_id,date,amount"]
    for c in range(40):
        for k in range(c % 4 + 1):
            lines.append(f"c{c},2024-{1 + (k * 2 + c) % 9:02d}-{1 + c % 27:02d},{10 + c}")
    path.write_text("\n".join(lines) + "\n")
    generic = runner.invoke(
        app,
        [
            "audiences",
            "clv-fit",
            "--transactions",
            str(path),
            "--format",
            "csv",
            "--calibration-end",
            "2024-12-31",
            "--json",
        ],
    )
    assert generic.exit_code == 0, generic.output
    assert json.loads(generic.stdout)["customers"] == 40


def test_clv_fit_errors_are_json(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "audiences",
            "clv-fit",
            "--transactions",
            str(tmp_path / "missing.csv"),
            "--format",
            "csv",
            "--calibration-end",
            "1997-09-30",
            "--json",
        ],
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"] == "invalid_input"
    bad_format = runner.invoke(
        app,
        [
            "audiences",
            "clv-fit",
            "--transactions",
            "x",
            "--format",
            "xlsx",
            "--calibration-end",
            "1997-09-30",
            "--json",
        ],
    )
    assert json.loads(bad_format.stdout)["error"]["message"].startswith("--format")


def test_workspace_commands(retail_workspace: str, tmp_path: Path) -> None:
    ws = ["--workspace", retail_workspace, "--json"]
    rfm = runner.invoke(app, ["audiences", "rfm", *ws])
    assert rfm.exit_code == 0, rfm.output
    assert json.loads(rfm.stdout)["customers"] > 300
    seg = runner.invoke(app, ["audiences", "segment", "--rule", "orders >= 3 and", *ws])
    assert seg.exit_code == 1
    error = json.loads(seg.stdout)["error"]
    assert error["code"] == "invalid_input" and "position 16" in error["message"]
    missing = runner.invoke(app, ["audiences", "rfm", "--workspace", "No Such Shop", "--json"])
    assert json.loads(missing.stdout)["error"]["code"] == "not_found"
    out = tmp_path / "meta.csv"
    export = runner.invoke(
        app, ["audiences", "export", "--platform", "meta", "--output", str(out), *ws]
    )
    assert export.exit_code == 0, export.output
    summary = json.loads(export.stdout)
    assert summary["rows"] == len(out.read_text().splitlines()) - 1 > 0

    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.audit import AuditEntry

    with session_scope() as session:
        entries = session.query(AuditEntry).filter(AuditEntry.action == "audience.export").all()
        assert len(entries) == 1
        assert entries[0].details["rows"] == summary["rows"]
