"""The Data page shows a header-only import as "No rows", a warning, not "Done"."""

from __future__ import annotations

from pathlib import Path

from ..api.test_imports import wait_done
from .browser import csrf_from, login


def test_a_header_only_file_reads_no_rows(client, tenants, shared_data: Path) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/data")
    header = (shared_data / "export_headers" / "shopify_orders_export_header.csv").read_bytes()
    sent = client.post(
        "/data/imports",
        data={"csrf_token": csrf_from(page.text), "format": ""},
        files=[("files", ("orders_export.csv", header, "text/csv"))],
        follow_redirects=False,
    )
    import_id = int(sent.headers["location"].split("started=")[1])
    assert wait_done(client, {}, import_id)["outcome"] == "no_rows"
    history = client.get("/data").text
    assert 'class="import-status status-no_rows" data-status>No rows</span>' in history
    detail = client.get(f"/data/imports/{import_id}").text
    assert "status-no_rows" in detail and ">Done<" not in detail and "Failed" not in detail
    assert "has a header but no rows under it" in detail
