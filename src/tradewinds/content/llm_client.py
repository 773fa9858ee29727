"""``POST {base_url}/chat/completions`` — the OpenAI-compatible protocol that OpenAI,
DeepSeek, Qwen (DashScope compatible mode), Ollama and vLLM all speak.

Retries are tenacity's: at most ``max_attempts`` tries; 429 waits for the server's
``Retry-After`` (seconds or an HTTP date) when it gives one — a wait longer than
``max_delay`` is an error at once, since an earlier try would only be refused again —
500/502/503/504, timeouts and dropped connections wait an exponential back-off from
``base_delay``, at most ``max_delay``. Other 4xx (a wrong key, an unknown model) are not retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from tradewinds.content.llm_errors import LlmRefused, LlmUnavailable
from tradewinds.i18n_markers import Text

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class ChatAnswer:
    """The first choice's text and the tokens the provider counted."""

    content: str
    prompt_tokens: int
    completion_tokens: int
    model: str
    finish_reason: str | None = None


@dataclass
class ChatClient:
    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 60.0
    max_attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None
    max_connections: int = 32
    waits: list[float] = field(default_factory=list)  # every pause before a retry, in seconds

    def __post_init__(self) -> None:
        headers = {"Accept": "application/json", "User-Agent": "tradewinds-content"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        self.url = self.base_url.rstrip("/") + "/chat/completions"
        self._client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(self.timeout),
            transport=self.transport,
            limits=httpx.Limits(
                max_connections=self.max_connections,
                max_keepalive_connections=self.max_connections,
            ),
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def complete(
        self,
        messages: list[dict[str, str]],
        *,
        temperature: float,
        max_tokens: int,
        json_mode: bool = True,
    ) -> ChatAnswer:
        """One answer to ``messages`` (retried as the module says)."""
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": temperature,
            "max_tokens": max_tokens,
        }
        if json_mode:
            payload["response_format"] = {"type": "json_object"}
        retrying = Retrying(
            stop=stop_after_attempt(max(1, self.max_attempts)),
            wait=self._delay,
            retry=retry_if_exception_type(_Retry),
            sleep=self._pause,
            reraise=True,
        )
        try:
            return retrying(self._post_once, payload)
        except _Retry as exc:
            raise LlmUnavailable(
                Text(
                    "%(url)s gave no answer after %(attempts)s attempts: %(reason)s",
                    url=self.url,
                    attempts=self.max_attempts,
                    reason=exc.reason,
                ),
                details={"url": self.url, "status": exc.status, "attempts": self.max_attempts},
            ) from None

    def _post_once(self, payload: dict[str, Any]) -> ChatAnswer:
        try:
            response = self._client.post(self.url, json=payload)
        except httpx.TimeoutException:
            raise _Retry(None, f"no answer within {self.timeout:g} s") from None
        except httpx.TransportError as exc:
            raise _Retry(None, f"connection failed ({exc.__class__.__name__}: {exc})") from None
        if response.status_code in RETRIED_STATUSES:
            hint = retry_after(response) if response.status_code == 429 else None
            if hint is not None and hint > self.max_delay:
                # waiting less than the provider asks only earns another 429
                raise LlmUnavailable(
                    Text(
                        "%(url)s asks to wait %(seconds)s seconds before the next request "
                        "(HTTP 429): %(reason)s",
                        url=self.url,
                        seconds=f"{hint:.0f}",
                        reason=provider_message(response),
                    ),
                    details={"url": self.url, "status": 429, "retry_after": hint},
                )
            raise _Retry(
                hint,
                f"HTTP {response.status_code}: {provider_message(response)}",
                status=response.status_code,
            )
        if response.status_code >= 400:
            raise LlmRefused(
                Text(
                    "%(url)s refused the request (HTTP %(status)s): %(reason)s",
                    url=self.url,
                    status=str(response.status_code),
                    reason=provider_message(response),
                ),
                details={"url": self.url, "status": response.status_code},
            )
        return parse_answer(response, url=self.url)

    def _delay(self, state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        hint = failure.wait if isinstance(failure, _Retry) else None
        backoff = self.base_delay * 2 ** (state.attempt_number - 1)
        return min(hint if hint is not None else backoff, self.max_delay)

    def _pause(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.sleep(seconds)


class _Retry(Exception):
    def __init__(self, wait: float | None, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.wait = wait
        self.reason = reason
        self.status = status


def retry_after(response: httpx.Response, *, now: datetime | None = None) -> float | None:
    """Seconds ``Retry-After`` asks for (a number or an HTTP date), or None."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def provider_message(response: httpx.Response) -> str:
    """The provider's own words: OpenAI-style ``{"error": {"message"}}``, else the text."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:300]
        if isinstance(error, str):
            return error[:300]
        if body.get("message"):
            return str(body["message"])[:300]
    return response.text.strip()[:300]


def parse_answer(response: httpx.Response, *, url: str) -> ChatAnswer:
    """The first choice of a chat-completions body (a body of another shape is a protocol
    error: the base URL probably does not point at a chat-completions API)."""
    try:
        body = response.json()
        choice = body["choices"][0]
        content = choice["message"].get("content") or ""
        usage = body.get("usage") or {}
        return ChatAnswer(
            content=content,
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            model=str(body.get("model") or ""),
            finish_reason=choice.get("finish_reason"),
        )
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise LlmRefused(
            Text(
                "%(url)s did not answer in the chat-completions format "
                "(is the base URL right?): %(reason)s",
                url=url,
                reason=response.text.strip()[:200],
            ),
            details={"url": url, "status": response.status_code},
        ) from None
