"""Uploads that cannot be imported say why in plain words; a header-only file is "no rows"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.test_imports import wait_done

INTERNALS = ("C error", "tokenizing", "ArrowInvalid", "Traceback", "pandas", "fields in line")


def _upload(client, headers, path: Path, *, format: str | None = None, name: str | None = None):
    files = [("files", (name or path.name, path.read_bytes(), "text/csv"))]
    data = {"format": format} if format else {}
    answer = client.post("/api/v1/imports", headers=headers, files=files, data=data)
    assert answer.status_code == 202, answer.text
    return wait_done(client, headers, answer.json()["id"])


@pytest.mark.parametrize(
    ("source", "forced", "line", "looks_like"),
    [
        (
            "ad_exports/google_ads_landing_page_report.csv",
            "shopify_orders",
            3,
            "a Google Ads report",
        ),
        (
            "ad_exports/google_ads_advanced_bid_adjustment_report.csv",
            "online_retail",
            3,
            "a Google Ads report",
        ),
        (
            "export_headers/shopify_orders_export_header.csv",
            "google_ads",
            1,
            "a Shopify orders export",
        ),
    ],
)
def test_a_forced_wrong_format_fails_in_plain_words(
    client, tenants, shared_data: Path, source: str, forced: str, line: int, looks_like: str
) -> None:
    path = shared_data / source
    done = _upload(client, tenants.a.headers, path, format=forced)
    [file] = done["files"]
    assert (done["outcome"], file["status"]) == ("failed", "failed")
    assert file["message"].startswith(f"{path.name}, line {line}: ")
    assert f"it looks like {looks_like}" in file["message"]
    assert not any(word in file["message"] for word in INTERNALS), file["message"]


def test_binary_and_empty_uploads_say_what_they_are(client, tenants, tmp_path: Path) -> None:
    binary = tmp_path / "orders.csv"
    binary.write_bytes(bytes(range(256)) * 20)
    empty = tmp_path / "spend.csv"
    empty.write_bytes(b"")
    for path, words in ((binary, "binary data"), (empty, "is empty")):
        [file] = _upload(client, tenants.a.headers, path)["files"]
        assert file["status"] == "failed" and file["message"].startswith(path.name)
        assert words in file["message"]
        assert not any(word in file["message"] for word in INTERNALS), file["message"]


def test_a_header_only_upload_is_no_rows(client, tenants, shared_data: Path) -> None:
    path = shared_data / "export_headers" / "shopify_orders_export_header.csv"
    done = _upload(client, tenants.a.headers, path)
    [file] = done["files"]
    assert (done["status"], done["outcome"], file["status"]) == ("done", "no_rows", "no_rows")
    assert (file["format"], file["read"], file["imported"]) == ("shopify_orders", 0, 0)
    assert any("no rows" in note for note in file["notes"])
