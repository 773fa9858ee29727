"""What the compliance API and CLI exchange: ads to check, findings, verdicts, rule packs
and the workspace's own packs."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator


class AdCheck(BaseModel):
    id: StrictStr | StrictInt | None = Field(default=None, description="echoed in the result")
    text: str = Field(max_length=20_000)
    market: str = Field(min_length=2, max_length=10, examples=["DE"])
    platform: str | None = Field(default=None, max_length=20, examples=["google"])
    field: str | None = Field(default=None, max_length=40, examples=["headline"])
    sponsored: StrictBool = False
    allow_terms: list[StrictStr] = Field(
        default_factory=list,
        max_length=50,
        description="registered trademarks, brand and product names the wording rules exempt "
        "(SAMR's 2023 guideline), e.g. a brand called 最佳拍档",
        examples=[["最佳拍档"]],
    )


# Checking costs time in proportion to the text (phone numbers above all): a batch carries
# at most this much ad text, so one request cannot hold the server for minutes.
MAX_BATCH_CHARACTERS = 200_000


class CheckRequest(BaseModel):
    ads: list[AdCheck] = Field(
        min_length=1,
        max_length=5_000,
        description=f"at most {MAX_BATCH_CHARACTERS:,} characters of text in all",
    )

    @model_validator(mode="after")
    def _within_budget(self) -> CheckRequest:
        total = sum(len(ad.text) for ad in self.ads)
        if total > MAX_BATCH_CHARACTERS:
            raise ValueError(
                f"the ads hold {total:,} characters of text; send at most "
                f"{MAX_BATCH_CHARACTERS:,} per request (split the batch)"
            )
        return self


class FindingPublic(BaseModel):
    rule_id: str
    pack: str
    market: str | None
    platform: str | None
    severity: Literal["block", "warn", "info"]
    category: str
    start: int
    end: int
    span: list[int]
    matched: str
    message: str
    reference: str
    suggested_fix: str | None


class CheckResultPublic(BaseModel):
    id: str | int | None
    verdict: Literal["block", "warn", "pass"]
    findings: list[FindingPublic]


class CheckResultsPublic(BaseModel):
    results: list[CheckResultPublic]


class FixResultPublic(CheckResultPublic):
    original: str
    fixed: str
    applied: list[FindingPublic]


class RulePublic(BaseModel):
    id: str
    kind: str
    severity: str
    category: str
    languages: list[str]
    message: str
    reference: str
    fixable: bool


class PackPublic(BaseModel):
    id: str
    title: str
    scope: str
    markets: list[str]
    platforms: list[str]
    extends: list[str]
    description: str
    sources: list[str]
    rules: list[RulePublic]


class UserPackCreate(BaseModel):
    yaml: str = Field(min_length=1, description="the rule pack as YAML (scope: user)")
    enabled: StrictBool = True


class UserPackUpdate(BaseModel):
    yaml: str | None = Field(default=None, min_length=1)
    enabled: StrictBool | None = None


class UserPackPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    pack_key: str
    title: str
    rule_count: int
    enabled: bool
    source: str
    created_by: str
    created_at: datetime
    updated_at: datetime
