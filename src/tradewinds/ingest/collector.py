"""Segment-compatible HTTP collection endpoints: ``/v1/track``, ``identify``, ``page``,
``screen``, ``group``, ``alias`` and ``batch``.

Semantics follow Segment's HTTP Tracking API: the write key is the HTTP basic-auth user
(password empty; a ``writeKey`` field in the body is accepted too, as analytics.js sends
it), and a stored request is answered ``200 {"success": true}``. Differences, all
deliberate: an event is acknowledged only once it is fsync'd to the workspace's event log;
invalid events are answered ``400`` with one entry per rejected event
(``index``, ``messageId``, ``reason``) and kept in the failed-events table, while the valid
events of the same batch are stored.

The router is mounted by the application at ``/v1``; which workspace a write key belongs
to is decided by an injected resolver, so this module knows nothing of the app database.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import binascii
import gc
import inspect
import json
import logging
import os
import sys
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from cachetools import TTLCache
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from tradewinds.ingest.eventlog import EventLogs, Failure, default_root
from tradewinds.ingest.events import (
    MAX_BATCH_BYTES,
    MAX_EVENT_BYTES,
    Accepted,
    PayloadError,
    Rejected,
    now,
    parse_body,
    validate_batch,
    validate_single,
)

log = logging.getLogger("tradewinds.collector")

WriteKeyResolver = Callable[[str], "str | None | Awaitable[str | None]"]
"""Write key -> workspace key (any stable string), or None when the key is unknown."""

SINGLE_ENDPOINTS = ("track", "identify", "page", "screen", "group", "alias")

# Bodies beyond this are not read to the end: the request is refused and recorded.
HARD_BODY_LIMIT = 2 * MAX_BATCH_BYTES

# Segment's server libraries post batches to /v1/import as well.
ENDPOINTS = {name: name for name in (*SINGLE_ENDPOINTS, "batch")} | {"import": "batch"}

_OK = b'{"success":true}'
# Browsers (analytics.js) post from the shop's own origin.
_CORS = {
    "access-control-allow-origin": "*",
    "access-control-allow-headers": "authorization, content-type, content-encoding",
    "access-control-allow-methods": "POST, OPTIONS",
}
_CORS_RAW = [(k.encode(), v.encode()) for k, v in _CORS.items()]


Answer = tuple[int, bytes]
"""HTTP status and JSON body."""


def _json(status: int, payload: dict[str, Any]) -> Answer:
    return status, orjson.dumps(payload)


def _error(status: int, message: str) -> Answer:
    return _json(status, {"success": False, "error": message})


def write_key_from_header(authorization: str | None) -> str | None:
    """The basic-auth user of an ``Authorization`` header, which Segment uses as write key."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, _ = decoded.partition(":")
    return user or None


class _TooLarge(Exception):
    def __init__(self, head: bytes, size: int, *, expanded: bool = False) -> None:
        self.head = head
        self.size = size
        self.expanded = expanded


