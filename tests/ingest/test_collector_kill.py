"""Acceptance: 200,000 events replayed while the collector is killed with SIGKILL several
times; every acknowledged event ends up stored exactly once."""

from __future__ import annotations

import asyncio
import base64
import collections
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tradewinds.ingest.eventlog import open_log

TOTAL_EVENTS = 200_000
SINGLE_EVENTS = 4_000
BATCH_SIZE = 98
KILLS_AT = (0.15, 0.35, 0.55, 0.75)  # share of units acknowledged when the server is killed
WRITE_KEY = "kill-test-key"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        env = dict(os.environ)
        env["TRADEWINDS_COLLECTOR_KEYS"] = json.dumps({WRITE_KEY: "shop"})
        env["TRADEWINDS_COLLECTOR_ROOT"] = str(self.root)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "tradewinds.ingest.collector:app_from_env",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env=env,
        )

    async def wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                try:
                    await client.post(f"http://127.0.0.1:{self.port}/v1/track", timeout=1)
                    return
                except httpx.HTTPError:
                    await asyncio.sleep(0.05)
        raise RuntimeError("collector did not come up")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.kills += 1


def _units() -> list[tuple[str, bytes, list[str]]]:
    """(path, body, message ids): single /v1/track requests, then /v1/batch requests."""
    units = []
    for i in range(SINGLE_EVENTS):
        mid = f"s-{i}"
        body = {
            "userId": f"u{i % 97}",
            "event": "Product Viewed",
            "messageId": mid,
            "properties": {"product_id": f"p{i % 13}"},
        }
        units.append(("/v1/track", json.dumps(body).encode(), [mid]))
    n = SINGLE_EVENTS
    b = 0
    while n < TOTAL_EVENTS:
        size = min(BATCH_SIZE, TOTAL_EVENTS - n)
        ids = [f"b-{b}-{j}" for j in range(size)]
        batch = [
            {"type": "track", "anonymousId": f"a{j}", "event": "Product Added", "messageId": mid}
            for j, mid in enumerate(ids)
        ]
        units.append(("/v1/batch", json.dumps({"batch": batch}).encode(), ids))
        n += size
        b += 1
    # interleave singles among batches so kills hit both kinds of request
    singles, batches = units[:SINGLE_EVENTS], units[SINGLE_EVENTS:]
    step = max(1, len(singles) // max(1, len(batches)))
    mixed: list[tuple[str, bytes, list[str]]] = []
    for k, unit in enumerate(batches):
        mixed.extend(singles[k * step : (k + 1) * step])
        mixed.append(unit)
    mixed.extend(singles[len(batches) * step :])
    return mixed


class Connection:
    """A bare keep-alive HTTP/1.1 connection (much lighter than a full client library)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        auth = base64.b64encode(f"{WRITE_KEY}:".encode()).decode()
        self.head = f"Host: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n"

    async def post(self, path: str, body: bytes) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        try:
            writer.write(
                f"POST {path} HTTP/1.1\r\n{self.head}Content-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            return int(head[9:12])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def _replay(server: Server) -> tuple[set[str], int]:
    units = _units()
    queue: asyncio.Queue[tuple[str, bytes, list[str]]] = asyncio.Queue()
    for unit in units:
        queue.put_nowait(unit)
    acked: set[str] = set()
    done_units = 0
    failures = 0
    thresholds = [int(share * len(units)) for share in KILLS_AT]
    usable = asyncio.Event()
    usable.set()

    async def killer() -> None:
        for threshold in thresholds:
            while done_units < threshold:
                await asyncio.sleep(0.01)
            usable.clear()
            server.kill()
            server.start()
            await server.wait_ready()
            usable.set()

    async def worker() -> None:
        nonlocal done_units, failures
        conn = Connection(server.port)
        while True:
            try:
                path, body, ids = queue.get_nowait()
            except asyncio.QueueEmpty:
                conn.close()
                return
            while True:
                await usable.wait()
                try:
                    status = await conn.post(path, body)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    failures += 1
                    await asyncio.sleep(0.02)
                    continue
                if status == 200:
                    acked.update(ids)
                    done_units += 1
                    break
                assert status >= 500, status
                failures += 1
                await asyncio.sleep(0.02)

    kill_task = asyncio.create_task(killer())
    await asyncio.gather(*(worker() for _ in range(16)))
    await kill_task
    return acked, failures


@pytest.mark.slow
def test_every_acknowledged_event_is_stored_exactly_once_across_sigkills(tmp_path):
    server = Server(tmp_path, _free_port())
    server.start()
    try:
        asyncio.run(server.wait_ready())
        acked, failures = asyncio.run(_replay(server))
    finally:
        if server.proc and server.proc.poll() is None:
            server.kill()
    assert server.kills == len(KILLS_AT) + 1
    assert len(acked) == TOTAL_EVENTS
    log = open_log(tmp_path, "shop")
    try:
        stored = collections.Counter(log.message_ids())
    finally:
        log.close()
    missing = acked - stored.keys()
    assert not missing, f"{len(missing)} acknowledged events lost, e.g. {sorted(missing)[:5]}"
    repeated = [mid for mid, n in stored.items() if n != 1]
    assert not repeated, f"stored more than once: {repeated[:5]}"
    assert set(stored) == acked
