"""`tradewinds llm set` and `tradewinds llm usage` (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tradewinds.cli.main import app
from tradewinds.content.llm import LlmBackend
from tradewinds.content.models import Glossary, Product
from tradewinds.db.engine import session_scope
from tradewinds.db.models.audit import AuditEntry
from tradewinds.db.models.content_llm import ContentLlmSettings

from .llm_server import ChatServer, variants_reply

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env={"TRADEWINDS_LANG": "en", **(env or {})})


def test_set_stores_the_provider_with_the_key_from_the_environment(tenants) -> None:
    result = run(
        "llm", "set", "--workspace", tenants.a.name,
        "--base-url", "https://api.deepseek.com/v1/", "--model", "deepseek-chat",
        "--api-key-env", "DEEPSEEK_KEY", "--price-input", "0.00027",
        "--price-output", "0.0011", "--budget", "20", "--currency", "usd", "--json",
        env={"DEEPSEEK_KEY": "sk-deepseek-secret"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["base_url"] == "https://api.deepseek.com/v1"
    assert shown["monthly_budget"] == "20.00" and shown["currency"] == "USD"
    assert shown["has_api_key"] is True and "sk-deepseek-secret" not in result.stdout
    with session_scope() as session:
        row = session.scalar(select(ContentLlmSettings))
        assert row.price_input_per_1k == Decimal("0.00027")
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "content.llm.settings")
        ).one()
        assert "sk-deepseek-secret" not in json.dumps(entry.details)


def test_set_refuses_an_unset_key_variable_and_a_bad_url(tenants) -> None:
    base = ["llm", "set", "--workspace", tenants.a.name, "--model", "gpt-4o-mini"]
    result = run(*base, "--base-url", "https://api.openai.com/v1", "--api-key-env", "NOPE_KEY")
    assert result.exit_code == 1
    assert "NOPE_KEY is empty or not set" in result.output
    result = run(*base, "--base-url", "api.openai.com/v1")
    assert result.exit_code == 1 and "--base-url: " in result.output
    assert "http:// or https://" in result.output
    result = run(*base, "--base-url", "http://127.0.0.1:11434/v1", "--budget", "twenty")
    assert result.exit_code == 1 and "--budget: twenty is not a number" in result.output
    result = run(*base, "--base-url", "http://127.0.0.1:11434/v1", "--budget", "-1")
    assert result.exit_code == 1 and "--budget: " in result.output
    with session_scope() as session:
        assert session.scalars(select(ContentLlmSettings)).all() == []


def test_usage_shows_the_months_requests_cost_and_budget(tenants) -> None:
    with ChatServer() as server:
        result = run(
            "llm", "set", "-w", tenants.a.name, "--base-url", server.base_url,
            "--model", "qwen2.5:7b", "--price-input", "0.15", "--price-output", "0.60",
            "--budget", "20",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "writes with qwen2.5:7b" in result.stdout
        assert "Monthly budget: 20.00 USD" in result.stdout and "No API key" in result.stdout
        server.add(variants_reply(["Eins"]))
        product = Product(id="p1", title="Socks")
        with LlmBackend(tenants.a.workspace_id) as backend:
            for _ in range(2):
                backend.candidates(
                    product, "DE", "de", "meta", "headline", 3, "neutral", Glossary()
                )
    result = run("llm", "usage", "-w", tenants.a.name, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["requests"], report["sent"], report["cached"]) == (2, 1, 1)
    assert report["cost"] == "0.066600" and report["remaining"] == "19.933400"
    text = run("llm", "usage", "-w", tenants.a.name).stdout
    assert "2 requests (1 sent, 1 from the cache)" in text and "cost 0.0666 USD" in text
    assert "19.93 USD left" in text
    assert run("llm", "usage", "-w", tenants.a.name, "--month", "2020-01", "--json").exit_code == 0
    assert (
        json.loads(
            run("llm", "usage", "-w", tenants.a.name, "--month", "2020-01", "--json").stdout
        )["requests"]
        == 0
    )


def test_usage_without_a_provider_says_how_to_set_one(tenants) -> None:
    result = run("llm", "usage", "-w", tenants.b.name)
    assert result.exit_code == 1 and "tradewinds llm set" in result.output
    result = run("llm", "usage", "-w", tenants.b.name, "--month", "13/2026")
    assert result.exit_code == 1 and "not a month" in result.output


@pytest.mark.parametrize("lang", ["de", "ja"])
def test_the_commands_speak_the_sellers_language(tenants, lang: str) -> None:
    result = run(
        "llm", "set", "-w", tenants.a.name, "--base-url", "http://127.0.0.1:11434/v1",
        "--model", "llama3.1", env={"TRADEWINDS_LANG": lang},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "llama3.1" in result.stdout and "writes with" not in result.stdout
