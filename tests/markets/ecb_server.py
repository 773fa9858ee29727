"""A local HTTP server that answers like the ECB's rate files (recorded payloads)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).parent / "data"


class EcbReplay:
    """``with EcbReplay() as ecb:`` serves ``ecb.url(name)`` from ``tests/markets/data``;
    ``ecb.status`` (default 200) and ``ecb.body`` (default: the file) change the answer."""

    def __init__(self) -> None:
        self.status = 200
        self.body: bytes | None = None
        self.requests: list[str] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                replay.requests.append(self.path)
                path = DATA / self.path.lstrip("/")
                body = replay.body
                if body is None:
                    body = path.read_bytes() if path.is_file() else b"not found"
                status = replay.status if path.is_file() or replay.body else 404
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/{name}"

    def __enter__(self) -> EcbReplay:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
