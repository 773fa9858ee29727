"""JsonHttp against a local server: back-off, the server's hint, giving up."""

from __future__ import annotations

import socket

import pytest

from tests.ingest.connectors.replay_server import ReplayServer, Reply
from tradewinds.ingest.connectors.http import ConnectorError, JsonHttp


def test_server_errors_back_off_exponentially_until_an_answer() -> None:
    sleeps: list[float] = []
    with ReplayServer() as server:
        server.add("/x", Reply({}, 503), Reply({}, 502), Reply({}, 500), Reply({"ok": 1}))
        http = JsonHttp(sleep=sleeps.append, base_delay=1.0)
        body, _ = http.get(f"{server.base}/x")
    assert body == {"ok": 1}
    assert sleeps == [1.0, 2.0, 4.0]
    assert (http.requests, http.waited) == (4, 7.0)


def test_retry_after_is_honoured_and_capped() -> None:
    sleeps: list[float] = []
    with ReplayServer() as server:
        server.add(
            "/x",
            Reply({}, 429, {"Retry-After": "3"}),
            Reply({}, 429, {"Retry-After": "900"}),
            Reply({"ok": 1}),
        )
        JsonHttp(sleep=sleeps.append, max_delay=60.0).get(f"{server.base}/x")
    assert sleeps == [3.0, 60.0]


def test_gives_up_after_max_retries_with_the_last_answer() -> None:
    sleeps: list[float] = []
    with ReplayServer() as server:
        server.add("/x", *[Reply({"error": "busy"}, 503)] * 4)
        http = JsonHttp(sleep=sleeps.append, max_retries=2, base_delay=0.5)
        with pytest.raises(ConnectorError) as info:
            http.get(f"{server.base}/x")
    assert info.value.status == 503 and info.value.body == {"error": "busy"}
    assert sleeps == [0.5, 1.0] and http.requests == 3


def test_a_refusal_is_not_retried() -> None:
    sleeps: list[float] = []
    with ReplayServer() as server:
        server.add("/x", Reply({"error": "bad token"}, 401))
        with pytest.raises(ConnectorError) as info:
            JsonHttp(sleep=sleeps.append).get(f"{server.base}/x")
    assert info.value.status == 401 and sleeps == []


def test_an_unreachable_server_is_retried_then_named() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps: list[float] = []
    http = JsonHttp(sleep=sleeps.append, max_retries=1, timeout=5.0)
    with pytest.raises(ConnectorError, match=f"GET http://127.0.0.1:{port}/x failed"):
        http.get(f"http://127.0.0.1:{port}/x")
    assert sleeps == [1.0] and http.requests == 2
