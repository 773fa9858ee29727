"""The LLM backend against a local chat-completions server: what it sends, its retries on
timeouts, 429 and 5xx, the one re-ask on malformed JSON, the re-ask with the engine's
reason, the cache, the accounting and the monthly budget cap (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from tradewinds.compliance.counting import length
from tradewinds.content.llm import LlmBackend
from tradewinds.content.llm_client import ChatClient
from tradewinds.content.llm_errors import (
    LlmBadAnswer,
    LlmBudgetExceeded,
    LlmNotConfigured,
    LlmRefused,
    LlmUnavailable,
)
from tradewinds.content.llm_prompt import field_limit
from tradewinds.content.llm_settings import LlmSettingsIn, load_config, save_settings
from tradewinds.content.llm_usage import usage_report
from tradewinds.content.models import Glossary, Product
from tradewinds.db.engine import session_scope
from tradewinds.db.models.content_llm import ContentLlmCache, ContentLlmSettings, ContentLlmUsage

from .llm_server import (
    BAD_KEY,
    DEEPSEEK_BUSY,
    RATE_LIMITED,
    SERVER_ERROR,
    ChatServer,
    Reply,
    completion,
    ollama_completion,
    variants_reply,
)

KEY = "sk-proj-test-0123456789abcdef"
PRODUCT = Product(
    id="sku-1",
    title="Merino wool hiking socks, 3 pairs",
    price=Decimal("24.90"),
    currency="EUR",
    brand="Nordpfad",
    category="Outdoor clothing",
    attributes={"material": "merino wool", "sizes": "36-47"},
)
GLOSSARY = Glossary(keep=["Nordpfad"], preferred={"de": {"hiking": "Wandern"}}, banned=["best"])
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with ChatServer() as s:
        yield s


def configure(
    workspace_id: int,
    base_url: str,
    *,
    api_key: str | None = KEY,
    budget: str | None = None,
    timeout: float = 5.0,
    attempts: int = 4,
) -> None:
    with session_scope() as session:
        save_settings(
            session,
            workspace_id=workspace_id,
            settings=LlmSettingsIn(
                base_url=base_url,
                model="gpt-4o-mini",
                price_input_per_1k=Decimal("0.15"),
                price_output_per_1k=Decimal("0.60"),
                monthly_budget=Decimal(budget) if budget else None,
                currency="USD",
                timeout_seconds=timeout,
                max_attempts=attempts,
            ),
            api_key=api_key,
            actor="test",
        )


def backend(workspace_id: int, clock=lambda: NOW) -> LlmBackend:  # noqa: ANN001
    b = LlmBackend(workspace_id, clock=clock)
    b.client.sleep = lambda _s: None  # the waits are recorded in client.waits, not slept
    return b


def ask(b: LlmBackend, *, reason: str | None = None, n: int = 3, title: str | None = None):
    product = PRODUCT.model_copy(update={"title": title}) if title else PRODUCT
    return b.candidates(product, "DE", "de", "google", "headline", n, "friendly", GLOSSARY, reason)


def usage_rows(workspace_id: int) -> list[ContentLlmUsage]:
    with session_scope() as session:
        return list(
            session.scalars(
                select(ContentLlmUsage)
                .where(ContentLlmUsage.workspace_id == workspace_id)
                .order_by(ContentLlmUsage.id)
            )
        )


def test_sends_a_chat_completion_and_returns_the_variants(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    server.add(variants_reply(["Merinosocken für jede Tour", "Nordpfad: warm & trocken"]))
    with backend(tenants.a.workspace_id) as b:
        assert ask(b) == ["Merinosocken für jede Tour", "Nordpfad: warm & trocken"]
    [seen] = server.requests
    assert seen.path == "/v1/chat/completions"
    assert seen.headers["authorization"] == f"Bearer {KEY}"
    assert seen.body["model"] == "gpt-4o-mini"
    assert seen.body["response_format"] == {"type": "json_object"}
    system, user = seen.body["messages"]
    assert system["role"] == "system" and '"variants"' in system["content"]  # the schema
    text = user["content"]
    assert "German" in text and "market DE" in text
    assert "at most 30 characters" in text and "counts as 2" in text  # Google's width rule
    assert "Merino wool hiking socks, 3 pairs" in text and "24.90 EUR" in text
    assert "exactly as given" in text and "Nordpfad" in text
    assert "hiking -> Wandern" in text and "Never use these words: best" in text
    assert "refused" not in text  # no reason on a first ask


def test_over_length_answer_is_reasked_with_the_engines_reason(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    too_long = "Nordpfad Merino-Wandersocken im Dreierpack – jetzt bestellen"
    server.add(
        variants_reply([too_long]),
        variants_reply(["Nordpfad Merinosocken, 3 Paar"]),
    )
    limit, unit = field_limit("google", "headline")
    with backend(tenants.a.workspace_id) as b:
        [first] = ask(b)
        assert first == too_long and length(first, unit) > limit
        reason = f"{length(first, unit)} characters, the limit is {limit}"
        [second] = ask(b, reason=reason)
    assert length(second, unit) <= limit
    assert len(server.requests) == 2  # a new request, not the cached refusal
    assert reason in server.requests[1].user_text
    assert "Write new variants that fix this" in server.requests[1].user_text
    assert reason not in server.requests[0].user_text


def test_429_waits_as_long_as_retry_after_says(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    server.add(
        Reply(status=429, body=RATE_LIMITED, headers={"Retry-After": "7"}),
        variants_reply(["Warme Füße auf jedem Trail"]),
    )
    with backend(tenants.a.workspace_id) as b:
        assert ask(b) == ["Warme Füße auf jedem Trail"]
        assert b.client.waits == [7.0]
    assert len(server.requests) == 2
    assert len(usage_rows(tenants.a.workspace_id)) == 1  # only the answer is billed


def test_a_retry_after_longer_than_the_longest_wait_is_an_error_at_once(tenants, server):
    configure(tenants.a.workspace_id, server.base_url)
    server.add(Reply(status=429, body=RATE_LIMITED, headers={"Retry-After": "3600"}))
    with backend(tenants.a.workspace_id) as b, pytest.raises(LlmUnavailable) as caught:
        ask(b)
    assert "asks to wait 3600 seconds" in caught.value.message
    assert "Rate limit reached" in caught.value.message
    assert len(server.requests) == 1 and b.client.waits == []


def test_500_and_503_back_off_exponentially(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    server.add(
        Reply(status=500, body=SERVER_ERROR),
        Reply(status=503, body=DEEPSEEK_BUSY),
        Reply(status=502, raw="<html><body><h1>502 Bad Gateway</h1></body></html>"),
        variants_reply(["Socken für Gipfelstürmer"]),
    )
    with backend(tenants.a.workspace_id) as b:
        b.client.base_delay = 0.5
        assert ask(b) == ["Socken für Gipfelstürmer"]
        assert b.client.waits == [0.5, 1.0, 2.0]


def test_a_timeout_is_retried(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url, timeout=0.3)
    server.add(Reply(body=completion('{"variants": ["zu spät"]}'), delay=1.5))
    server.add(variants_reply(["Rechtzeitig da"]))
    with backend(tenants.a.workspace_id) as b:
        assert ask(b) == ["Rechtzeitig da"]
        assert len(b.client.waits) == 1
    assert len(server.requests) == 2


def test_gives_up_after_the_last_attempt_with_the_providers_words(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url, attempts=3)
    server.add(*(Reply(status=500, body=SERVER_ERROR) for _ in range(3)))
    with backend(tenants.a.workspace_id) as b, pytest.raises(LlmUnavailable) as caught:
        ask(b)
    message = caught.value.message
    assert "after 3 attempts" in message and server.base_url in message
    assert "HTTP 500: The server had an error" in message
    assert len(server.requests) == 3
    assert usage_rows(tenants.a.workspace_id) == []


def test_429_on_every_attempt_is_a_clear_error(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url, attempts=2)
    server.add(*(Reply(status=429, body=RATE_LIMITED, headers={"Retry-After": "1"}),) * 2)
    with backend(tenants.a.workspace_id) as b, pytest.raises(LlmUnavailable) as caught:
        ask(b)
    assert "HTTP 429: Rate limit reached" in caught.value.message
    assert caught.value.details["status"] == 429


def test_a_wrong_key_is_not_retried(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    server.add(Reply(status=401, body=BAD_KEY))
    with backend(tenants.a.workspace_id) as b, pytest.raises(LlmRefused) as caught:
        ask(b)
    assert "HTTP 401" in caught.value.message and "Incorrect API key" in caught.value.message
    assert len(server.requests) == 1


def test_a_page_that_is_not_chat_completions_names_the_url(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    server.add(Reply(raw="<html><title>Welcome to nginx!</title></html>"))
    with backend(tenants.a.workspace_id) as b, pytest.raises(LlmRefused) as caught:
        ask(b)
    assert "chat-completions format" in caught.value.message
    assert "Welcome to nginx" in caught.value.message


def test_malformed_json_is_reasked_once_with_the_error(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    broken = 'Here are your headlines: {"variants": ["Warm und trocken", '
    server.add(
        Reply(body=completion(broken)),
        variants_reply(["Warm und trocken", "Merino für Wanderer"]),
    )
    with backend(tenants.a.workspace_id) as b:
        assert ask(b) == ["Warm und trocken", "Merino für Wanderer"]
    retry = server.requests[1].body["messages"]
    assert retry[-2] == {"role": "assistant", "content": broken}
    assert "not valid JSON" in retry[-1]["content"]
    assert len(usage_rows(tenants.a.workspace_id)) == 2  # both replies are billed


def test_a_reply_cut_off_at_max_tokens_is_reasked_saying_so(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    server.add(
        Reply(body=completion('{"variants": ["Warm und tro', finish_reason="length")),
        variants_reply(["Warm und trocken"]),
    )
    with backend(tenants.a.workspace_id) as b:
        assert ask(b) == ["Warm und trocken"]
    assert "cut off at max_tokens" in server.requests[1].body["messages"][-1]["content"]


def test_json_of_the_wrong_shape_is_reasked_naming_the_field(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    server.add(
        Reply(body=completion('{"headlines": ["Warm und trocken"]}')),
        variants_reply(["Warm und trocken"]),
    )
    with backend(tenants.a.workspace_id) as b:
        assert ask(b) == ["Warm und trocken"]
    assert "variants: Field required" in server.requests[1].body["messages"][-1]["content"]


def test_malformed_twice_is_a_clear_error(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    server.add(
        Reply(body=completion("Sure! Here you go:")),
        Reply(body=completion('{"variants": []}')),
    )
    with backend(tenants.a.workspace_id) as b, pytest.raises(LlmBadAnswer) as caught:
        ask(b)
    assert "gpt-4o-mini did not reply with the JSON asked for, twice" in caught.value.message
    assert "variants" in caught.value.message
    with session_scope() as session:  # nothing cached from a bad answer
        assert session.scalars(select(ContentLlmCache)).all() == []


def test_a_fenced_reply_from_a_local_model_is_read(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url, api_key=None)
    fenced = '```json\n{"variants": ["Merinosocken  für\\njede Tour"]}\n```'
    server.add(Reply(body=ollama_completion(fenced)))
    with backend(tenants.a.workspace_id) as b:
        assert ask(b) == ["Merinosocken für jede Tour"]  # whitespace folded
    assert "authorization" not in server.requests[0].headers  # Ollama needs no key
    [row] = usage_rows(tenants.a.workspace_id)
    assert (row.model, row.prompt_tokens, row.completion_tokens) == ("qwen2.5:7b", 187, 41)


def test_an_identical_request_is_answered_from_the_cache(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    configure(tenants.b.workspace_id, server.base_url)
    server.add(variants_reply(["Eins"]), variants_reply(["Zwei"]), variants_reply(["Drei"]))
    with backend(tenants.a.workspace_id) as b:
        assert ask(b) == ["Eins"]
        assert ask(b) == ["Eins"]
        assert b.cache_hits == 1 and b.sent == 1
        assert ask(b, n=2) == ["Zwei"]  # other parameters: another request
    with backend(tenants.b.workspace_id) as other:
        assert ask(other) == ["Drei"]  # another workspace never reads A's cache
    assert len(server.requests) == 3
    rows = usage_rows(tenants.a.workspace_id)
    assert [r.cached for r in rows] == [False, True, False]
    assert rows[1].cost == 0 and rows[1].prompt_tokens == 0
    assert rows[0].request_hash == rows[1].request_hash != rows[2].request_hash
    with session_scope() as session:
        hits = session.scalars(
            select(ContentLlmCache.hits).where(
                ContentLlmCache.workspace_id == tenants.a.workspace_id
            )
        ).all()
    assert sorted(hits) == [0, 1]


def test_tokens_and_cost_are_accounted_per_workspace(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url, budget="20")
    server.add(
        variants_reply(["Eins"], prompt_tokens=212, completion_tokens=58),
        variants_reply(["Zwei"], prompt_tokens=1000, completion_tokens=1000),
    )
    with backend(tenants.a.workspace_id) as b:
        ask(b)
        ask(b, title="Alpaca socks")
        ask(b)  # cached
    costs = [r.cost for r in usage_rows(tenants.a.workspace_id)]
    # 212 × 0.15/1k + 58 × 0.60/1k = 0.0318 + 0.0348; 1k × 0.15/1k + 1k × 0.60/1k
    assert costs == [Decimal("0.066600"), Decimal("0.750000"), Decimal(0)]
    with session_scope() as session:
        config = load_config(session, tenants.a.workspace_id)
        report = usage_report(session, config, NOW)
        other = usage_report(session, replace(config, workspace_id=tenants.b.workspace_id), NOW)
    assert (report.requests, report.sent, report.cached) == (3, 2, 1)
    assert (report.prompt_tokens, report.completion_tokens) == (1212, 1058)
    assert report.cost == Decimal("0.816600") and report.currency == "USD"
    assert report.remaining == Decimal("19.183400") and report.month == "2026-12"
    assert report.cache_entries == 2
    assert other.requests == 0 and other.cost == 0


def test_the_monthly_budget_cap_stops_requests_before_sending(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url, budget="0.10")
    with backend(tenants.a.workspace_id) as b:
        for title in ("Socks one", "Socks two"):  # 0.0666 each: under the cap before each
            server.add(variants_reply(["Eins"]))
            ask(b, title=title)
        with pytest.raises(LlmBudgetExceeded) as caught:
            ask(b, title="Socks three")
        assert len(server.requests) == 2  # the third was never sent
        message = caught.value.message
        assert "budget of 0.10 USD a month" in message and "0.13 USD spent in 2026-12" in message
        assert caught.value.details["spent"] == "0.133200"
        assert ask(b, title="Socks one") == ["Eins"]  # a cache hit costs nothing: still served
    december = usage_rows(tenants.a.workspace_id)
    assert sum(r.cost for r in december) == Decimal("0.133200")
    january = datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC)
    server.add(variants_reply(["Neues Jahr"]))
    with backend(tenants.a.workspace_id, clock=lambda: january) as b:
        assert ask(b, title="Socks three") == ["Neues Jahr"]  # a new month, a new budget


def test_the_budget_is_checked_again_before_the_reask(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url, budget="0.05")
    server.add(Reply(body=completion("not json", prompt_tokens=212, completion_tokens=58)))
    with backend(tenants.a.workspace_id) as b, pytest.raises(LlmBudgetExceeded):
        ask(b)
    assert len(server.requests) == 1


def test_the_api_key_is_stored_encrypted(tenants, server) -> None:
    configure(tenants.a.workspace_id, server.base_url)
    with session_scope() as session:
        row = session.scalar(select(ContentLlmSettings))
        assert row.api_key_enc and KEY not in row.api_key_enc
        assert load_config(session, tenants.a.workspace_id).api_key == KEY
        save_settings(  # a new budget keeps the key
            session,
            workspace_id=tenants.a.workspace_id,
            settings=LlmSettingsIn(base_url=server.base_url, model="m", monthly_budget=5),
            api_key=None,
            actor="test",
        )
        assert load_config(session, tenants.a.workspace_id).api_key == KEY


def test_no_provider_set_says_how_to_set_one(tenants) -> None:
    with pytest.raises(LlmNotConfigured) as caught:
        LlmBackend(tenants.a.workspace_id)
    assert "tradewinds llm set" in caught.value.message


def test_the_client_alone_speaks_to_vllm_style_servers(server) -> None:
    server.add(Reply(body=completion(json.dumps({"variants": ["a"]}), model="Qwen/Qwen2.5-7B")))
    with ChatClient(base_url=server.base_url, model="Qwen/Qwen2.5-7B") as client:
        answer = client.complete(
            [{"role": "user", "content": "hi"}], temperature=0.2, max_tokens=50
        )
    assert answer.model == "Qwen/Qwen2.5-7B" and answer.prompt_tokens == 212
    assert server.requests[0].body["max_tokens"] == 50


def test_concurrent_requests_are_each_accounted_once(tenants, server) -> None:
    from concurrent.futures import ThreadPoolExecutor

    configure(tenants.a.workspace_id, server.base_url, budget="20")
    titles = [f"Socks {i}" for i in range(30)]
    with backend(tenants.a.workspace_id) as b, ThreadPoolExecutor(max_workers=20) as pool:
        firsts = list(pool.map(lambda t: ask(b, title=t), titles))
        repeats = list(pool.map(lambda t: ask(b, title=t), titles[:10]))
    assert repeats == firsts[:10]  # the cached answers
    assert b.sent == len(server.requests) == 30 and b.cache_hits == 10
    rows = usage_rows(tenants.a.workspace_id)
    assert sum(not r.cached for r in rows) == 30 and sum(r.cached for r in rows) == 10
    with session_scope() as session:
        report = usage_report(session, load_config(session, tenants.a.workspace_id), NOW)
    assert report.cache_entries == 30
    assert report.cost == sum((r.cost for r in rows), Decimal(0)) > 0
