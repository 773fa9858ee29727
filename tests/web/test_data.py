"""The Data page: empty state, upload form, history, import detail, SQL console by role."""

from __future__ import annotations

from sqlalchemy import select

from ..api.test_imports import BAD_ROW, google_ads_report, wait_done
from .browser import csrf_from, login, post_form


def test_upload_from_the_page_and_read_the_errors(client, tenants, shared_data, tmp_path):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/data")
    assert page.status_code == 200
    assert 'data-testid="empty"' in page.text and "/data/guide" in page.text
    assert '<option value="">Detect automatically</option>' in page.text
    assert '<option value="google_ads"' in page.text
    assert '<option value="shopify_orders"' in page.text

    report = google_ads_report(shared_data, tmp_path / "Campaign report.csv")
    missing = client.post(
        "/data/imports",
        data={"csrf_token": csrf_from(page.text)},
        files=[("files", ("", b"", "application/octet-stream"))],
    )
    assert missing.status_code == 422 and "choose at least one file" in missing.text
    forged = client.post(
        "/data/imports",
        data={"csrf_token": "nope"},
        files=[("files", (report.name, report.read_bytes(), "text/csv"))],
    )
    assert forged.status_code == 403

    sent = client.post(
        "/data/imports",
        data={"csrf_token": csrf_from(page.text), "format": ""},
        files=[("files", (report.name, report.read_bytes(), "text/csv"))],
        follow_redirects=False,
    )
    assert sent.status_code == 303
    import_id = int(sent.headers["location"].split("started=")[1])
    assert wait_done(client, {}, import_id)["status"] == "done"  # the session cookie is enough

    history = client.get("/data")
    assert f'href="/data/imports/{import_id}"' in history.text
    assert "Done, with problems" in history.text and 'data-testid="empty"' not in history.text
    detail = client.get(f"/data/imports/{import_id}")
    assert detail.status_code == 200
    assert f"Row {BAD_ROW + 3}, column “Day”: the date 2025-02-31 does not exist" in detail.text
    assert "Google Ads report" in detail.text

    outsider = _other_owner_sees(client, tenants, import_id)
    assert outsider == 404


def _other_owner_sees(client, tenants, import_id: int) -> int:
    client.cookies.clear()
    login(client, tenants.b.owner_email, tenants.b.owner_password)
    return client.get(f"/data/imports/{import_id}").status_code


def test_sql_console_for_analysts_refuses_writes(client, tenants):
    from tradewinds.auth import users
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        ws = session.get(Workspace, tenants.a.workspace_id)
        users.create_user(
            session=session,
            email="analyst@alpha.example",
            password="analyst-password-123",
            workspace=ws,
            role="analyst",
            actor="test",
        )
        users.create_user(
            session=session,
            email="marketer@alpha.example",
            password="marketer-password-123",
            workspace=ws,
            role="marketer",
            actor="test",
        )
    login(client, "analyst@alpha.example", "analyst-password-123")
    page = client.get("/data/sql")
    assert page.status_code == 200 and "ad_spend_daily" in page.text and "customers" in page.text
    data = client.get("/data")
    assert 'href="/data/sql"' in data.text and 'action="/data/imports"' not in data.text

    refused = post_form(client, "/data/sql", "/data/sql", {"sql": "DROP TABLE orders"})
    assert refused.status_code == 422
    assert 'data-testid="sql-error"' in refused.text and "DROP is not allowed" in refused.text
    ok = post_form(
        client,
        "/data/sql",
        "/data/sql",
        {"sql": "SELECT 1 AS one, 'x' AS two UNION ALL SELECT 2, 'y'"},
    )
    assert ok.status_code == 200 and "2 rows" in ok.text
    assert '<td class="num">2</td>' in ok.text

    from tradewinds.db.models.audit import AuditEntry

    with session_scope() as session:
        actors = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "sql.run")
        ).all()
    assert actors == ["analyst@alpha.example"] * 2

    client.cookies.clear()
    login(client, "marketer@alpha.example", "marketer-password-123")
    assert client.get("/data/sql").status_code == 403
    assert 'href="/data/sql"' not in client.get("/data").text


def test_guide_lists_every_format(client, tenants):
    from tradewinds.ingest.files.registry import format_names

    login(client, tenants.a.owner_email, tenants.a.owner_password)
    guide = client.get("/data/guide")
    assert guide.status_code == 200
    assert all(f"<code>{name}</code>" in guide.text for name in format_names())


def test_upload_form_options_and_a_refused_upload(client, tenants, tw_home, monkeypatch):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/data")
    assert 'name="date_order"' in page.text and 'name="partial_orders"' in page.text
    assert "up to 20 files and 1 GiB at once" in page.text
    monkeypatch.setenv("TRADEWINDS_MAX_UPLOAD_BYTES", "4096")
    big = ("big.csv", b"Day,Cost\n" + b"2025-05-01,1.00\n" * 400, "text/csv")
    refused = client.post(
        "/data/imports", data={"csrf_token": csrf_from(page.text)}, files=[("files", big)]
    )
    assert refused.status_code == 413
    assert "this upload is larger than the 4 KiB one upload may hold" in refused.text
    forged = client.post(
        "/data/imports",
        data={"csrf_token": "nope"},
        files=[("files", ("small.csv", b"Day,Cost\n", "text/csv"))],
    )
    assert forged.status_code == 403
    assert [p for p in (tw_home / "imports").rglob("*") if p.is_file()] == []


def test_import_page_lists_warnings_and_held_back_lines(client, tenants, tmp_path):
    from ..api.test_imports import RETAIL

    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/data")
    sent = client.post(
        "/data/imports",
        data={"csrf_token": csrf_from(page.text)},
        files=[("files", ("retail.csv", RETAIL.encode(), "text/csv"))],
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    import_id = int(sent.headers["location"].split("started=")[1])
    assert wait_done(client, {}, import_id)["status"] == "done"
    detail = client.get(f"/data/imports/{import_id}").text
    assert 'data-testid="row-warnings"' in detail and "Rows imported with a warning" in detail
    assert (
        "Row 4, column “quantity”: quantity -6 is negative but order 536366 is not "
        "marked as a return; imported as it is"
    ) in detail
    assert "order 536365: 1 good line held back because line 3 is bad" in detail
    assert "Import the good lines of orders with a bad line" in detail  # the hint, in words
    assert "--partial-orders" not in detail
