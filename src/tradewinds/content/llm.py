"""The content studio's LLM backend: ad-copy candidates from an OpenAI-compatible
chat-completions provider configured per workspace.

``LlmBackend(workspace_id).candidates(...)`` renders the prompt (``llm_prompts/``), answers
from the cache when an identical request was answered before, refuses before sending once
the month's budget is spent, sends the request (retried with back-off, ``llm_client``),
validates the JSON reply with pydantic — re-asking once, with the validation error, when
it is malformed — and records the tokens and cost of every reply (``llm_usage``).

The engine fits and checks what comes back; when it refuses every candidate it asks again
once with ``reason``, which goes into the prompt (and so into the cache key).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from tradewinds.content.llm_client import ChatAnswer, ChatClient
from tradewinds.content.llm_errors import LlmBadAnswer
from tradewinds.content.llm_prompt import (
    CandidatesAnswer,
    PromptTemplate,
    candidate_messages,
    load_prompt,
    repair_message,
)
from tradewinds.content.llm_settings import LlmConfig, load_config
from tradewinds.content.llm_usage import (
    cache_get,
    cache_put,
    check_budget,
    record_usage,
    request_hash,
)
from tradewinds.content.models import Glossary, Product
from tradewinds.db.base import utcnow
from tradewinds.i18n_markers import Text

Sessions = Callable[[], AbstractContextManager[Session]]


def _default_sessions() -> AbstractContextManager[Session]:
    from tradewinds.db.engine import session_scope

    return session_scope()


class LlmBackend:
    """Implements the engine's backend protocol (``candidates``) over a workspace's LLM."""

    name = "llm"

    def __init__(
        self,
        workspace_id: int,
        *,
        sessions: Sessions = _default_sessions,
        client: ChatClient | None = None,
        prompt: PromptTemplate | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.workspace_id = workspace_id
        self._sessions = sessions
        self._clock = clock
        with sessions() as session:
            self.config: LlmConfig = load_config(session, workspace_id)
        self.prompt = prompt or load_prompt("candidates")
        self.client = client or ChatClient(
            base_url=self.config.base_url,
            model=self.config.model,
            api_key=self.config.api_key,
            timeout=self.config.timeout_seconds,
            max_attempts=self.config.max_attempts,
        )
        self.cache_hits = 0  # answers served from the cache by this backend
        self.sent = 0  # requests sent to the provider (re-asks included)
        self._count = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> LlmBackend:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def candidates(
        self,
        product: Product,
        market: str,
        language: str,
        platform: str,
        field: str,
        n: int,
        tone: str,
        glossary: Glossary,
        reason: str | None = None,
    ) -> list[str]:
        """Up to ``n`` candidate texts (not yet fitted or checked)."""
        messages = candidate_messages(
            self.prompt,
            product=product,
            market=market,
            language=language,
            platform=platform,
            field=field,
            n=n,
            tone=tone,
            glossary=glossary,
            reason=reason,
        )
        params = {
            "temperature": self.prompt.temperature,
            "max_tokens": self.prompt.max_tokens,
            "response_format": "json_object",
            "prompt_version": self.prompt.version,
            "n": n,
        }
        key = request_hash(self.config.model, messages, params)
        # one transaction before sending: the cache, else the budget (a hit costs nothing)
        with self._sessions() as session:
            hit = cache_get(session, self.workspace_id, key)
            if hit is not None:
                record_usage(
                    session,
                    config=self.config,
                    model=self.config.model,
                    prompt_tokens=hit.prompt_tokens,
                    completion_tokens=hit.completion_tokens,
                    request=key,
                    cached=True,
                    at=self._clock(),
                )
            else:
                check_budget(session, self.config, self._clock())
        if hit is not None:
            with self._count:
                self.cache_hits += 1
            return CandidatesAnswer.model_validate_json(hit.answer).variants[:n]

        answer = self._send(messages)
        parsed, problem = _parse(answer)
        if parsed is None:
            self._settle(key, [answer], None)  # the bad reply is billed all the same
            with self._sessions() as session:
                check_budget(session, self.config, self._clock())
            # one re-ask, showing the model its reply and what was wrong with it
            retry = [
                *messages,
                {"role": "assistant", "content": answer.content},
                repair_message(self.prompt, error=problem, n=n),
            ]
            second = self._send(retry)
            parsed, problem_again = _parse(second)
            if parsed is None:
                self._settle(key, [second], None)
                raise LlmBadAnswer(
                    Text(
                        "the model %(model)s did not reply with the JSON asked for, "
                        "twice: %(reason)s",
                        model=self.config.model,
                        reason=problem_again,
                    ),
                    details={"first": problem, "second": problem_again},
                )
            self._settle(key, [second], parsed, cache_tokens=[answer, second])
        else:
            self._settle(key, [answer], parsed)
        return parsed.variants[:n]

    def _send(self, messages: list[dict[str, str]]) -> ChatAnswer:
        answer = self.client.complete(
            messages, temperature=self.prompt.temperature, max_tokens=self.prompt.max_tokens
        )
        with self._count:
            self.sent += 1
        return answer

    def _settle(
        self,
        key: str,
        billed: list[ChatAnswer],
        parsed: CandidatesAnswer | None,
        *,
        cache_tokens: list[ChatAnswer] | None = None,
    ) -> None:
        """One transaction after a reply: its usage and cost, and the answer when valid."""
        with self._sessions() as session:
            for answer in billed:
                record_usage(
                    session,
                    config=self.config,
                    model=answer.model,
                    prompt_tokens=answer.prompt_tokens,
                    completion_tokens=answer.completion_tokens,
                    request=key,
                    cached=False,
                    at=self._clock(),
                )
            if parsed is not None:
                spent = cache_tokens or billed
                cache_put(
                    session,
                    workspace_id=self.workspace_id,
                    request=key,
                    model=self.config.model,
                    answer=parsed.model_dump_json(),
                    prompt_tokens=sum(a.prompt_tokens for a in spent),
                    completion_tokens=sum(a.completion_tokens for a in spent),
                )


def _parse(answer: ChatAnswer) -> tuple[CandidatesAnswer | None, str]:
    """The validated reply, or None and what is wrong with it (for the re-ask)."""
    content = _unfenced(answer.content)
    cut = "the reply was cut off at max_tokens" if answer.finish_reason == "length" else ""
    try:
        data = json.loads(content)
    except ValueError as exc:
        return None, cut or f"not valid JSON ({exc.msg} at character {exc.pos})"
    try:
        return CandidatesAnswer.model_validate(data), ""
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()
        )
        return None, f"JSON not matching the schema ({problems})"


def _unfenced(content: str) -> str:
    """Some local models wrap JSON in a Markdown code fence despite json_object mode."""
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        if text.rstrip().endswith("```"):
            text = text.rstrip()[:-3]
    return text.strip()
