"""The LLM backend's prompt, as data (``llm_prompts/*.yaml``), and the JSON it asks for.

The prompt states the field's limit the way the platform counts it, taken from the
compliance packs' length rules, so the model aims at the same number the checker uses.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tradewinds.content.models import Glossary, Product

PROMPTS_DIR = Path(__file__).resolve().parent / "llm_prompts"

UNIT_RULES = {
    "chars": "characters",
    "graphemes": "characters (each emoji or combined character counts as 1)",
    "bytes": "bytes of UTF-8",
    "width": "characters, where each Chinese, Japanese or Korean (full-width) character "
    "counts as 2",
}


class CandidatesAnswer(BaseModel):
    """What the model must reply: ``{"variants": ["…", …]}``."""

    model_config = ConfigDict(extra="ignore")

    variants: list[str] = Field(min_length=1, max_length=50)

    @field_validator("variants")
    @classmethod
    def _texts(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(v.split()) for v in value]
        if any(not v for v in cleaned):
            raise ValueError("a variant is empty")
        return list(dict.fromkeys(cleaned))  # drop repeats, keep the order


def answer_schema() -> dict[str, Any]:
    """The JSON schema put in the prompt (the model's reply is validated against it)."""
    return {
        "type": "object",
        "properties": {
            "variants": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "minItems": 1,
            }
        },
        "required": ["variants"],
        "additionalProperties": False,
    }


class PromptError(ValueError):
    """A prompt file that cannot be used (names the file and what is wrong)."""


class PromptTemplate(BaseModel):
    """One ``llm_prompts/<name>.yaml``."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    temperature: float = Field(ge=0, le=2)
    max_tokens: int = Field(ge=16, le=32_000)
    system: str = Field(min_length=1)
    user: str = Field(min_length=1)
    repair: str = Field(min_length=1)

    def render(self, part: str, **values: Any) -> str:
        return _compiled(getattr(self, part)).render(**values).strip()


@lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True
    )


@lru_cache(maxsize=64)
def _compiled(source: str) -> Template:
    return _environment().from_string(source)


def load_prompt(name: str = "candidates", *, directory: Path = PROMPTS_DIR) -> PromptTemplate:
    path = directory / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PromptError(f"{path}: cannot read the prompt: {exc}") from exc
    try:
        prompt = PromptTemplate.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()
        )
        raise PromptError(f"{path}: {problems}") from exc
    for part in ("system", "user", "repair"):
        try:
            _environment().from_string(getattr(prompt, part))
        except TemplateError as exc:
            raise PromptError(f"{path}: {part}: {exc}") from exc
    return prompt


_LIMITS_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _limits() -> dict[tuple[str, str], tuple[int, str]]:
    """(platform, field) → (limit, unit) from every platform pack's length rules."""
    from tradewinds.compliance.loader import builtin_packs
    from tradewinds.compliance.models import LengthRule

    table: dict[tuple[str, str], tuple[int, str]] = {}
    for pack in builtin_packs().values():
        if pack.scope != "platform":
            continue
        for rule in pack.rules:
            if isinstance(rule, LengthRule):
                for platform in pack.platforms:
                    for name, limit in rule.limits.items():
                        table.setdefault((platform, name), (limit, rule.unit))
    return table


def field_limit(platform: str, field: str) -> tuple[int, str] | None:
    """(limit, unit) of a platform field from the compliance packs' length rules."""
    from tradewinds.compliance.registry import canonical_field, canonical_platform

    with _LIMITS_LOCK:  # the packs are read once, not by every thread that starts at once
        table = _limits()
    return table.get((canonical_platform(platform) or "", canonical_field(field) or ""))


def language_name(language: str) -> str:
    """``pt-BR`` → ``Portuguese (Brazil)``; the code itself when Babel does not know it."""
    try:
        return Locale.parse(language.replace("-", "_")).get_display_name("en") or language
    except (UnknownLocaleError, ValueError):
        return language


def candidate_messages(
    prompt: PromptTemplate,
    *,
    product: Product,
    market: str,
    language: str,
    platform: str,
    field: str,
    n: int,
    tone: str,
    glossary: Glossary,
    reason: str | None,
) -> list[dict[str, str]]:
    """The chat messages asking for ``n`` variants (the reason of a refusal included)."""
    limit = field_limit(platform, field)
    preferred = glossary.preferred.get(language) or glossary.preferred.get(
        language.split("-")[0], {}
    )
    values = {
        "product": product.model_dump(),
        "market": market,
        "language": language,
        "language_name": language_name(language),
        "platform": platform,
        "field": field,
        "limit": limit[0] if limit else None,
        "unit_rule": UNIT_RULES[limit[1]] if limit else "",
        "n": n,
        "tone": tone,
        "keep": glossary.keep,
        "preferred": preferred,
        "banned": glossary.banned,
        "reason": reason,
        "schema": json.dumps(answer_schema(), separators=(",", ":")),
    }
    return [
        {"role": "system", "content": prompt.render("system", **values)},
        {"role": "user", "content": prompt.render("user", **values)},
    ]


def repair_message(prompt: PromptTemplate, *, error: str, n: int) -> dict[str, str]:
    return {"role": "user", "content": prompt.render("repair", error=error, n=n)}
