"""Security headers on every response, and a Content-Security-Policy with a fresh nonce.

Every HTML page gets a policy that runs only scripts served by Tradewinds itself
(``/static/*.js``, ``/vendor/plotly.min.js``) or carrying this response's nonce, so a
``<script>`` that slipped into a page through stored data does not run. The nonce is made
for each request (``secrets.token_urlsafe``) and kept in ``request.state.csp_nonce``;
templates read it as ``csp_nonce``. Other responses (JSON, CSV, files) get a policy that
allows nothing, and every response gets nosniff, frame and referrer headers.

The API reference pages (Swagger UI, ReDoc) get a policy of their own, :data:`DOCS_POLICY`,
that lets those libraries add styles; they show the OpenAPI document, no workspace data.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NONCE_KEY = "csp_nonce"


def page_policy(nonce: str) -> str:
    """The policy of every HTML page.

    Styles: stylesheets from 'self', ``<style>`` elements only with the nonce (the page
    frame gives Plotly one, see ``base.html``), and ``style="…"`` attributes allowed because
    Plotly sets some with ``setAttribute`` while drawing; a style attribute cannot run
    script.
    """
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            f"style-src-elem 'self' 'nonce-{nonce}'",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


# Nothing may load from or run in a JSON, CSV or file response opened as a document.
OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

# The API reference pages (Swagger UI and ReDoc, served from installed files by
# ``api/docs.py``): no inline script and nothing from another host, as on every page, but both
# libraries add <style> elements and style attributes as they draw, ReDoc draws its search
# index in a worker made from a blob: URL, and neither can be given the page's nonce.
DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def nonce_of(request: Any) -> str:
    """This request's nonce (made here if the middleware did not run, as in a unit test)."""
    state = request.state
    nonce = getattr(state, NONCE_KEY, None)
    if not nonce:
        nonce = new_nonce()
        setattr(state, NONCE_KEY, nonce)
    return nonce


def apply(headers: MutableHeaders, *, scheme: str, nonce: str, docs: bool = False) -> None:
    """Add the security headers to ``headers``; a header the response set itself stays."""
    content_type = headers.get("content-type", "")
    if "content-security-policy" not in headers:
        if docs:
            policy = DOCS_POLICY
        elif content_type.startswith("text/html"):
            policy = page_policy(nonce)
        else:
            policy = OTHER_POLICY
        headers["Content-Security-Policy"] = policy
    for name, value in COMMON.items():
        if name.lower() not in headers:
            headers[name] = value
    if scheme == "https" and "strict-transport-security" not in headers:
        headers["Strict-Transport-Security"] = HSTS


def protect(response: Any, request: Any) -> Any:
    """Add the headers to a response sent outside the middleware (the 500 page)."""
    apply(response.headers, scheme=request.url.scheme, nonce=nonce_of(request))
    return response


class SecurityHeadersMiddleware:
    """Make a nonce for each HTTP request and add the security headers to its response.

    ``docs_paths`` are the API reference pages, which get :data:`DOCS_POLICY`.
    """

    def __init__(self, app: ASGIApp, docs_paths: tuple[str | None, ...] = ()) -> None:
        self.app = app
        self.docs_paths = frozenset(p for p in docs_paths if p)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = new_nonce()
        scope.setdefault("state", {})[NONCE_KEY] = nonce
        docs = scope.get("path", "") in self.docs_paths
        scheme = scope.get("scheme", "http")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                apply(MutableHeaders(scope=message), scheme=scheme, nonce=nonce, docs=docs)
            await send(message)

        await self.app(scope, receive, send_with_headers)
