"""A small, fast HTTP/1.1 keep-alive load generator for the collector benchmarks.

Raw asyncio streams on uvloop: each connection sends one request, reads the response
(status line, ``Content-Length`` body) and records the latency. Two modes:

* closed loop (``run_closed``): ``connections`` workers send back to back for a duration,
  measuring the most a server sustains;
* open loop (``run_open``): requests are *scheduled* at a fixed rate and latency is
  measured from the scheduled time, so a slow server cannot hide queueing delay
  (no coordinated omission). Requests go to whichever connection is free.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    sent: int = 0
    ok: int = 0
    failed: int = 0
    latencies: list[float] = field(default_factory=list)
    acked_events: int = 0
    elapsed: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        data = sorted(self.latencies)
        k = min(len(data) - 1, max(0, round(p / 100 * (len(data) - 1))))
        return data[k]


def request_bytes(path: str, body: bytes, *, write_key: str, host: str) -> bytes:
    auth = base64.b64encode(f"{write_key}:".encode()).decode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic {auth}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, payload: bytes
) -> int:
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
            break
    if length:
        await reader.readexactly(length)
    return status


MakeRequest = Callable[[int], tuple[bytes, int]]
"""Request number -> (request bytes, number of events in it)."""


async def run_closed(
    host: str,
    port: int,
    make: MakeRequest,
    *,
    connections: int,
    duration: float,
    max_requests: int,
) -> Result:
    result = Result()
    counter = iter(range(max_requests))
    deadline = time.perf_counter() + duration

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < deadline:
                n = next(counter, None)
                if n is None:
                    return
                payload, events = make(n)
                start = time.perf_counter()
                result.sent += 1
                try:
                    status = await _exchange(reader, writer, payload)
                except (OSError, asyncio.IncompleteReadError):
                    result.failed += 1
                    return
                result.latencies.append(time.perf_counter() - start)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    result.ok += 1
                    result.acked_events += events
                else:
                    result.failed += 1
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    result.elapsed = time.perf_counter() - began
    return result


async def run_open(
    host: str,
    port: int,
    make: MakeRequest,
    *,
    rate: float,
    duration: float,
    connections: int,
) -> Result:
    result = Result()
    total = int(rate * duration)
    free: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(connections):
        free.put_nowait(await asyncio.open_connection(host, port))
    tasks: list[asyncio.Task[None]] = []

    async def send(n: int, scheduled: float) -> None:
        conn = await free.get()
        payload, events = make(n)
        result.sent += 1
        try:
            status = await _exchange(conn[0], conn[1], payload)
        except (OSError, asyncio.IncompleteReadError):
            result.failed += 1
            return
        free.put_nowait(conn)
        result.latencies.append(time.perf_counter() - scheduled)
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status == 200:
            result.ok += 1
            result.acked_events += events
        else:
            result.failed += 1

    began = time.perf_counter()
    interval = 1.0 / rate
    for n in range(total):
        scheduled = began + n * interval
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(n, scheduled)))
    await asyncio.gather(*tasks)
    result.elapsed = time.perf_counter() - began
    while not free.empty():
        free.get_nowait()[1].close()
    return result
