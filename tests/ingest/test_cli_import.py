"""`tradewinds import` end to end: workspace lookup, JSON report, audit entry, idempotence."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.ingest.samples import SAMPLES
from tradewinds.cli.main import app


def test_import_json_report_and_audit(tenants, shared_data: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    google = shared_data / "ad_exports" / "google_ads_advanced_bid_adjustment_report.csv"
    meta = SAMPLES["meta_ads"](tmp_path, True)
    args = [
        "import",
        str(google),
        str(meta),
        "--workspace",
        tenants.a.name,
        "--json",
        "--max-rejected",
        "0.6",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert [f["format"] for f in files] == ["google_ads", "meta_ads"]
    assert {k: files[0][k] for k in ("read", "imported", "duplicates", "rejected")} == {
        "read": 22,
        "imported": 23,
        "duplicates": 0,
        "rejected": 0,
    }
    assert files[1]["rejected"] == 1
    error = files[1]["errors"][0]
    assert error["file"] == meta.name and error["row"] == 2
    assert error["field"] == "Amount spent (EUR)" and error["reason"]

    again = json.loads(runner.invoke(app, args).stdout)["files"]
    assert again[0]["imported"] == 0 and again[0]["duplicates"] == 23

    from sqlalchemy import select

    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.audit import AuditEntry

    with session_scope() as session:
        entries = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "data.import",
                AuditEntry.workspace_id == tenants.a.workspace_id,
            )
        ).all()
    assert len(entries) == 4

    # the import history (Data page, API) lists command-line imports too, newest first
    from tradewinds.ingest.history import list_imports

    with session_scope() as session:
        history = list_imports(session=session, workspace_id=tenants.a.workspace_id)
    assert len(history) == 4 and all(not job.active for job in history)
    newest = history[0]
    assert newest.stage == "imported with `tradewinds import`"
    assert [f.name for f in newest.files] == [meta.name]
    assert (newest.read, newest.duplicates, newest.rejected, newest.errors_total) == (
        again[1]["read"],
        again[1]["duplicates"],
        1,
        1,
    )
    assert newest.outcome == "problems"  # a rejected row
    assert history[1].files[0].name == google.name and history[3].imported == 23

    # follow-ups subscribe to the tables they are computed from: spend rows leave the
    # cohort report's rollup (built from the orders) alone (tests/ingest/test_pipeline.py
    # checks that imported orders bring it up to date)
    from tradewinds.analytics import cohort_rollup
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(tenants.a.workspace_key) as wh:
        if cohort_rollup.supported(wh):
            assert cohort_rollup._stored(wh) is None


def test_unknown_workspace_and_file(tenants, shared_data: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(
        app,
        [
            "import",
            str(shared_data / "cdnow" / "CDNOW_sample.txt"),
            "--workspace",
            "nope",
            "--json",
        ],
    )
    assert missing.exit_code != 0
    unknown = runner.invoke(
        app,
        [
            "import",
            str(shared_data / "cdnow" / "CDNOW_sample.txt"),
            "--workspace",
            tenants.a.name,
            "--json",
        ],
    )
    assert unknown.exit_code != 0
    message = json.loads(unknown.stdout)["error"]["message"]
    assert "google_ads" in message and "online_retail" in message


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the app DB is not under test
def test_all_online_retail_parts_then_sql(tenants, shared_data: Path) -> None:
    """Acceptance: 541,909 lines read; the SQL console shows 38 countries and the totals
    that pandas computes independently from the same files."""
    parts = sorted((shared_data / "online_retail").glob("online_retail_20*.csv.gz"))
    runner = CliRunner()
    result = runner.invoke(
        app, ["import", *map(str, parts), "--workspace", tenants.a.name, "--json"]
    )
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert sum(f["read"] for f in files) == 541_909
    assert all(f["format"] == "online_retail" and f["rejected"] == 0 for f in files)

    frame = pd.concat(pd.read_csv(p, dtype=str, keep_default_na=False) for p in parts)
    pandas_total = sum(frame["Quantity"].astype(int) * frame["UnitPrice"].map(Decimal), Decimal(0))
    refunds = frame[frame["InvoiceNo"].str.startswith("C")]
    pandas_refunds = -sum(
        refunds["Quantity"].astype(int) * refunds["UnitPrice"].map(Decimal), Decimal(0)
    )
    query = (
        "SELECT count(DISTINCT country), CAST(sum(total) AS VARCHAR), "
        "CAST(sum(refunded) AS VARCHAR), count(*) FROM orders"
    )
    out = runner.invoke(app, ["sql", query, "--workspace", tenants.a.name, "--json"])
    assert out.exit_code == 0, out.output
    [[countries, total, refunded, orders]] = json.loads(out.stdout)["rows"]
    assert countries == frame["Country"].nunique() == 38
    assert Decimal(total) == pandas_total
    assert Decimal(refunded) == pandas_refunds
    assert orders == frame["InvoiceNo"].nunique()


def test_cli_default_rejected_share_matches_the_service():
    from tradewinds.cli import importing
    from tradewinds.ingest import service

    assert importing.DEFAULT_MAX_REJECTED_SHARE == service.DEFAULT_MAX_REJECTED_SHARE
