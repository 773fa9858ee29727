"""Tokens, cost and the monthly budget of a workspace's LLM use, and the cache of answers
to identical requests (app DB tables in ``db/models/content_llm.py``).

A month is a calendar month in UTC. The budget is checked before a request is sent: once
the month's cost has reached the cap, nothing more is sent until the next month (or a
higher cap). Requests already on their way when the cap is reached still complete, so the
month can end above the cap by at most the cost of those requests. Cache hits cost
nothing and are served even when the budget is spent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tradewinds.content.llm_errors import LlmBudgetExceeded
from tradewinds.content.llm_settings import LlmConfig
from tradewinds.db.base import utcnow
from tradewinds.db.models.content_llm import ContentLlmCache, ContentLlmUsage
from tradewinds.i18n_markers import Text


def request_hash(model: str, messages: list[dict[str, str]], params: dict[str, Any]) -> str:
    """SHA-256 of the model, the messages and the parameters (canonical JSON)."""
    canonical = json.dumps(
        {"model": model, "messages": messages, "params": params},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def month_start(now: datetime) -> datetime:
    now = now.astimezone(UTC)
    return datetime(now.year, now.month, 1, tzinfo=UTC)


def next_month_start(now: datetime) -> datetime:
    start = month_start(now)
    if start.month == 12:
        return start.replace(year=start.year + 1, month=1)
    return start.replace(month=start.month + 1)


def month_spend(session: Session, workspace_id: int, now: datetime) -> Decimal:
    start, end = month_start(now), next_month_start(now)
    total = session.scalar(
        select(func.coalesce(func.sum(ContentLlmUsage.cost), 0)).where(
            ContentLlmUsage.workspace_id == workspace_id,
            ContentLlmUsage.at >= start,
            ContentLlmUsage.at < end,
        )
    )
    return Decimal(str(total or 0)).quantize(Decimal("0.000001"))


def check_budget(session: Session, config: LlmConfig, now: datetime) -> Decimal:
    """The month's spend so far; LlmBudgetExceeded (nothing sent) once it reaches the cap."""
    spent = month_spend(session, config.workspace_id, now)
    cap = config.monthly_budget
    if cap is not None and spent >= cap:
        raise LlmBudgetExceeded(
            Text(
                "the LLM budget of %(budget)s %(currency)s a month is reached: "
                "%(spent)s %(currency)s spent in %(month)s; nothing was sent. Raise it with "
                "`tradewinds llm set --budget` or wait until next month",
                budget=f"{cap:.2f}",
                spent=f"{spent:.2f}",
                currency=config.currency,
                month=month_start(now).strftime("%Y-%m"),
            ),
            details={
                "budget": str(cap),
                "spent": str(spent),
                "currency": config.currency,
                "month": month_start(now).strftime("%Y-%m"),
            },
        )
    return spent


def record_usage(
    session: Session,
    *,
    config: LlmConfig,
    model: str,
    prompt_tokens: int,
    completion_tokens: int,
    request: str,
    cached: bool,
    at: datetime | None = None,
) -> ContentLlmUsage:
    cost = Decimal(0) if cached else config.cost(prompt_tokens, completion_tokens)
    row = ContentLlmUsage(
        workspace_id=config.workspace_id,
        at=at or utcnow(),
        model=model or config.model,
        prompt_tokens=0 if cached else prompt_tokens,
        completion_tokens=0 if cached else completion_tokens,
        cost=cost,
        currency=config.currency,
        cached=cached,
        request_hash=request,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class CachedAnswer:
    answer: str
    prompt_tokens: int
    completion_tokens: int


def cache_get(session: Session, workspace_id: int, request: str) -> CachedAnswer | None:
    """The stored answer to this request (its hit counted), or None."""
    row = session.scalar(
        select(ContentLlmCache).where(
            ContentLlmCache.workspace_id == workspace_id,
            ContentLlmCache.request_hash == request,
        )
    )
    if row is None:
        return None
    session.execute(
        update(ContentLlmCache)
        .where(ContentLlmCache.id == row.id)
        .values(hits=ContentLlmCache.hits + 1, last_hit_at=utcnow())
    )
    return CachedAnswer(row.answer, row.prompt_tokens, row.completion_tokens)


def cache_put(
    session: Session,
    *,
    workspace_id: int,
    request: str,
    model: str,
    answer: str,
    prompt_tokens: int,
    completion_tokens: int,
) -> None:
    """Store a validated answer; an identical request that finished first keeps its own."""
    try:
        with session.begin_nested():
            session.add(
                ContentLlmCache(
                    workspace_id=workspace_id,
                    request_hash=request,
                    model=model,
                    answer=answer,
                    prompt_tokens=prompt_tokens,
                    completion_tokens=completion_tokens,
                    hits=0,
                )
            )
    except IntegrityError:
        pass


class UsageReport(BaseModel):
    """``tradewinds llm usage --json``: one month of a workspace's LLM use."""

    month: str
    requests: int
    sent: int
    cached: int
    prompt_tokens: int
    completion_tokens: int
    cost: Decimal
    currency: str
    budget: Decimal | None
    remaining: Decimal | None
    cache_entries: int


def usage_report(session: Session, config: LlmConfig, now: datetime) -> UsageReport:
    start, end = month_start(now), next_month_start(now)
    where = (
        ContentLlmUsage.workspace_id == config.workspace_id,
        ContentLlmUsage.at >= start,
        ContentLlmUsage.at < end,
    )
    requests, cached, prompt, completion = session.execute(
        select(
            func.count(ContentLlmUsage.id),
            func.coalesce(func.sum(case((ContentLlmUsage.cached, 1), else_=0)), 0),
            func.coalesce(func.sum(ContentLlmUsage.prompt_tokens), 0),
            func.coalesce(func.sum(ContentLlmUsage.completion_tokens), 0),
        ).where(*where)
    ).one()
    cost = month_spend(session, config.workspace_id, now)
    entries = session.scalar(
        select(func.count(ContentLlmCache.id)).where(
            ContentLlmCache.workspace_id == config.workspace_id
        )
    )
    budget = config.monthly_budget
    return UsageReport(
        month=start.strftime("%Y-%m"),
        requests=int(requests),
        sent=int(requests) - int(cached),
        cached=int(cached),
        prompt_tokens=int(prompt),
        completion_tokens=int(completion),
        cost=cost,
        currency=config.currency,
        budget=budget,
        remaining=max(Decimal(0), budget - cost) if budget is not None else None,
        cache_entries=int(entries or 0),
    )
