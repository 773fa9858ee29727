"""Compressed bodies on the collector: gzip and deflate, bounded after decompression, and
the real Segment Python library with ``gzip=True`` against a real HTTP server."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import zlib
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient

from tradewinds.ingest.collector import HARD_BODY_LIMIT, standalone_app

from .test_collector import failures, stored_ids

KEYS = {"wk-shop": "shop"}
AUTH = ("wk-shop", "")


@pytest.fixture(params=["asgi", "router"])
def collector(request, tmp_path):
    app = standalone_app(resolver=KEYS.get, root=tmp_path, router=request.param == "router")
    with TestClient(app) as client:
        yield client, tmp_path


def _batch(*ids: str) -> bytes:
    events = [{"type": "track", "userId": "u1", "event": "Viewed", "messageId": i} for i in ids]
    return json.dumps({"batch": events}).encode()


def _post(client, body: bytes, encoding: str | None, path: str = "/v1/batch"):
    headers = {"content-type": "application/json"}
    if encoding:
        headers["content-encoding"] = encoding
    return client.post(path, content=body, headers=headers, auth=AUTH)


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("GZIP", gzip.compress),
        ("deflate", zlib.compress),  # RFC 1950, as most clients send "deflate"
        ("deflate", lambda b: zlib.compress(b, wbits=-15)),  # raw deflate, as some do
        ("identity", lambda b: b),
    ],
)
def test_compressed_batches_are_stored(collector, encoding, compress):
    client, root = collector
    response = _post(client, compress(_batch("g-1", "g-2")), encoding)
    assert response.status_code == 200, response.text
    assert stored_ids(root) == ["g-1", "g-2"]


def test_gzip_single_event_endpoint(collector):
    client, root = collector
    body = json.dumps({"userId": "u1", "event": "Viewed", "messageId": "s-1"}).encode()
    response = _post(client, gzip.compress(body), "gzip", "/v1/track")
    assert response.status_code == 200, response.text
    assert stored_ids(root) == ["s-1"]


def test_a_gzip_bomb_is_refused_after_the_limit_and_recorded(collector):
    client, root = collector
    # 40 MB of spaces inside a JSON string: about 40 KB compressed
    bomb = gzip.compress(b'{"batch": [], "x": "' + b" " * (40 * 1024 * 1024) + b'"}')
    assert len(bomb) < 100_000
    response = _post(client, bomb, "gzip")
    assert response.status_code == 400
    assert "expands past" in response.json()["error"]
    assert stored_ids(root) == []
    [failure] = failures(root)
    assert "expands past" in failure.reason


def test_expanded_size_limit_is_the_batch_limit(collector):
    client, _ = collector
    ids = [f"m-{i}" for i in range(7000)]  # ~540 KB of JSON, over the 500 KB batch limit
    body = _batch(*ids)
    assert len(body) > 500 * 1024 and len(body) < HARD_BODY_LIMIT
    response = _post(client, gzip.compress(body), "gzip")
    assert response.status_code == 400
    assert "limit" in response.json()["error"]


def test_corrupt_or_cut_gzip_gets_a_clear_400(collector):
    client, root = collector
    good = gzip.compress(_batch("c-1"))
    cut = _post(client, good[: len(good) // 2], "gzip")
    assert cut.status_code == 400
    assert "cut short" in cut.json()["error"] or "not valid gzip" in cut.json()["error"]
    garbage = _post(client, b"this is not gzip at all", "gzip")
    assert garbage.status_code == 400
    assert "not valid gzip" in garbage.json()["error"]
    assert stored_ids(root) == []


def test_unsupported_encoding_is_415_and_needs_a_key(collector):
    client, _ = collector
    response = _post(client, b"\x00\x01", "br")
    assert response.status_code == 415
    assert "gzip" in response.json()["error"]
    anonymous = client.post("/v1/batch", content=b"\x00", headers={"content-encoding": "br"})
    assert anonymous.status_code == 401


# -- the real Segment client -------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_collector(tmp_path) -> Iterator[tuple[str, object]]:
    app = standalone_app(resolver=KEYS.get, root=tmp_path)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "collector did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", tmp_path
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.mark.parametrize("use_gzip", [True, False])
def test_segment_python_library_delivers_with_and_without_gzip(live_collector, use_gzip):
    from segment.analytics import Client

    host, root = live_collector
    errors: list[Exception] = []
    client = Client(
        write_key="wk-shop",
        host=host,
        gzip=use_gzip,
        max_retries=0,
        on_error=lambda error, _batch: errors.append(error),
    )
    client.identify("u-42", {"email": "a@example.com"}, message_id="seg-identify")
    client.track(
        "u-42", "Order Completed", {"order_id": "9", "total": 12.5}, message_id="seg-track"
    )
    client.page(
        "u-42",
        name="Home",
        properties={"url": "https://shop.example/?utm_source=x"},
        message_id="seg-page",
    )
    client.flush()
    client.shutdown()
    assert errors == []
    assert stored_ids(root) == ["seg-identify", "seg-page", "seg-track"]
