"""The one FastAPI application: JSON API under /api/v1 and the web pages.

Routers are discovered: every module in ``tradewinds.api.routes`` and
``tradewinds.web.routes`` that defines ``router`` is included, so a capability adds its
endpoints and pages by adding a module. The Segment-compatible collector, when present,
is mounted at /v1.
"""

from __future__ import annotations

import gc
import importlib
import logging
import pkgutil
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import tradewinds.api.routes as api_routes
import tradewinds.web.routes as web_routes
from tradewinds import __version__
from tradewinds.api.deps import COMMON_RESPONSES, LARGEST_INTEGER_ID
from tradewinds.errors import TradewindsError
from tradewinds.observability import configure_logging, reset_request_id, set_request_id
from tradewinds.web.numbers import reset_locale, use_locale_of

log = logging.getLogger("tradewinds.app")
access = logging.getLogger("tradewinds.access")

API_PREFIX = "/api/v1"


class RequestIdMiddleware:
    """Give every request an id (or keep the caller's X-Request-ID) and echo it back; set
    the viewer's locale for number formatting (``web/numbers.py``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode()[:64]
        token = set_request_id(incoming if incoming.isprintable() and incoming else None)
        locale_token = use_locale_of(
            headers.get(b"accept-language", b""), headers.get(b"cookie", b"")
        )
        from tradewinds.observability import current_request_id

        rid = current_request_id() or ""

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                message["headers"] = headers
            await send(message)

        started = time.perf_counter()
        status = {"code": 500}

        async def send_tracking(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send_with_id(message)

        try:
            await self.app(scope, receive, send_tracking)
        finally:
            access.info(
                "%s %s %s %.1fms",
                scope.get("method"),
                scope.get("path"),
                status["code"],
                (time.perf_counter() - started) * 1000,
            )
            reset_request_id(token)
            reset_locale(locale_token)


def error_body(code: str, message: str, details: object = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(API_PREFIX) or path.startswith("/v1/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def route_table(app: FastAPI) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """(path regex, methods) of every route the app serves, included routers flattened."""
    table = getattr(app.state, "route_table", None)
    if table is None:
        table = [
            (compile_path(route.path)[0], frozenset(route.methods))
            for route in iter_route_contexts(app.routes)
            if route.path and route.methods
        ]
        app.state.route_table = table
    return table


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (a 405's ``Allow`` header): Starlette
    names only the methods of the first route whose path matched, not the others."""
    path = request.scope.get("path", "")
    methods: set[str] = set()
    for pattern, route_methods in route_table(request.app):
        if pattern.match(path):
            methods |= route_methods
    return sorted(methods)


def out_of_range_id(request: Request) -> str | None:
    """The first integer path parameter that no id column on every app DB can hold."""
    for name, value in request.path_params.items():
        text = str(value)
        if text.lstrip("-").isdigit() and not 1 <= int(text) <= LARGEST_INTEGER_ID:
            return name
    return None


