"""File-upload API: background import, history with counts and row errors, audit, roles."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from tradewinds.db.engine import session_scope

BAD_ROW = 17  # the data row whose day does not exist (file line BAD_ROW + 3)


def google_ads_report(shared_data: Path, target: Path, *, rows: int = 20) -> Path:
    """A Google Ads download of `rows` campaign rows by day, from the real export's rows;
    data row BAD_ROW carries the day 2025-02-31."""
    source = shared_data / "ad_exports" / "google_ads_advanced_bid_adjustment_report.csv"
    _title, _range, header, *lines = source.read_text().splitlines()
    lines = [line for line in lines if not line.startswith("Total")][:rows]
    out = ["Campaign report", "All time", f"Day,{header}"]
    for i, line in enumerate(lines, start=1):
        day = "2025-02-31" if i == BAD_ROW else f"2025-05-{10 + i % 15:02d}"
        out.append(f"{day},{line}")
    target.write_text("\n".join(out) + "\n")
    return target


def wait_done(client, headers, import_id: int) -> dict:
    deadline = time.monotonic() + 120
    while True:
        body = client.get(f"/api/v1/imports/{import_id}", headers=headers).json()
        if body["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def _upload(client, headers, *paths: Path, format: str | None = None):
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in paths]
    data = {"format": format} if format is not None else {}
    return client.post("/api/v1/imports", headers=headers, files=files, data=data)


def test_upload_twice_counts_duplicates_and_keeps_errors(client, tenants, shared_data, tmp_path):
    report = google_ads_report(shared_data, tmp_path / "Campaign report.csv")
    first = _upload(client, tenants.a.headers, report)
    assert first.status_code == 202, first.text
    assert first.json()["status"] in ("queued", "running", "done")
    done = wait_done(client, tenants.a.headers, first.json()["id"])
    assert (done["status"], done["outcome"]) == ("done", "problems")
    assert (done["read"], done["imported"], done["duplicates"], done["rejected"]) == (20, 19, 0, 1)
    [file] = done["files"]
    assert file["format"] == "google_ads" and file["status"] == "done"
    [error] = file["errors"]
    assert (error["row"], error["field"], error["value"]) == (BAD_ROW + 3, "Day", "2025-02-31")
    assert error["message"] == (
        f"Row {BAD_ROW + 3}, column “Day”: the date 2025-02-31 does not exist"
    )

    again = wait_done(
        client, tenants.a.headers, _upload(client, tenants.a.headers, report).json()["id"]
    )
    assert (again["read"], again["imported"], again["duplicates"]) == (20, 0, 19)
    assert again["files"][0]["uploaded_before"] == [done["id"]]

    history = client.get("/api/v1/imports", headers=tenants.a.headers).json()["imports"]
    assert [h["id"] for h in history] == [again["id"], done["id"]]
    assert "errors" not in history[0]["files"][0]
    assert client.get("/api/v1/imports", headers=tenants.b.headers).json()["imports"] == []
    assert client.get(f"/api/v1/imports/{done['id']}", headers=tenants.b.headers).status_code == 404

    from tradewinds.db.models.audit import AuditEntry

    with session_scope() as session:
        actions = session.execute(
            select(AuditEntry.action, AuditEntry.target).where(
                AuditEntry.workspace_id == tenants.a.workspace_id,
                AuditEntry.action.in_(["data.upload", "data.import"]),
            )
        ).all()
    assert sorted(actions) == sorted(
        [
            ("data.upload", f"import:{done['id']}"),
            ("data.upload", f"import:{again['id']}"),
            ("data.import", f"file:{report.name}"),
            ("data.import", f"file:{report.name}"),
        ]
    )


def test_unreadable_file_unknown_format_and_roles(client, tenants, tmp_path):
    junk = tmp_path / "notes.csv"
    junk.write_text("colour,size\nred,big\n")
    failed = wait_done(
        client, tenants.a.headers, _upload(client, tenants.a.headers, junk).json()["id"]
    )
    assert failed["status"] == "failed"
    assert "matches no supported format" in failed["files"][0]["message"]
    assert "--format" not in failed["files"][0]["message"]

    wrong = _upload(client, tenants.a.headers, junk, format="fax_machine")
    assert wrong.status_code == 422 and "unknown format" in wrong.json()["error"]["message"]
    assert client.post("/api/v1/imports", headers=tenants.a.headers).status_code == 422

    from tradewinds.auth import apikeys
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        ws = session.get(Workspace, tenants.a.workspace_id)
        viewer = apikeys.create_key(
            session=session, workspace=ws, role="viewer", name="v", actor="test"
        ).key
    headers = {"Authorization": f"Bearer {viewer}"}
    assert _upload(client, headers, junk).status_code == 403
    assert client.get("/api/v1/imports", headers=headers).status_code == 200


def test_server_start_finishes_an_import_a_stopped_worker_left_running(app_db, tenants):
    import io

    from fastapi.testclient import TestClient

    from tradewinds.app import create_app
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.ingest import history
    from tradewinds.jobs.queue import RUNNING
    from tradewinds.jobs.worker import make_queue

    with session_scope() as session:
        ws = session.get(Workspace, tenants.a.workspace_id)
        job = history.create_import(
            session=session,
            workspace=ws,
            actor="owner@test",
            uploads=[history.Upload("a.csv", io.BytesIO(b"x\n"))],
        )
        job.status, job.runner = "running", "gone-host:999999999"
        job_id = job.id
    left = make_queue()  # what a worker killed while importing leaves on the queue
    left.huey.put(
        RUNNING + "killed-task",
        {
            "name": "ingest.import",
            "worker": "gone-host:999999999",
            "kwargs": {"job_id": job_id, "workspace_key": tenants.a.workspace_key},
        },
    )
    left.huey.storage.close()
    with TestClient(create_app(), base_url="https://testserver") as fresh:
        body = wait_done(fresh, tenants.a.headers, job_id)
    assert body["status"] == "failed" and body["message"] == "no file could be imported"
    assert "matches no supported format" in body["files"][0]["message"]


RETAIL = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "536365,85123A,MUG,6,2010-12-01 08:26:00,2.55,17850.0,France\n"
    "536365,71053,LANTERN,12345678901234567890,2010-12-01 08:26:00,3.39,17850.0,France\n"
    "536366,22633,HAND,-6,2010-12-01 08:28:00,2.50,17850.0,France\n"
    "536367,22633,HAND,6,2099-12-01 08:28:00,2.50,17850.0,France\n"
    + "".join(f"5400{i:02d},85123A,MUG,6,2010-12-02 08:26:00,2.55,,France\n" for i in range(30))
)


def test_upload_options_warnings_and_held_back_lines(client, tenants, tmp_path):
    path = tmp_path / "retail.csv"
    path.write_text(RETAIL)
    files = [("files", (path.name, path.read_bytes(), "text/csv"))]
    held = wait_done(
        client,
        tenants.a.headers,
        client.post("/api/v1/imports", headers=tenants.a.headers, files=files).json()["id"],
    )
    [file] = held["files"]
    assert (file["status"], file["imported"], file["rejected"]) == ("done", 32, 2)
    assert "order 536365: 1 good line held back because line 3 is bad" in file["notes"]
    assert any("partial_orders in the API" in n for n in file["notes"])

    partial = client.post(
        "/api/v1/imports",
        headers=tenants.a.headers,
        files=files,
        data={"partial_orders": "true", "date_order": ""},
    )
    assert partial.status_code == 202, partial.text
    done = wait_done(client, tenants.a.headers, partial.json()["id"])
    [file] = done["files"]
    # the rows stored by the first upload are duplicates; the held-back line is new
    assert (file["status"], file["imported"], file["duplicates"], file["rejected"]) == (
        "done",
        1,
        32,
        1,
    )
    [error] = file["errors"]
    assert error["message"] == (
        "Row 3, column “Quantity”: quantity 12345678901234567890 is too large (at most 9 digits)"
    )
    assert [w["row"] for w in file["warnings"]] == [4, 5]
    assert file["warnings_total"] == done["warnings_total"] == 2
    assert file["warnings"][0]["message"] == (
        "Row 4, column “quantity”: quantity -6 is negative but order 536366 is not marked as "
        "a return; imported as it is"
    )
    assert "order 536365: 1 good line imported without the bad line 3" in file["notes"]

    for field, value in (("partial_orders", "maybe"), ("date_order", "dym")):
        wrong = client.post(
            "/api/v1/imports", headers=tenants.a.headers, files=files, data={field: value}
        )
        assert wrong.status_code == 422 and field in str(wrong.json()["error"]["details"])


def test_refused_uploads_leave_no_file(client, tenants, tw_home, tmp_path, monkeypatch):
    monkeypatch.setenv("TRADEWINDS_MAX_UPLOAD_BYTES", "4096")
    monkeypatch.setenv("TRADEWINDS_MAX_UPLOAD_FILES", "2")
    big = [("files", ("big.csv", b"Day,Cost\n" + b"2025-05-01,1.00\n" * 400, "text/csv"))]
    answer = client.post("/api/v1/imports", headers=tenants.a.headers, files=big)
    assert answer.status_code == 413
    assert "4 KiB one upload may hold" in answer.json()["error"]["message"]
    three = [("files", (f"{i}.csv", b"Day,Cost\n", "text/csv")) for i in range(3)]
    crowded = client.post("/api/v1/imports", headers=tenants.a.headers, files=three)
    assert crowded.status_code == 422
    assert crowded.json()["error"]["message"].startswith("at most 2 files in one upload")
    assert [p for p in (tw_home / "imports").rglob("*") if p.is_file()] == []
    assert client.get("/api/v1/imports", headers=tenants.a.headers).json()["imports"] == []
    upload_doc = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/imports"]["post"]
    schema = upload_doc["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert set(schema["properties"]) == {"files", "format", "date_order", "partial_orders"}
    assert {"413", "422"} <= set(upload_doc["responses"])
