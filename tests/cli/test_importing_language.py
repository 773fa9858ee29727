"""`tradewinds import` prints a file's and a row's reasons in the command's language."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.api.test_imports import BAD_ROW, google_ads_report
from tests.web.test_data_languages import wrong_header
from tradewinds.cli.main import app


def test_import_speaks_japanese_with_tradewinds_lang(tenants, shared_data: Path, tmp_path):
    runner = CliRunner()
    env = {"TRADEWINDS_LANG": "ja"}
    report = google_ads_report(shared_data, tmp_path / "report.csv")
    done = runner.invoke(app, ["import", str(report), "-w", tenants.a.name], env=env)
    assert done.exit_code == 0, done.output
    assert "report.csv [google_ads] 成功: 読み込み 20、取り込み 19、重複 0、除外 1" in done.stdout
    assert (
        f"  report.csv:{BAD_ROW + 3} 列 'Day' 値 '2025-02-31': 日付 2025-02-31 は存在しません"
        in done.stdout
    )

    header = wrong_header(shared_data, tmp_path / "landing.csv")
    refused = runner.invoke(app, ["import", str(header), "-w", tenants.a.name], env=env)
    assert refused.exit_code == 1
    assert "landing.csv: ヘッダーがどの対応形式にも一致しません。" in refused.stderr
    # the command line's hint, not the upload form's
    assert "--format NAME で形式を選ぶか" in refused.stderr

    # --json stays English whatever the language
    as_json = runner.invoke(app, ["import", str(header), "-w", tenants.a.name, "--json"], env=env)
    message = json.loads(as_json.stdout)["error"]["message"]
    assert message.startswith("landing.csv: the header matches no supported format.")
    assert "Use --format NAME to choose one" in message


def test_import_prints_english_without_a_language(tenants, shared_data: Path, tmp_path):
    report = google_ads_report(shared_data, tmp_path / "report.csv")
    done = CliRunner().invoke(
        app, ["import", str(report), "-w", tenants.a.name], env={"TRADEWINDS_LANG": "C"}
    )
    assert done.exit_code == 0, done.output
    assert "read 20, imported 19, duplicates 0, rejected 1" in done.stdout
    assert (
        f"  report.csv:{BAD_ROW + 3} column 'Day' value '2025-02-31': "
        "the date 2025-02-31 does not exist" in done.stdout
    )