def install_error_handlers(app: FastAPI) -> None:
    from tradewinds.i18n_markers import Text
    from tradewinds.web.errors import html_error
    from tradewinds.web.texts import translate

    def not_found(request: Request, message: str):
        if _wants_html(request):
            return html_error(request, 404, message)
        return JSONResponse(error_body("not_found", message), 404)

    @app.exception_handler(TradewindsError)
    async def _domain_error(request: Request, exc: TradewindsError):
        if _wants_html(request):
            return html_error(request, exc.status_code, exc.message)
        # the message in the language the client's Accept-Language asks for (English
        # without one); ``message_id`` is the English message id, the same in every language
        body = error_body(exc.code, translate(exc.message), exc.details)
        if isinstance(exc.message, Text):
            body["error"]["message_id"] = exc.message.msgid
        return JSONResponse(body, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        where = {"body", "query", "path", "header", "cookie"}
        details = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ())[1:] if p not in where)
                if len(err.get("loc", ())) > 1 and err["loc"][0] in where
                else ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
                "message": err.get("msg", ""),
                "type": err.get("type", ""),
            }
            for err in exc.errors()
        ]
        first = details[0] if details else None
        message = (
            f"{first['field']}: {first['message']}"
            if first and first["field"]
            else "the request is not valid"
        )
        if len(details) > 1:
            message += f" (and {len(details) - 1} more)"
        return JSONResponse(error_body("invalid_input", message, details), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        codes = {
            400: "bad_request",
            404: "not_found",
            405: "method_not_allowed",
            401: "unauthorized",
            403: "forbidden",
        }
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            allow = allowed_methods(request)
            headers["Allow"] = ", ".join(allow)
            message = f"{request.method} is not allowed here; use {' or '.join(allow)}"
        if _wants_html(request):
            return html_error(request, exc.status_code, message)
        return JSONResponse(
            error_body(codes.get(exc.status_code, "http_error"), message),
            exc.status_code,
            headers=headers or None,
        )

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _id_out_of_range(request: Request, exc: Exception):
        # A route that looks an id up without ``get_owned``: the database refuses ids
        # beyond its integer range (SQLite: OverflowError, PostgreSQL: DataError).
        name = out_of_range_id(request)
        if name is None:
            return await _unexpected(request, exc)
        value = request.path_params[name]
        return not_found(request, f"no object with {name} {value}: no such id can exist")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        message = "something went wrong on our side; the request id identifies it in the logs"
        if _wants_html(request):
            return html_error(request, 500, message)
        return JSONResponse(error_body("internal_error", message), 500)


def _modules(package: ModuleType) -> list[ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name)
        if not info.name.startswith("_")
    ]


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The one lifespan of the server: the task queue plugged in (and, unless workers run
    apart, a worker in this process: ``jobs/worker.py``); at exit, the collector's event
    log writers closed."""
    from tradewinds.config import get_settings
    from tradewinds.jobs.worker import start_in_process, stop_in_process
    from tradewinds.warehouse import keep_open

    settings = get_settings()
    keep_open.enable(settings.warehouse_keep_open)
    start_in_process()
    # what start-up built lives as long as the server: out of the garbage collector's way,
    # so a full collection during a page view walks only what requests made
    if settings.gc_freeze:
        gc.collect()
        gc.freeze()
    try:
        yield
    finally:
        stop_in_process()
        keep_open.disable()
        if settings.gc_freeze:
            gc.unfreeze()
        collector = getattr(app.state, "collector", None)
        if collector is not None:
            collector.close()


def create_app() -> FastAPI:
    configure_logging()
    app = FastAPI(
        lifespan=_lifespan,
        title="Tradewinds",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served from installed files by api/docs.py, not from a CDN
        redoc_url=None,
    )
    install_error_handlers(app)
    from tradewinds.api import docs

    docs.install(app, prefix=API_PREFIX)

    # Every API route may answer these errors; the OpenAPI document says so once for all.
    api = APIRouter(prefix=API_PREFIX, responses=COMMON_RESPONSES)
    for module in _modules(api_routes):
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            api.include_router(router)
    app.include_router(api)

    try:
        collector = importlib.import_module("tradewinds.ingest.collector")
    except ModuleNotFoundError:
        collector = None
    mount = getattr(collector, "mount", None)
    if callable(mount):
        mount(app)

    from tradewinds.web import frame

    frame.install(app)
    pages = [m for m in _modules(web_routes) if m.__name__ != "tradewinds.web.routes.placeholders"]
    for module in pages:
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            app.include_router(router)
    # Placeholders last, so a real page for a section always wins.
    from tradewinds.web.routes import placeholders

    app.include_router(placeholders.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    from tradewinds.api.body_limit import BodyLimitMiddleware

    app.add_middleware(BodyLimitMiddleware)

    from tradewinds.web.security_headers import SecurityHeadersMiddleware

    app.add_middleware(
        SecurityHeadersMiddleware, docs_paths=(f"{API_PREFIX}/docs", f"{API_PREFIX}/redoc")
    )
    app.add_middleware(RequestIdMiddleware)
    return app
