"""An import's reasons are shown in the language of whoever reads them, not of the uploader."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ..api.test_imports import BAD_ROW, google_ads_report, wait_done
from .browser import csrf_from, login

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
DE = {"Accept-Language": "de-DE,de;q=0.9"}


def wrong_header(shared_data: Path, target: Path) -> Path:
    """The genuine Google Ads download with its header line renamed: no format matches."""
    source = shared_data / "ad_exports" / "google_ads_landing_page_report.csv"
    lines = source.read_text().splitlines()
    header = next(i for i, line in enumerate(lines) if line.count(",") > 2)
    names = lines[header].split(",")
    lines[header] = ",".join(f"Spalte {i}" for i in range(len(names)))
    target.write_text("\n".join(lines) + "\n")
    return target


def _upload(client, page: str, *paths: Path, headers: dict[str, str]) -> int:
    sent = client.post(
        "/data/imports",
        data={"csrf_token": csrf_from(page), "format": ""},
        files=[("files", (p.name, p.read_bytes(), "text/csv")) for p in paths],
        headers=headers,
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    import_id = int(sent.headers["location"].split("started=")[1])
    assert wait_done(client, {}, import_id)["status"] == "done"
    return import_id


def test_a_bad_upload_reads_in_chinese_then_in_german(client, tenants, shared_data, tmp_path):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/data", headers=ZH).text
    dates = google_ads_report(shared_data, tmp_path / "广告报告.csv")
    header = wrong_header(shared_data, tmp_path / "landing pages.csv")
    import_id = _upload(client, page, dates, header, headers=ZH)

    chinese = client.get(f"/data/imports/{import_id}", headers=ZH).text
    # the row left out: its row, its column as the file names it, why
    assert f"第 {BAD_ROW + 3} 行，“Day”列：日期 2025-02-31 不存在" in chinese
    # the file refused: its name, and the upload form's words for the hint
    assert "landing pages.csv：表头不符合任何支持的格式。支持的格式：google_ads, " in chinese
    assert "请在上传表单中选择格式，或在命令行中使用映射文件（见 docs/importing.md）" in chinese
    assert "the header matches no supported format" not in chinese
    assert "does not exist" not in chinese

    # the same import, opened later by a German reader
    german = client.get(f"/data/imports/{import_id}", headers=DE).text
    assert f"Zeile {BAD_ROW + 3}, Spalte „Day“: das Datum 2025-02-31 existiert nicht" in german
    assert "landing pages.csv: die Kopfzeile passt zu keinem unterstützten Format." in german
    assert "Wählen Sie das Format im Upload-Formular" in german
    assert "第" not in german and "表头" not in german

    # English readers (and the API, logs, --json) read the English stored with it
    english = client.get(f"/data/imports/{import_id}").text
    assert f"Row {BAD_ROW + 3}, column “Day”: the date 2025-02-31 does not exist" in english
    api = client.get(f"/api/v1/imports/{import_id}", headers=tenants.a.headers).json()
    refused = next(f for f in api["files"] if f["name"] == header.name)
    assert refused["message"].startswith("landing pages.csv: the header matches no supported")
    assert refused["message_id"] == (
        "%(name)s: the header matches no supported format. Supported formats: "
        "%(formats)s. %(hint)s (see docs/importing.md)"
    )


def test_an_import_stored_before_message_ids_shows_its_english(
    client, tenants, shared_data, tmp_path
):
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.imports import ImportFile

    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/data").text
    header = wrong_header(shared_data, tmp_path / "old.csv")
    dates = google_ads_report(shared_data, tmp_path / "old report.csv")
    import_id = _upload(client, page, header, dates, headers={})
    with session_scope() as session:  # as an import recorded before the migration
        for record in session.scalars(select(ImportFile).where(ImportFile.job_id == import_id)):
            record.message_text = None
            record.errors = [
                {k: v for k, v in e.items() if k != "reason_text"} for e in record.errors
            ]
    german = client.get(f"/data/imports/{import_id}", headers=DE).text
    assert "old.csv: the header matches no supported format." in german
    assert f"Zeile {BAD_ROW + 3}, Spalte „Day“: the date 2025-02-31 does not exist" in german


def test_the_api_refuses_an_upload_in_the_clients_language(client, tenants, shared_data):
    report = shared_data / "ad_exports" / "google_ads_landing_page_report.csv"
    answer = client.post(
        "/api/v1/imports",
        headers={**tenants.a.headers, **ZH},
        files=[("files", (report.name, report.read_bytes(), "text/csv"))],
        data={"format": "tiktok_shop"},
    )
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["message"].startswith("未知格式 'tiktok_shop'；请从以下格式中选择：google_ads")
    assert error["message_id"] == "unknown format %(format)s; choose one of: %(formats)s"
    english = client.post(
        "/api/v1/imports",
        headers=tenants.a.headers,
        files=[("files", (report.name, report.read_bytes(), "text/csv"))],
        data={"format": "tiktok_shop"},
    ).json()["error"]
    assert english["message"].startswith("unknown format 'tiktok_shop'; choose one of:")
    assert english["message_id"] == error["message_id"]


def test_a_running_imports_stage_reads_in_the_readers_language(
    client, tenants, shared_data, tmp_path
):
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.imports import ImportJob

    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/data").text
    import_id = _upload(
        client, page, google_ads_report(shared_data, tmp_path / "ads.csv"), headers={}
    )
    with session_scope() as session:  # as the runner leaves it half-way through storing
        job = session.get(ImportJob, import_id)
        job.status, job.progress, job.stage, job.finished_at = (
            "running",
            0.5,
            "ads.csv: storing ad_spend",
            None,
        )

    german = client.get(f"/data/imports/{import_id}/progress", headers=DE).json()
    assert german == {
        "status": "running",
        "progress": 0.5,
        "label": "Import läuft: 50 %",
        "stage": "ads.csv: speichert ad_spend",
    }
    chinese = client.get(f"/data/imports/{import_id}", headers=ZH).text
    assert "<span data-stage>ads.csv: 正在保存 ad_spend</span>" in chinese
    english = client.get(f"/data/imports/{import_id}/progress").json()
    assert english["stage"] == "ads.csv: storing ad_spend" and english["label"] == "Importing 50%"
    # the API keeps answering in English
    api = client.get(f"/api/v1/imports/{import_id}", headers={**tenants.a.headers, **DE}).json()
    assert api["stage"] == "ads.csv: storing ad_spend"
