"""JSON over HTTP for connectors: retries with back-off on rate limits and server errors."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx


class ConnectorError(Exception):
    """The vendor API refused a request for good (bad credentials, bad parameters…)."""

    def __init__(self, message: str, *, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


RetryAfter = Callable[[httpx.Response], "float | None"]
"""Seconds to wait before retrying ``response``, or None when it must not be retried."""


def standard_retry_after(response: httpx.Response) -> float | None:
    """429 and 5xx are retried; ``Retry-After`` (seconds) is honoured when present."""
    if response.status_code == 429 or response.status_code >= 500:
        value = response.headers.get("retry-after")
        try:
            return max(0.0, float(value)) if value is not None else 0.0
        except ValueError:
            return 0.0
    return None


@dataclass
class JsonHttp:
    """A small JSON client: ``get`` returns the decoded body and the response headers."""

    headers: Mapping[str, str] = field(default_factory=dict)
    retry_after: RetryAfter = standard_retry_after
    max_retries: int = 6
    base_delay: float = 1.0
    max_delay: float = 120.0
    sleep: Callable[[float], None] | None = None  # default: pause()
    timeout: float = 60.0
    transport: httpx.BaseTransport | None = None
    requests: int = 0
    waited: float = 0.0

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            headers=dict(self.headers), timeout=self.timeout, transport=self.transport
        )

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> tuple[Any, httpx.Headers]:
        attempt = 0
        while True:
            self.requests += 1
            try:
                response = self._client.get(url, params=params)
            except httpx.TransportError as exc:
                wait: float | None = 0.0
                error: Any = exc
                response = None
            else:
                if response.status_code < 400:
                    return response.json(), response.headers
                wait = self.retry_after(response)
                error = response
            if wait is None or attempt >= self.max_retries:
                if response is None:
                    raise ConnectorError(f"GET {url} failed: {error}") from None
                raise ConnectorError(
                    f"GET {url} answered {response.status_code}: {response.text[:500]}",
                    status=response.status_code,
                    body=_json_or_text(response),
                )
            # the server's hint, else exponential back-off
            delay = wait if wait else min(self.max_delay, self.base_delay * 2**attempt)
            delay = min(delay, self.max_delay)
            (self.sleep or pause)(delay)
            self.waited += delay
            attempt += 1


def pause(seconds: float) -> None:
    """Wait before a retry (module-level so that tests can replace it)."""
    time.sleep(seconds)


def _json_or_text(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text