async def _read_body(content_length: str | None, chunks: AsyncIterator[bytes], limit: int) -> bytes:
    if content_length and content_length.isdigit() and int(content_length) > limit:
        raise _TooLarge(b"", int(content_length))
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise _TooLarge(b"".join(parts)[:65536], size)
        parts.append(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


class _BadEncoding(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message


# zlib's wbits: gzip framing, then zlib (RFC 1950) or raw deflate for ``deflate``, which
# clients send either way.
_WBITS = {"gzip": (31,), "x-gzip": (31,), "deflate": (15, -15)}


def decode_body(body: bytes, encoding: str | None, limit: int) -> bytes:
    """The body as sent before ``Content-Encoding`` (gzip or deflate), at most ``limit`` bytes.

    Decompresses in one bounded pass (``max_length``), so a small body that expands to
    gigabytes is refused after ``limit`` bytes instead of filling the memory.
    """
    name = (encoding or "").strip().lower()
    if name in ("", "identity"):
        return body
    if name not in _WBITS:
        raise _BadEncoding(
            415, f"Content-Encoding {encoding!r} is not supported: send gzip, deflate or none"
        )
    for wbits in _WBITS[name]:
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(body, limit + 1)
        except zlib.error:
            continue
        if len(out) > limit or inflater.unconsumed_tail:
            raise _TooLarge(out[:65536], len(out), expanded=True)
        if not inflater.eof:
            raise _BadEncoding(400, f"the {name} body is cut short (incomplete stream)")
        return out
    raise _BadEncoding(400, f"the body is not valid {name} data (Content-Encoding: {name})")


class WriteKeyCache:
    """Remembers resolver answers for a short while (known and unknown keys alike)."""

    def __init__(
        self,
        resolver: WriteKeyResolver,
        *,
        ttl: float = 30.0,
        size: int = 10_000,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._resolver = resolver
        # used from the event loop's one thread only: no lock
        self._entries: TTLCache[str, str | None] = TTLCache(size, ttl, timer=timer)

    async def workspace(self, write_key: str) -> str | None:
        try:
            return self._entries[write_key]
        except KeyError:
            pass
        answer = self._resolver(write_key)
        if inspect.isawaitable(answer):
            answer = await answer
        self._entries[write_key] = answer
        return answer


class Collector:
    """Reads, validates and durably stores posted events."""

    def __init__(self, *, resolver: WriteKeyResolver, logs: EventLogs) -> None:
        self.keys = WriteKeyCache(resolver)
        self.logs = logs

    async def collect(
        self,
        endpoint: str,
        *,
        authorization: str | None,
        content_length: str | None,
        chunks: AsyncIterator[bytes],
        content_encoding: str | None = None,
    ) -> Answer:
        """Handle one posted request; ``chunks`` yields the body. Returns status and body.

        A gzip or deflate body (``Content-Encoding``, as Segment's libraries send with
        ``gzip=True``) is decompressed first; the size limits apply to what it expands to.

        Anything unexpected (the app DB unreachable, the disk full…) is answered 503: the
        request was not acknowledged and the client should retry it.
        """
        try:
            return await self._collect(
                endpoint, authorization, content_length, chunks, content_encoding
            )
        except Exception as exc:  # noqa: BLE001 - never acknowledge what was not stored
            log.exception("collector could not handle a %s request", endpoint)
            return _error(503, f"events not stored, retry later ({type(exc).__name__})")

    async def _collect(
        self,
        endpoint: str,
        authorization: str | None,
        content_length: str | None,
        chunks: AsyncIterator[bytes],
        content_encoding: str | None = None,
    ) -> Answer:
        limit = MAX_BATCH_BYTES if endpoint == "batch" else MAX_EVENT_BYTES
        header_key = write_key_from_header(authorization)
        try:
            body = await _read_body(content_length, chunks, HARD_BODY_LIMIT)
            body = decode_body(body, content_encoding, HARD_BODY_LIMIT)
        except _TooLarge as big:
            return await self._refuse_large(header_key, endpoint, big, limit)
        except _BadEncoding as bad:
            if header_key is None or await self.keys.workspace(header_key) is None:
                return _error(401, "unknown or missing write key")
            return _error(bad.status, bad.message)
        data: dict[str, Any] | None = None
        problem: str | None = None
        try:
            data = parse_body(body, limit=limit)
        except PayloadError as exc:
            problem = str(exc)
        write_key = header_key
        if write_key is None and data is not None and isinstance(data.get("writeKey"), str):
            write_key = data["writeKey"] or None
        workspace = await self.keys.workspace(write_key) if write_key else None
        if workspace is None:
            message = "unknown write key" if write_key else "missing write key (basic-auth user)"
            return _error(401, message)
        writer = self.logs.writer(workspace)
        received_at = now()
        if data is None:
            failure = Failure(endpoint, problem or "unreadable body", body)
            await writer.append((), (failure,), received_at=received_at)
            return _error(400, problem or "unreadable body")
        if endpoint == "batch":
            try:
                accepted, rejected = validate_batch(
                    data, received_at=received_at, body_size=len(body)
                )
            except PayloadError as exc:
                failure = Failure(endpoint, str(exc), body)
                await writer.append((), (failure,), received_at=received_at)
                return _error(400, str(exc))
        else:
            one = validate_single(data, kind=endpoint, received_at=received_at, size=len(body))
            accepted, rejected = ([one], []) if isinstance(one, Accepted) else ([], [one])
        return await self._store(writer, endpoint, accepted, rejected, received_at)

    async def _store(
        self,
        writer: Any,
        endpoint: str,
        accepted: list[Accepted],
        rejected: list[Rejected],
        received_at: Any,
    ) -> Answer:
        failures = [Failure.from_rejected(r, endpoint=endpoint) for r in rejected]
        await writer.append(accepted, failures, received_at=received_at)
        if rejected:
            return _json(
                400,
                {
                    "success": False,
                    "error": f"{len(rejected)} event(s) rejected",
                    "accepted": len(accepted),
                    "rejected": [r.public() for r in rejected],
                },
            )
        return 200, _OK

    async def _refuse_large(
        self, write_key: str | None, endpoint: str, big: _TooLarge, limit: int
    ) -> Answer:
        if big.expanded:
            reason = f"the compressed payload expands past the {limit} byte limit"
        else:
            reason = f"payload is {big.size} bytes, over the {limit} byte limit"
        workspace = await self.keys.workspace(write_key) if write_key else None
        if workspace is None:
            return _error(401, "unknown or missing write key")
        failure = Failure(endpoint, reason + " (body not kept past the first 64 KB)", big.head)
        await self.logs.writer(workspace).append((), (failure,), received_at=now())
        return _error(400, reason)

    def close(self) -> None:
        self.logs.close()


async def _request_chunks(request: Request) -> AsyncIterator[bytes]:
    async for chunk in request.stream():
        if chunk:
            yield chunk


def collector_router(collector: Collector) -> APIRouter:
    """Routes ``/track`` … ``/batch`` as a FastAPI router, for ``include_router(prefix="/v1")``.

    :class:`CollectorApp` serves the same endpoints as a bare ASGI app and is faster
    (measured by bench/collector_throughput.py); this router is the documented alternative.
    """
    router = APIRouter(tags=["collector"])

    def endpoint_for(name: str) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            status, body = await collector.collect(
                name,
                authorization=request.headers.get("authorization"),
                content_length=request.headers.get("content-length"),
                chunks=_request_chunks(request),
                content_encoding=request.headers.get("content-encoding"),
            )
            return Response(body, status_code=status, media_type="application/json", headers=_CORS)

        endpoint.__name__ = f"collect_{name}"
        endpoint.__doc__ = f"Segment-compatible `{name}` call (write key as basic-auth user)."
        return endpoint

    for name in ENDPOINTS:
        router.add_api_route(f"/{name}", endpoint_for(ENDPOINTS[name]), methods=["POST"])
    return router


class CollectorApp:
    """The collector as a bare ASGI application, to mount at ``/v1``.

    ``app.mount("/v1", CollectorApp(collector))``. Skips framework routing and request
    objects: the per-request cost here is what limits single-event throughput.
    """

    def __init__(self, collector: Collector) -> None:
        self.collector = collector

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        name = scope["path"].rstrip("/").rsplit("/", 1)[-1]
        endpoint = ENDPOINTS.get(name)
        method = scope["method"]
        authorization = content_length = content_encoding = None
        from_browser = False
        for key, value in scope["headers"]:
            if key == b"authorization":
                authorization = value.decode("latin-1")
            elif key == b"content-length":
                content_length = value.decode("latin-1")
            elif key == b"content-encoding":
                content_encoding = value.decode("latin-1")
            elif key == b"origin":
                from_browser = True
        if endpoint is None:
            status, body = _error(404, "not found")
        elif method == "OPTIONS":
            status, body = 204, b""
        elif method != "POST":
            status, body = _error(405, "use POST")
        else:

            async def chunks() -> AsyncIterator[bytes]:
                while True:
                    message = await receive()
                    if message["type"] != "http.request":
                        return
                    chunk = message.get("body", b"")
                    if chunk:
                        yield chunk
                    if not message.get("more_body", False):
                        return

            status, body = await self.collector.collect(
                endpoint,
                authorization=authorization,
                content_length=content_length,
                chunks=chunks(),
                content_encoding=content_encoding,
            )
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        if from_browser:  # CORS headers only where a browser asks (fewer bytes otherwise)
            headers.extend(_CORS_RAW)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class CollectorServer:
    """The collector alone, as a whole ASGI application: ``/v1/*`` plus lifespan.

    No framework layers between the server and :class:`CollectorApp`; this is what the
    collector runs as when it is its own process.
    """

    def __init__(self, collector: Collector) -> None:
        self.collector = collector
        self.endpoints = CollectorApp(collector)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    _freeze_startup_objects()
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    self.collector.close()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        if scope["path"].startswith("/v1/"):
            await self.endpoints(scope, receive, send)
            return
        status, body = _error(404, "not found")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _freeze_startup_objects() -> None:
    # Objects alive at start-up (modules, routes, settings) never die: keep the cyclic
    # garbage collector from walking them again and again, which shows as latency spikes.
    gc.collect()
    gc.freeze()
    # The event-log writer thread needs the GIL a few times per commit; with a busy event
    # loop it waits up to the switch interval each time (5 ms by default), which every
    # request of the group then waits too.
    sys.setswitchinterval(float(os.environ.get("TRADEWINDS_COLLECTOR_SWITCH_INTERVAL", "0.001")))


def standalone_app(
    *, resolver: WriteKeyResolver, root: Path | None = None, router: bool = False
) -> Any:
    """An application serving only the collector under ``/v1``.

    By default the bare :class:`CollectorServer`; ``router=True`` serves the same endpoints
    through a FastAPI application and :func:`collector_router` instead.
    """
    collector = Collector(resolver=resolver, logs=EventLogs(root or default_root()))
    if not router:
        return CollectorServer(collector)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        _freeze_startup_objects()
        yield
        collector.close()

    app = FastAPI(title="Tradewinds collector", lifespan=lifespan, openapi_url=None)
    app.include_router(collector_router(collector), prefix="/v1")
    app.state.collector = collector
    return app


async def app_db_resolver(write_key: str) -> str | None:
    """Look a write key up among the app DB's sources (in a worker thread)."""

    def lookup() -> str | None:
        from tradewinds.db.engine import session_scope
        from tradewinds.ingest.sources import workspace_for_write_key

        with session_scope() as session:
            return workspace_for_write_key(session=session, write_key=write_key)

    return await asyncio.to_thread(lookup)


def mount(app: FastAPI) -> None:
    """Serve the collector at ``/v1`` of the main application (called by ``create_app``)."""
    collector = Collector(resolver=app_db_resolver, logs=EventLogs(default_root()))
    app.mount("/v1", CollectorApp(collector))
    app.state.collector = collector
    atexit.register(collector.close)


def app_from_env() -> Any:
    """The collector as its own process.

    ``uvicorn --factory tradewinds.ingest.collector:app_from_env --loop uvloop --http httptools``

    Write keys are looked up in the app DB, unless ``TRADEWINDS_COLLECTOR_KEYS`` holds a
    JSON object mapping write keys to workspace keys. ``TRADEWINDS_COLLECTOR_ROOT``: where
    event logs live (default: HOME/collector).
    """
    resolver: WriteKeyResolver = app_db_resolver
    if "TRADEWINDS_COLLECTOR_KEYS" in os.environ:
        keys: dict[str, str] = json.loads(os.environ["TRADEWINDS_COLLECTOR_KEYS"])
        resolver = keys.get
    root = os.environ.get("TRADEWINDS_COLLECTOR_ROOT")
    use_router = os.environ.get("TRADEWINDS_COLLECTOR_ROUTER", "") == "1"
    return standalone_app(resolver=resolver, root=Path(root) if root else None, router=use_router)
