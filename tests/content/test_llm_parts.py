"""The LLM backend's pure parts: Retry-After, provider messages, the prompt file, field
limits and the settings' validation."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from tradewinds.content.llm_client import provider_message, retry_after
from tradewinds.content.llm_prompt import (
    CandidatesAnswer,
    PromptError,
    candidate_messages,
    field_limit,
    language_name,
    load_prompt,
)
from tradewinds.content.llm_settings import LlmConfig, LlmSettingsIn
from tradewinds.content.llm_usage import month_start, next_month_start, request_hash
from tradewinds.content.models import Glossary, Product


def response(status: int, *, headers: dict[str, str] | None = None, **kwargs) -> httpx.Response:  # noqa: ANN003
    return httpx.Response(status, headers=headers, **kwargs)


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    now = datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC)
    assert retry_after(response(429, headers={"Retry-After": "20"})) == 20.0
    date = {"Retry-After": "Thu, 03 Dec 2026 12:00:30 GMT"}
    assert retry_after(response(429, headers=date), now=now) == 30.0
    assert retry_after(response(429, headers={"Retry-After": "soon"})) is None
    assert retry_after(response(429)) is None


def test_the_providers_own_message_is_quoted() -> None:
    body = {"error": {"message": "Model not found: gpt-5-nano", "type": "invalid_request"}}
    assert provider_message(response(404, json=body)) == "Model not found: gpt-5-nano"
    assert provider_message(response(404, json={"error": "model 'x' not found"})) == (
        "model 'x' not found"
    )  # Ollama's shape
    assert provider_message(response(502, text="<h1>Bad Gateway</h1>")) == "<h1>Bad Gateway</h1>"


def test_field_limits_come_from_the_compliance_packs() -> None:
    assert field_limit("google", "headline") == (30, "width")
    assert field_limit("Google Ads", "Description 2") == (90, "width")
    assert field_limit("tiktok", "ad_text")[0] == 100
    assert field_limit("google", "no_such_field") is None


def test_the_prompt_names_the_limit_the_language_and_the_glossary() -> None:
    messages = candidate_messages(
        load_prompt(),
        product=Product(id="1", title="抹茶", price=Decimal("1200"), currency="JPY"),
        market="JP",
        language="ja",
        platform="tiktok",
        field="ad_text",
        n=5,
        tone="playful",
        glossary=Glossary(keep=["MatchaMori"]),
        reason=None,
    )
    user = messages[1]["content"]
    assert "5 different tiktok ad_text variants in Japanese" in user
    assert "at most 100 characters" in user and "1200 JPY" in user
    assert "MatchaMori" in user and "Never use" not in user
    assert language_name("pt-BR") == "Portuguese (Brazil)"
    assert language_name("xx-nowhere") == "xx-nowhere"


def test_a_broken_prompt_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("version: 1\ntemperature: 9\nsystem: s\nuser: u\n")
    with pytest.raises(PromptError) as caught:
        load_prompt("bad", directory=tmp_path)
    assert "bad.yaml" in str(caught.value)
    assert "temperature" in str(caught.value) and "repair: Field required" in str(caught.value)
    (tmp_path / "syntax.yaml").write_text(
        "version: 1\ntemperature: 1\nmax_tokens: 100\nsystem: '{% if %}'\nuser: u\nrepair: r\n"
    )
    with pytest.raises(PromptError, match=r"syntax\.yaml: system: "):
        load_prompt("syntax", directory=tmp_path)


def test_answers_are_cleaned_and_empty_ones_refused() -> None:
    answer = CandidatesAnswer.model_validate({"variants": [" a  b ", "a b", "c"], "note": "x"})
    assert answer.variants == ["a b", "c"]
    with pytest.raises(ValidationError):
        CandidatesAnswer.model_validate({"variants": ["ok", "  "]})


def test_settings_are_validated() -> None:
    ok = LlmSettingsIn(base_url="https://dashscope.aliyuncs.com/compatible-mode/v1/", model="q")
    assert ok.base_url == "https://dashscope.aliyuncs.com/compatible-mode/v1"
    pasted = LlmSettingsIn(base_url="https://api.openai.com/v1/chat/completions", model="m")
    assert pasted.base_url == "https://api.openai.com/v1"
    for bad in (
        {"base_url": "ftp://example.com/v1", "model": "m"},
        {"base_url": "https://example.com/v1?key=1", "model": "m"},
        {"base_url": "https://example.com/v1", "model": ""},
        {"base_url": "https://example.com/v1", "model": "m", "currency": "dollars"},
        {"base_url": "https://example.com/v1", "model": "m", "monthly_budget": "-5"},
    ):
        with pytest.raises(ValidationError):
            LlmSettingsIn.model_validate(bad)


def test_cost_is_exact_and_months_are_utc_calendar_months() -> None:
    config = LlmConfig(1, "u", "m", None, Decimal("0.15"), Decimal("0.6"), None, "USD", 1, 1)
    assert config.cost(212, 58) == Decimal("0.066600")
    assert config.cost(1, 1) == Decimal("0.000750")
    december = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)
    assert month_start(december) == datetime(2026, 12, 1, tzinfo=UTC)
    assert next_month_start(december) == datetime(2027, 1, 1, tzinfo=UTC)


def test_the_cache_key_covers_model_messages_and_parameters() -> None:
    messages = [{"role": "user", "content": "x"}]
    key = request_hash("m", messages, {"temperature": 0.7})
    assert key == request_hash("m", [{"content": "x", "role": "user"}], {"temperature": 0.7})
    assert key != request_hash("m2", messages, {"temperature": 0.7})
    assert key != request_hash("m", [{"role": "user", "content": "y"}], {"temperature": 0.7})
    assert key != request_hash("m", messages, {"temperature": 0.2})
