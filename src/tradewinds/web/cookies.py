"""Cookie settings for the session and the pre-session CSRF token."""

from __future__ import annotations

from starlette.responses import Response

from tradewinds.auth.sessions import COOKIE
from tradewinds.config import get_settings


def set_cookie(response: Response, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=get_settings().secure_cookies,
        httponly=True,
        samesite="lax",
    )


def set_session_cookie(response: Response, token: str) -> None:
    set_cookie(response, COOKIE, token, max_age=get_settings().session_max_hours * 3600)


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")
