"""Collector throughput and latency, durably acknowledged, on loopback.

Starts the collector as a real server process (uvicorn, uvloop + httptools, one worker),
then drives it from this process with a raw-socket keep-alive client (bench/collector_loadgen):

1. single-event ``POST /v1/track`` requests, closed loop, as fast as the server answers;
2. the same at a fixed 1,500 requests/s (open loop, latency from the scheduled send time);
3. ``POST /v1/batch`` with 100 small events per request, closed loop.

Every 200 means the events were fsync'd; at the end the event log is opened and the number
of stored events is checked against the number acknowledged. Targets (issue 3): >= 2,000
single requests/s; p99 <= 50 ms at 1,500 req/s; >= 20,000 events/s through /v1/batch.

    .venv/bin/python bench/collector_throughput.py [--seconds 8] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent))

from collector_loadgen import Result, request_bytes, run_closed, run_open  # noqa: E402

from tradewinds.ingest.eventlog import open_log  # noqa: E402

WRITE_KEY = "bench-write-key"
WORKSPACE = "bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    root: Path, port: int, workers: int, *, router: bool = False
) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["TRADEWINDS_COLLECTOR_ROUTER"] = "1" if router else "0"
    env["TRADEWINDS_COLLECTOR_KEYS"] = json.dumps({WRITE_KEY: WORKSPACE})
    env["TRADEWINDS_COLLECTOR_ROOT"] = str(root)
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "tradewinds.ingest.collector:app_from_env",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            httpx.post(f"http://127.0.0.1:{port}/v1/track", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("collector did not start")


def single(prefix: str, host: str) -> object:
    def make(n: int) -> tuple[bytes, int]:
        body = (
            b'{"userId":"user-%d","event":"Product Viewed","messageId":"%s-%d",'
            b'"properties":{"product_id":"sku-%d","price":19.99,"currency":"EUR"},'
            b'"context":{"page":{"url":"https://shop.example/p?utm_source=google&gclid=x%d"}}}'
            % (n % 5000, prefix.encode(), n, n % 300, n)
        )
        return request_bytes("/v1/track", body, write_key=WRITE_KEY, host=host), 1

    return make


def batch(prefix: str, host: str, size: int) -> object:
    def make(n: int) -> tuple[bytes, int]:
        events = b",".join(
            b'{"type":"track","userId":"user-%d","event":"Product Added","messageId":"%s-%d-%d",'
            b'"properties":{"product_id":"sku-%d","price":19.99,"quantity":1}}'
            % (i, prefix.encode(), n, i, i % 300)
            for i in range(size)
        )
        body = b'{"batch":[' + events + b'],"context":{"library":{"name":"bench"}}}'
        return request_bytes("/v1/batch", body, write_key=WRITE_KEY, host=host), size

    return make


def report(name: str, r: Result, *, unit: str = "requests") -> None:
    rate = r.ok / r.elapsed if r.elapsed else 0.0
    print(
        f"{name}: {r.ok} ok / {r.sent} sent in {r.elapsed:.2f}s -> {rate:,.0f} {unit}/s; "
        f"latency p50 {r.percentile(50) * 1000:.1f} ms, p99 {r.percentile(99) * 1000:.1f} ms, "
        f"max {max(r.latencies, default=0) * 1000:.1f} ms; statuses {r.statuses}"
    )


def fsync_latency(folder: Path, seconds: float = 1.0) -> tuple[float, float]:
    """p50 and p99 of a 4 KB write + fsync on the disk the event logs use (milliseconds)."""
    path = folder / "fsync-probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    times = []
    try:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            os.write(fd, b"x" * 4096)
            start = time.perf_counter()
            os.fsync(fd)
            times.append(time.perf_counter() - start)
            time.sleep(0.002)
    finally:
        os.close(fd)
        path.unlink()
    times.sort()
    return times[len(times) // 2] * 1000, times[int(len(times) * 0.99)] * 1000


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), to show the server's own cost."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(
    args: argparse.Namespace, port: int, server_pid: int
) -> tuple[dict[str, Result], dict[str, float]]:
    host = f"127.0.0.1:{port}"
    results: dict[str, Result] = {}
    cpu: dict[str, float] = {}
    # warm-up: opens the workspace log and warms the code paths
    await run_closed(
        "127.0.0.1", port, single("warm", host), connections=8, duration=1.0, max_requests=2000
    )
    phases = [
        (
            "single",
            lambda: run_closed(
                "127.0.0.1",
                port,
                single("s", host),
                connections=args.connections,
                duration=args.seconds,
                max_requests=200_000,
            ),
        ),
        (
            "fixed",
            lambda: run_open(
                "127.0.0.1",
                port,
                single("f", host),
                rate=args.rate,
                duration=args.seconds,
                connections=args.connections * 2,
            ),
        ),
        (
            "batch",
            lambda: run_closed(
                "127.0.0.1",
                port,
                batch("b", host, args.batch_size),
                connections=args.connections,
                duration=args.seconds,
                max_requests=20_000,
            ),
        ),
    ]
    for name, phase in phases:
        before = cpu_seconds(server_pid)
        results[name] = await phase()
        cpu[name] = cpu_seconds(server_pid) - before
    return results, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="duration of each phase")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rate", type=float, default=1500.0)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--router",
        action="store_true",
        help="serve through the FastAPI router instead of the bare ASGI app",
    )
    args = parser.parse_args()

    print(
        f"machine: {os.cpu_count()} cores; server: uvicorn {args.workers} worker(s), "
        f"uvloop + httptools, {'FastAPI router' if args.router else 'bare ASGI app'}; "
        "client: raw asyncio keep-alive sockets on uvloop, "
        f"{args.connections} connections, same machine (loopback)"
    )
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tw-collector-bench-") as tmp:
        root = Path(tmp)
        fsync_p50, fsync_p99 = fsync_latency(root)
        port = free_port()
        server = start_server(root, port, args.workers, router=args.router)
        setup = time.perf_counter() - t0
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        try:
            load_before = os.getloadavg()[0]
            results, server_cpu = uvloop.run(run(args, port, server.pid))
            load_after = os.getloadavg()[0]
        finally:
            server.terminate()
            server.wait(timeout=30)
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        log = open_log(root, WORKSPACE)
        stored = {p: 0 for p in ("s", "f", "b")}
        for mid in log.message_ids():
            prefix = mid.split("-", 1)[0]
            if prefix in stored:
                stored[prefix] += 1
        log.close()

    print(
        f"client setup (server start + first answer): {setup:.2f}s; client CPU during runs: "
        f"{cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime:.1f}s"
    )
    print(
        f"machine load average (1 min) before/after: {load_before:.1f} / {load_after:.1f} "
        "(other work on the 2 cores competes with server and client); "
        f"disk fsync p50 {fsync_p50:.2f} ms, p99 {fsync_p99:.2f} ms"
    )
    for name, unit in (("single", "request"), ("fixed", "request"), ("batch", "event")):
        done = results[name].acked_events if name == "batch" else results[name].ok
        if done:
            per = server_cpu[name] / done * 1e6
            print(
                f"server CPU, {name} phase: {server_cpu[name]:.1f}s -> {per:,.0f} us per "
                f"{unit} -> one core could serve about {1e6 / per:,.0f} {unit}s/s"
            )
    report("single /v1/track, closed loop", results["single"])
    report(f"single /v1/track at fixed {args.rate:,.0f} req/s", results["fixed"])
    report(f"/v1/batch x{args.batch_size}, closed loop", results["batch"])
    b = results["batch"]
    events_rate = b.acked_events / b.elapsed if b.elapsed else 0
    print(f"/v1/batch events: {b.acked_events:,} acknowledged -> {events_rate:,.0f} events/s")
    checks = [
        ("single", "s", results["single"].acked_events),
        ("fixed", "f", results["fixed"].acked_events),
        ("batch", "b", b.acked_events),
    ]
    for name, prefix, acked in checks:
        print(
            f"durability check {name}: acknowledged {acked:,}, stored {stored[prefix]:,} "
            f"-> {'OK' if stored[prefix] >= acked else 'MISSING EVENTS'}"
        )
    single_rate = results["single"].ok / results["single"].elapsed
    p99 = results["fixed"].percentile(99) * 1000
    print(
        "targets: "
        f"single >= 2,000 req/s: {'met' if single_rate >= 2000 else 'NOT met'} "
        f"({single_rate:,.0f}); "
        f"p99 <= 50 ms at {args.rate:,.0f} req/s: {'met' if p99 <= 50 else 'NOT met'} "
        f"({p99:.1f} ms); "
        f"batch >= 20,000 events/s: {'met' if events_rate >= 20000 else 'NOT met'} "
        f"({events_rate:,.0f})"
    )
    durable = all(stored[prefix] >= acked for _, prefix, acked in checks)
    met = single_rate >= 2000 and p99 <= 50 and events_rate >= 20000
    return 0 if durable and met else 1


if __name__ == "__main__":
    raise SystemExit(main())
