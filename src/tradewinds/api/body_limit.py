"""A size limit on every request body, enforced while it streams (413 past it).

Forms and JSON bodies are small; without a limit, a form post with a file part would be
spooled to disk and a JSON body read into memory whatever its size. The upload routes
(``POST /api/v1/imports``, ``POST /data/imports``) enforce their own, larger limit with
the name of the file that passed it (``api/uploads.py``); the event collector under
``/v1/`` has its own per-endpoint limits.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tradewinds.api.uploads import is_multipart
from tradewinds.ingest.limits import limits, size_text

#: paths whose multipart uploads bound themselves (other bodies sent there are limited here)
SELF_LIMITED = ("/api/v1/imports", "/data/imports")
SELF_LIMITED_PREFIXES = ("/v1/",)


def _too_large(limit: int) -> HTTPException:
    # an HTTPException, because FastAPI passes those on from reading a body (any other
    # error there becomes "There was an error parsing the body")
    return HTTPException(
        413,
        f"the request is larger than the {size_text(limit)} a request may carry here "
        "(export files go through the Data page's upload or POST /api/v1/imports)",
    )


class BodyLimitMiddleware:
    """Counts the body as it is received; the first chunk past the limit raises 413 (an
    ``HTTPException``, so pages and the API answer it in their usual way)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        headers = dict(scope.get("headers") or [])
        if (
            scope["type"] != "http"
            or (
                path in SELF_LIMITED
                and is_multipart(headers.get(b"content-type", b"").decode("latin-1"))
            )
            or path.startswith(SELF_LIMITED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        limit = limits().max_request_bytes
        declared = headers.get(b"content-length", b"")
        over = declared.isdigit() and int(declared) > limit
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            if over:
                raise _too_large(limit)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _too_large(limit)
            return message

        await self.app(scope, counted, send)
