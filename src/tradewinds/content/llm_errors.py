"""Why the LLM provider gave no copy: not set up, budget spent, unreachable, refused, or
an answer that is not the JSON asked for. Each names what to change."""

from __future__ import annotations

from tradewinds.errors import NotFound, TradewindsError


class LlmError(TradewindsError):
    """The LLM provider gave no usable answer."""

    status_code = 502
    code = "llm_error"


class LlmNotConfigured(NotFound):
    code = "llm_not_configured"


class LlmBudgetExceeded(LlmError):
    """The month's cost has reached the workspace's cap; nothing was sent."""

    status_code = 402
    code = "llm_budget_exceeded"


class LlmUnavailable(LlmError):
    """Timeouts, 429 or 5xx on every attempt."""

    code = "llm_unavailable"


class LlmRefused(LlmError):
    """A 4xx other than 429 (bad key, unknown model, bad parameters): not retried."""

    code = "llm_refused"


class LlmBadAnswer(LlmError):
    """Not the JSON asked for, twice (the answer and the one re-ask)."""

    code = "llm_bad_answer"
