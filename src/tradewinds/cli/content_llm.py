"""`tradewinds llm …`: the LLM provider the content studio writes ad copy with.

A top-level group of its own (``content`` is the studio's group): ``llm set`` configures a
workspace's OpenAI-compatible chat-completions endpoint, ``llm usage`` shows a month's
tokens, cost and budget.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

import typer

from tradewinds.cli.context import WorkspaceOption
from tradewinds.cli.language import gettext as _
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.i18n_markers import Text

llm_group = typer.Typer(
    help=_("The LLM provider that writes ad copy (any OpenAI-compatible chat API)."),
    no_args_is_help=True,
)

_OPTIONS = {
    "base_url": "--base-url",
    "model": "--model",
    "price_input_per_1k": "--price-input",
    "price_output_per_1k": "--price-output",
    "monthly_budget": "--budget",
    "currency": "--currency",
    "timeout_seconds": "--timeout",
    "max_attempts": "--attempts",
}


def _decimal(value: str | None, option: str, as_json: bool) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        fail(
            Text("%(option)s: %(value)s is not a number", option=option, value=value),
            as_json=as_json,
            code="invalid_input",
        )
        raise  # unreachable: fail() exits


@llm_group.command("set", help=_("Set the workspace's LLM provider, prices and monthly budget."))
def set_provider(
    workspace: str = WorkspaceOption,
    base_url: str = typer.Option(
        ...,
        "--base-url",
        help=_("the API's base URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1"),
    ),
    model: str = typer.Option(..., "--model", help=_("the model name, e.g. gpt-4o-mini")),
    api_key_env: str | None = typer.Option(
        None,
        "--api-key-env",
        metavar="VAR",
        help=_("environment variable holding the API key (stored encrypted)"),
    ),
    no_api_key: bool = typer.Option(
        False, "--no-api-key", help=_("remove the stored key (local servers need none)")
    ),
    price_input: str = typer.Option("0", "--price-input", help=_("price per 1,000 input tokens")),
    price_output: str = typer.Option(
        "0", "--price-output", help=_("price per 1,000 output tokens")
    ),
    budget: str | None = typer.Option(
        None, "--budget", help=_("monthly budget; no request is sent once it is spent")
    ),
    currency: str = typer.Option("USD", "--currency", help=_("currency of prices and budget")),
    timeout: float = typer.Option(60.0, "--timeout", help=_("seconds to wait for an answer")),
    attempts: int = typer.Option(4, "--attempts", help=_("tries per request, retries included")),
    as_json: bool = JsonOption,
) -> None:
    from pydantic import ValidationError

    from tradewinds.cli.context import cli_actor, resolve_workspace
    from tradewinds.content.llm_settings import LlmSettingsIn, save_settings
    from tradewinds.db.engine import session_scope
    from tradewinds.errors import TradewindsError

    api_key = None
    if api_key_env:
        api_key = os.environ.get(api_key_env, "").strip()
        if not api_key:
            fail(
                Text(
                    "the environment variable %(name)s is empty or not set; "
                    "put the API key in it first",
                    name=api_key_env,
                ),
                as_json=as_json,
                code="invalid_input",
            )
    try:
        settings = LlmSettingsIn(
            base_url=base_url,
            model=model,
            price_input_per_1k=_decimal(price_input, "--price-input", as_json),
            price_output_per_1k=_decimal(price_output, "--price-output", as_json),
            monthly_budget=_decimal(budget, "--budget", as_json),
            currency=currency,
            timeout_seconds=timeout,
            max_attempts=attempts,
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        option = _OPTIONS.get(str(error["loc"][0]) if error["loc"] else "", "")
        fail(f"{option}: {error['msg']}", as_json=as_json, code="invalid_input")
        return
    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            public = save_settings(
                session,
                workspace_id=ws.id,
                settings=settings,
                api_key=api_key,
                keep_key=not no_api_key,
                actor=cli_actor(),
            )
            name = ws.name
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    if as_json:
        emit_json({"workspace": name, **public.model_dump(mode="json")})
        return
    typer.echo(
        _(
            "%(workspace)s writes with %(model)s at %(url)s.",
            workspace=name,
            model=public.model,
            url=public.base_url,
        )
    )
    typer.echo(_budget_line(public.monthly_budget, public.currency))
    if not public.has_api_key:
        typer.echo(_("No API key is stored (fine for a local Ollama or vLLM)."))


def _budget_line(budget: Decimal | None, currency: str) -> str:
    if budget is None:
        return _("No monthly budget: requests are never refused for cost.")
    return _(
        "Monthly budget: %(budget)s %(currency)s; no request is sent once it is spent.",
        budget=format(budget, ",.2f"),
        currency=currency,
    )


@llm_group.command("usage", help=_("Show a month's LLM requests, tokens, cost and budget."))
def usage(
    workspace: str = WorkspaceOption,
    month: str | None = typer.Option(
        None, "--month", metavar="YYYY-MM", help=_("the month (default: this month, UTC)")
    ),
    as_json: bool = JsonOption,
) -> None:
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.content.llm_settings import load_config
    from tradewinds.content.llm_usage import usage_report
    from tradewinds.db.engine import session_scope
    from tradewinds.errors import TradewindsError

    when = datetime.now(UTC)
    if month is not None:
        try:
            when = datetime.strptime(month.strip() + "-15", "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            fail(
                Text("--month: %(value)s is not a month (YYYY-MM)", value=month),
                as_json=as_json,
                code="invalid_input",
            )
    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            config = load_config(session, ws.id)
            report = usage_report(session, config, when)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    if as_json:
        emit_json({"workspace": ws.name, "model": config.model, **report.model_dump(mode="json")})
        return
    typer.echo(
        _(
            "%(month)s, %(model)s: %(requests)s requests (%(sent)s sent, %(cached)s from the "
            "cache), %(input)s input and %(output)s output tokens, cost %(cost)s %(currency)s.",
            month=report.month,
            model=config.model,
            requests=format(report.requests, ","),
            sent=format(report.sent, ","),
            cached=format(report.cached, ","),
            input=format(report.prompt_tokens, ","),
            output=format(report.completion_tokens, ","),
            cost=format(report.cost, ",.4f"),
            currency=report.currency,
        )
    )
    if report.budget is not None and report.remaining is not None:
        typer.echo(
            _(
                "Budget %(budget)s %(currency)s: %(remaining)s %(currency)s left.",
                budget=format(report.budget, ",.2f"),
                remaining=format(report.remaining, ",.2f"),
                currency=report.currency,
            )
        )
    else:
        typer.echo(_budget_line(None, report.currency))


def register(app: typer.Typer) -> None:
    app.add_typer(llm_group, name="llm")
