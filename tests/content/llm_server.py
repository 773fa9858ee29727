"""A local HTTP server that speaks the chat-completions protocol, for the LLM backend's
tests and bench: ``POST /v1/chat/completions`` answered from a script of replies in the
shapes OpenAI, DeepSeek and Ollama send (bodies as recorded from their documentation and
error pages), then by a default reply built from the request.

Every request is kept (path, headers, JSON body) so a test can check what was sent.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def completion(
    content: str,
    *,
    model: str = "gpt-4o-mini-2024-07-18",
    prompt_tokens: int = 212,
    completion_tokens: int = 58,
    finish_reason: str = "stop",
) -> dict[str, Any]:
    """A chat.completion body as OpenAI sends it (DeepSeek, vLLM and Ollama send the same
    fields; the details objects are OpenAI's)."""
    return {
        "id": "chatcmpl-AhXq3Kc1dWm8vTnqYb2l0RzGf9sPe",
        "object": "chat.completion",
        "created": 1733241600,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "system_fingerprint": "fp_0aa8d3e20b",
    }


def ollama_completion(content: str, *, model: str = "qwen2.5:7b") -> dict[str, Any]:
    """What Ollama's OpenAI-compatible endpoint sends (no details objects)."""
    return {
        "id": "chatcmpl-417",
        "object": "chat.completion",
        "created": 1733241600,
        "model": model,
        "system_fingerprint": "fp_ollama",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 187, "completion_tokens": 41, "total_tokens": 228},
    }


RATE_LIMITED = {
    "error": {
        "message": "Rate limit reached for gpt-4o-mini in organization org-3QbV6nBvJ8 on "
        "requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. "
        "Visit https://platform.openai.com/account/rate-limits to learn more.",
        "type": "requests",
        "param": None,
        "code": "rate_limit_exceeded",
    }
}
SERVER_ERROR = {
    "error": {
        "message": "The server had an error while processing your request. Sorry about that!",
        "type": "server_error",
        "param": None,
        "code": None,
    }
}
DEEPSEEK_BUSY = {
    "error": {
        "message": "Server is busy, please try again later.",
        "type": "service_unavailable_error",
        "param": None,
        "code": "server_busy",
    }
}
BAD_KEY = {
    "error": {
        "message": "Incorrect API key provided: sk-proj-****************************wXyZ. "
        "You can find your API key at https://platform.openai.com/account/api-keys.",
        "type": "invalid_request_error",
        "param": None,
        "code": "invalid_api_key",
    }
}


@dataclass
class Reply:
    """One scripted reply: a status, a JSON body (or raw text), headers, a delay."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    raw: str | None = None


def variants_reply(variants: list[str], **kwargs: Any) -> Reply:
    return Reply(body=completion(json.dumps({"variants": variants}, ensure_ascii=False), **kwargs))


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def user_text(self) -> str:
        return "\n".join(m["content"] for m in self.body["messages"] if m["role"] == "user")


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # http.server's 5 drops connections at 20 concurrent
    daemon_threads = True


class ChatServer:
    """``with ChatServer() as server: server.base_url`` → ``http://127.0.0.1:PORT/v1``."""

    def __init__(self, *, latency: float = 0.0) -> None:
        self.latency = latency
        self.script: deque[Reply] = deque()
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def add(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _next(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            if self.script:
                return self.script.popleft()
        return Reply(body=default_completion(seen.body), delay=self.latency)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body would wait for a delayed ACK

            def log_message(self, *_args: object) -> None:  # quiet
                return

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(Reply(status=404, body={"error": {"message": "Not Found"}}))
                    return
                body = json.loads(raw)
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                reply = server._next(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                if reply.raw is not None:
                    data = reply.raw.encode()
                    kind = "text/html; charset=utf-8"
                else:
                    data = json.dumps(reply.body, ensure_ascii=False).encode()
                    kind = "application/json"
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout tests)

        return Handler


def default_completion(request: dict[str, Any]) -> dict[str, Any]:
    """A plausible answer to any request: short variants numbered from the request's hash,
    token counts from the request's length (about 4 characters a token)."""
    text = "\n".join(m["content"] for m in request["messages"])
    digest = hashlib.sha256(text.encode()).hexdigest()[:6]
    variants = [f"Ready to ship, pick {i + 1} ({digest})"[:30] for i in range(3)]
    content = json.dumps({"variants": variants})
    return completion(
        content,
        model=request.get("model", "gpt-4o-mini"),
        prompt_tokens=max(1, len(text) // 4),
        completion_tokens=max(1, len(content) // 4),
    )
