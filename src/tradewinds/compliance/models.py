"""Rule packs as data: the pydantic models every YAML pack is validated against."""

from __future__ import annotations

from typing import Annotated, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tradewinds.i18n_markers import Text

Severity = Literal["block", "warn", "info"]
SEVERITY_ORDER: dict[str, int] = {"block": 2, "warn": 1, "info": 0}

# How a fix may rewrite a finding's span without changing what the ad claims.
Transform = Literal["remove", "lowercase", "capitalize", "first_char"]

LANGUAGE_CODES = {
    "en",
    "de",
    "fr",
    "es",
    "pt",
    "it",
    "nl",
    "pl",
    "sv",
    "da",
    "no",
    "fi",
    "cs",
    "hu",
    "tr",
    "ru",
    "zh",
    "ja",
    "ko",
    "th",
    "ar",
    "fa",
    "hi",
    "id",
    "ms",
    "vi",
    "fil",
    "any",
}


def _unknown_languages(codes: list[str]) -> Text:
    return Text("unknown language code(s): %(codes)s", codes=", ".join(codes))


class _RuleBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$", max_length=80)
    severity: Severity
    languages: list[str] = Field(default_factory=lambda: ["any"])
    message: str = Field(min_length=3)
    reference: str = Field(min_length=3)
    category: str = "general"
    fields: list[str] | None = Field(
        default=None, description="apply only when the ad field is one of these"
    )
    replacement: str | dict[str, str] | None = Field(
        default=None, description="safe replacement text (per language where a dict)"
    )
    transform: Transform | None = None
    replaces: list[str] = Field(
        default_factory=list, description="ids of broader rules this rule stands in for"
    )

    @field_validator("message", "reference")
    @classmethod
    def _tidy(cls, value: str) -> str:
        # a folded ``>`` message reads as one line; the catalogs extract it the same way
        return " ".join(value.split())

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - LANGUAGE_CODES)
        if unknown:
            raise ValueError(_unknown_languages(unknown))
        return value

    @model_validator(mode="after")
    def _one_fix(self) -> _RuleBase:
        if self.replacement is not None and self.transform is not None:
            raise ValueError(Text("give either a replacement or a transform, not both"))
        return self

    @property
    def fixable(self) -> bool:
        return self.replacement is not None or self.transform is not None


def _check_pattern(pattern: str) -> str:
    try:
        regex.compile(pattern, regex.V1)
    except regex.error as exc:
        raise ValueError(Text("invalid regular expression: %(problem)s", problem=str(exc))) from exc
    return pattern


class TermsRule(_RuleBase):
    """Terms per language: word boundaries where the script has them, substrings for CJK/Thai.

    A term ending in ``*`` matches any continuation of the word (a stem); European terms also
    match their common inflections. ``exclude`` lists phrases in which a hit does not count.
    """

    kind: Literal["terms"]
    terms: dict[str, list[str]]
    exclude: list[str] = Field(default_factory=list)
    inflect: bool = True

    @field_validator("terms")
    @classmethod
    def _terms(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(value) - LANGUAGE_CODES)
        if unknown:
            raise ValueError(_unknown_languages(unknown))
        if not any(value.values()):
            raise ValueError(Text("at least one term is required"))
        for terms in value.values():
            for term in terms:
                if not term.strip(" *"):
                    raise ValueError(Text("empty term"))
        return value


class RegexRule(_RuleBase):
    """A regular expression (``regex`` module syntax, V1), on the normalised or original text."""

    kind: Literal["regex"]
    pattern: str
    on: Literal["normalised", "original"] = "normalised"
    exclude: list[str] = Field(default_factory=list)

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        return _check_pattern(value)


class LengthRule(_RuleBase):
    """Maximum length per ad field, counted the platform's way."""

    kind: Literal["length"]
    unit: Literal["chars", "graphemes", "bytes", "width"]
    limits: dict[str, int]

    @field_validator("limits")
    @classmethod
    def _positive(cls, value: dict[str, int]) -> dict[str, int]:
        if not value or any(limit <= 0 for limit in value.values()):
            raise ValueError(Text("limits must be positive integers per field"))
        return value


class CapsRule(_RuleBase):
    """Words written entirely in capitals (acronyms in ``allow`` are fine)."""

    kind: Literal["caps"]
    min_length: int = 4
    shout_words: list[str] = Field(default_factory=list)
    allow: list[str] = Field(default_factory=list)


class DisclosureRule(_RuleBase):
    """When the copy is sponsored/influencer content one of these labels must appear."""

    kind: Literal["disclosure"]
    terms: dict[str, list[str]]
    prefix: str | None = Field(default=None, description="label the auto-fix puts in front")


class PiiRule(_RuleBase):
    """Personal data in the copy: e-mail addresses, phone numbers, Luhn-valid card numbers."""

    kind: Literal["pii"]
    detect: Literal["email", "phone", "card"]
    regions: list[str] = Field(default_factory=lambda: ["US"])


class ProfanityRule(_RuleBase):
    """Profanity and brand-safety terms from the packaged LDNOOBW lists plus extra terms."""

    kind: Literal["profanity"]
    lists: list[str]
    extra: dict[str, list[str]] = Field(default_factory=dict)
    exclude_terms: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(
        default_factory=list, description="phrases in which a listed word does not count"
    )


Rule = Annotated[
    TermsRule | RegexRule | LengthRule | CapsRule | DisclosureRule | PiiRule | ProfanityRule,
    Field(discriminator="kind"),
]


class RulePack(BaseModel):
    """One YAML file: a market, a platform, or a user's own pack."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=60)
    title: str
    scope: Literal["global", "market", "platform", "user"]
    markets: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    extends: list[str] = Field(default_factory=list)
    default_field: str | None = Field(
        default=None, description="platform field assumed when the caller names none"
    )
    description: str = ""
    sources: list[str] = Field(default_factory=list)
    version: str = "1"
    rules: list[Rule]

    @field_validator("title", "description")
    @classmethod
    def _tidy(cls, value: str) -> str:
        # as the catalogs extract it (web/i18n_catalogs.py), so the shown text finds its entry
        return " ".join(value.split())

    @model_validator(mode="after")
    def _unique_ids(self) -> RulePack:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(Text("duplicate rule id '%(id)s'", id=rule.id))
            seen.add(rule.id)
        return self
