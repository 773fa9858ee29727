"""Every request body is limited while it streams; the upload routes have their own limit."""

from __future__ import annotations

import pytest

from .test_imports import wait_done


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the app DB is not under test
def test_bodies_past_the_request_limit_are_refused(client, tenants, tw_home, monkeypatch):
    monkeypatch.setenv("TRADEWINDS_MAX_REQUEST_BYTES", "2048")
    big_json = client.post(
        "/api/v1/sql", headers=tenants.a.headers, json={"sql": "SELECT 1 -- " + "x" * 4000}
    )
    assert big_json.status_code == 413
    assert big_json.json()["error"]["message"].startswith(
        "the request is larger than the 2 KiB a request may carry here"
    )

    def chunks():
        yield b"email=a%40b.example&password="
        for _ in range(10):
            yield b"x" * 1024

    streamed = client.post(
        "/login", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert streamed.status_code == 413

    form_with_file = client.post(
        "/login",
        data={"email": "a@b.example"},
        files=[("avatar", ("a.bin", b"x" * 8192, "image/png"))],
    )
    assert form_with_file.status_code == 413

    small = client.post("/api/v1/sql", headers=tenants.a.headers, json={"sql": "SELECT 1"})
    assert small.status_code != 413
    upload = client.post(
        "/api/v1/imports",
        headers=tenants.a.headers,
        files=[("files", ("a.csv", b"Day,Cost\n" + b"2025-05-01,1\n" * 400))],
    )
    assert upload.status_code == 202  # the upload routes have their own, larger limit
    wait_done(client, tenants.a.headers, upload.json()["id"])
