"""Error pages for browsers (the API answers JSON instead)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from tradewinds.observability import current_request_id
from tradewinds.web.security_headers import protect
from tradewinds.web.texts import translate


def html_error(request: Request, status_code: int, message: str) -> HTMLResponse:
    from tradewinds.web.frame import templates

    response = templates.TemplateResponse(
        request,
        "error.html",
        {
            "status_code": status_code,
            "message": translate(message),
            "request_id": current_request_id(),
        },
        status_code=status_code,
    )
    # A 500 page is sent from outside the middleware that adds these headers.
    return protect(response, request)
