"""JSON over HTTP for connectors: retries with back-off on rate limits and server errors.

The retrying is tenacity's: a request is tried at most ``max_retries + 1`` times; the wait
before the next try is the server's hint (``Retry-After``, Meta's usage headers) when it
gives one, else exponential back-off from ``base_delay``, never more than ``max_delay``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt


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
        retrying = Retrying(
            stop=stop_after_attempt(self.max_retries + 1),
            wait=self._delay,
            retry=retry_if_exception_type(_Retry),
            sleep=self._pause,
            reraise=True,
        )
        try:
            return retrying(self._get_once, url, params)
        except _Retry as exc:
            raise exc.give_up(url) from None

    def _get_once(self, url: str, params: Mapping[str, Any] | None) -> tuple[Any, httpx.Headers]:
        self.requests += 1
        try:
            response = self._client.get(url, params=params)
        except httpx.TransportError as exc:
            raise _Retry(0.0, error=exc) from None
        if response.status_code < 400:
            return response.json(), response.headers
        wait = self.retry_after(response)
        if wait is None:
            raise _Retry(None, response=response).give_up(url)
        raise _Retry(wait, response=response)

    def _delay(self, state: RetryCallState) -> float:
        """The server's hint, else exponential back-off; at most ``max_delay``."""
        failure = state.outcome.exception() if state.outcome else None
        hint = failure.wait if isinstance(failure, _Retry) else None
        retry = state.attempt_number - 1
        delay = hint if hint else min(self.max_delay, self.base_delay * 2**retry)
        return min(delay, self.max_delay)

    def _pause(self, seconds: float) -> None:
        (self.sleep or pause)(seconds)
        self.waited += seconds


class _Retry(Exception):
    """A try that failed in a way worth trying again (``wait``: the server's hint)."""

    def __init__(
        self,
        wait: float | None,
        *,
        response: httpx.Response | None = None,
        error: httpx.TransportError | None = None,
    ) -> None:
        super().__init__(wait)
        self.wait = wait
        self.response = response
        self.error = error

    def give_up(self, url: str) -> ConnectorError:
        if self.response is None:
            return ConnectorError(f"GET {url} failed: {self.error}")
        response = self.response
        return ConnectorError(
            f"GET {url} answered {response.status_code}: {response.text[:500]}",
            status=response.status_code,
            body=_json_or_text(response),
        )


def pause(seconds: float) -> None:
    """Wait before a retry (module-level so that tests can replace it)."""
    time.sleep(seconds)


def _json_or_text(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text
