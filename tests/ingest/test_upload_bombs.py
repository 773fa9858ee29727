"""Acceptance: decompression bombs and oversized uploads sent to a real server process.

A 2 MB zip holding 2 GiB and a 2 MB gzip of 2 GiB of newlines are refused with a message
naming the file and the limit; so are a request past the upload limit (while it streams,
before the rest is read) and one with too many files. Nothing is imported, no file is
left in the data directory or the server's temporary directory, and the server's peak
memory (``VmHWM``) stays under 1 GB.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.ingest.bombs import MIB, gzip_bomb, zip_bomb

UPLOAD_LIMIT = 6 * MIB  # small, so that the oversized upload test sends little
PEAK_LIMIT_KB = 1024 * 1024  # 1 GB


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {"zip": zip_bomb(folder / "big.zip"), "gzip": gzip_bomb(folder / "big.csv.gz")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]
    temp: Path

    def peak_kb(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise AssertionError("no VmHWM in /proc status")


@pytest.fixture
def server(tenants, tmp_path: Path) -> Iterator[Server]:
    temp = tmp_path / "server-tmp"
    temp.mkdir()
    env = {
        **os.environ,
        "TMPDIR": str(temp),
        "TRADEWINDS_MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT),
        "TRADEWINDS_DRAIN_SECONDS": "0",
        "TRADEWINDS_SYNC_MINUTES": "0",
    }
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tradewinds.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise RuntimeError(f"server did not start: {out[-2000:]}")
        time.sleep(0.2)
    try:
        yield Server(url, proc, temp)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the app DB is not under test
def test_bombs_and_oversized_uploads_are_refused_with_bounded_memory(
    server: Server, tenants, tw_home: Path, bombs: dict[str, Path], tmp_path: Path
) -> None:
    headers = tenants.a.headers
    api = f"{server.url}/api/v1/imports"
    with httpx.Client(timeout=120) as client:
        for kind, path in bombs.items():
            with path.open("rb") as fh:
                answer = client.post(
                    api,
                    headers=headers,
                    files=[("files", (path.name, fh, "application/octet-stream"))],
                )
            assert answer.status_code == 413, (kind, answer.text)
            message = answer.json()["error"]["message"]
            assert message.startswith(path.name), message
            assert "1 GiB" in message or "100 times" in message, message

        # past the upload limit while streaming (no Content-Length: the server counts)
        def body() -> Iterator[bytes]:
            boundary = b"--bound\r\n"
            yield boundary + (
                b'Content-Disposition: form-data; name="files"; '
                b'filename="huge.csv"\r\nContent-Type: text/csv\r\n\r\n'
            )
            yield b"Day,Cost\n"
            for _ in range(UPLOAD_LIMIT // MIB + 4):
                yield b"2025-05-01,1.00\n" * (MIB // 16)
            yield b"\r\n--bound--\r\n"

        streamed = client.post(
            api,
            headers={**headers, "Content-Type": "multipart/form-data; boundary=bound"},
            content=body(),
        )
        assert streamed.status_code == 413, streamed.text
        message = streamed.json()["error"]["message"]
        assert message.startswith("huge.csv goes past the 6 MiB one upload may hold"), message

        # past the upload limit by its declared length: refused before the body is read
        big = tmp_path / "big.csv"
        with big.open("wb") as out:
            out.write(b"Day,Cost\n" + b"2025-05-01,1.00\n" * (UPLOAD_LIMIT // 16 + MIB))
        with big.open("rb") as fh:
            declared = client.post(api, headers=headers, files=[("files", ("big.csv", fh))])
        assert declared.status_code == 413
        assert "larger than the 6 MiB one upload may hold" in declared.json()["error"]["message"]

        many = [("files", (f"part{i}.csv", b"Day,Cost\n", "text/csv")) for i in range(21)]
        crowded = client.post(api, headers=headers, files=many)
        assert crowded.status_code == 422
        assert crowded.json()["error"]["message"].startswith("at most 20 files in one upload")

        assert client.get(api, headers=headers).json()["imports"] == []
    assert _files_under(tw_home / "imports") == []
    assert _files_under(server.temp) == []
    peak = server.peak_kb()
    assert peak < PEAK_LIMIT_KB, f"server peak memory {peak / 1024:.0f} MB"
