"""The API reference pages, served from installed files: no CDN, no inline script.

``/api/v1/docs`` is Swagger UI and ``/api/v1/redoc`` is ReDoc, both reading
``/api/v1/openapi.json``. Their JavaScript and CSS come from the ``fastapi-offline``
package (which ships Swagger UI under Apache-2.0 and ReDoc under MIT); FastAPI's own pages
load them from a CDN, which a closed network cannot reach, and start Swagger UI with an
inline script, which the Content-Security-Policy refuses.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

VENDOR_DIR = Path(fastapi_offline.__file__).parent / "static"
OWN_DIR = Path(__file__).parent / "docs_assets"


def _page(title: str, head: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="/static/favicon.svg">{head}</head><body>{body}</body></html>'
    )


def install(app: FastAPI, *, prefix: str) -> None:
    """Serve Swagger UI at ``{prefix}/docs`` and ReDoc at ``{prefix}/redoc``."""
    openapi = escape(app.openapi_url or f"{prefix}/openapi.json")
    assets = f"{prefix}/docs-assets"
    app.mount(f"{assets}/vendor", StaticFiles(directory=VENDOR_DIR), name="api-docs-vendor")
    app.mount(f"{assets}/own", StaticFiles(directory=OWN_DIR), name="api-docs-own")

    @app.get(f"{prefix}/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _page(
            f"{app.title} API reference",
            f'<link rel="stylesheet" href="{assets}/vendor/swagger-ui.css">',
            f'<div id="swagger-ui" data-openapi="{openapi}"></div>'
            f'<script src="{assets}/vendor/swagger-ui-bundle.js"></script>'
            f'<script src="{assets}/own/swagger-init.js"></script>',
        )

    @app.get(f"{prefix}/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _page(
            f"{app.title} API reference",
            "",
            f'<redoc spec-url="{openapi}"></redoc>'
            f'<script src="{assets}/vendor/redoc.standalone.js"></script>',
        )
