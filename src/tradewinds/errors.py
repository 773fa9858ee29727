"""Errors the services raise; the API turns them into {"error": {code, message, details}}."""

from __future__ import annotations

from typing import Any


class TradewindsError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(TradewindsError):
    status_code = 404
    code = "not_found"


class Conflict(TradewindsError):
    status_code = 409
    code = "conflict"


class Forbidden(TradewindsError):
    status_code = 403
    code = "forbidden"


class Unauthorized(TradewindsError):
    status_code = 401
    code = "unauthorized"


class InvalidInput(TradewindsError):
    status_code = 422
    code = "invalid_input"


class TooManyRequests(TradewindsError):
    status_code = 429
    code = "too_many_requests"
