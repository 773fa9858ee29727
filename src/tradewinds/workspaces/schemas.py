"""Validated workspace input: ISO 4217 currency, IANA timezone, known data region."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from zoneinfo import available_timezones

import yaml
from babel.numbers import list_currencies
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

REGIONS_FILE = Path(__file__).with_name("regions.yaml")


@lru_cache
def regions() -> dict[str, str]:
    return dict(yaml.safe_load(REGIONS_FILE.read_text()))


@lru_cache
def currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@lru_cache
def timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:60] or "workspace"


def validate_currency(v: str) -> str:
    code = v.strip().upper()
    if code not in currencies():
        raise ValueError(f"{v!r} is not an ISO 4217 currency code (e.g. GBP, EUR, USD)")
    return code


def validate_timezone(v: str) -> str:
    if v.strip() not in timezones():
        raise ValueError(f"{v!r} is not an IANA timezone (e.g. Europe/London)")
    return v.strip()


def validate_region(v: str) -> str:
    code = v.strip().lower()
    if code not in regions():
        raise ValueError(f"{v!r} is not a data region; choose one of {', '.join(regions())}")
    return code


def validate_name(v: str) -> str:
    v = v.strip()
    if not 1 <= len(v) <= 120:
        raise ValueError("the name must be 1 to 120 characters")
    return v


class WorkspaceCreate(BaseModel):
    name: str
    currency: str
    timezone: str
    region: str
    require_mfa: StrictBool = False

    _name = field_validator("name")(validate_name)

    _currency = field_validator("currency")(validate_currency)
    _timezone = field_validator("timezone")(validate_timezone)
    _region = field_validator("region")(validate_region)


# The OpenAPI document lists the codes and zones that are accepted, so a client (and a
# fuzzer) knows exactly which values pass.
CurrencyCode = Annotated[
    str, Field(json_schema_extra=lambda s: s.update(enum=sorted(currencies())))
]
TimezoneName = Annotated[str, Field(json_schema_extra=lambda s: s.update(enum=sorted(timezones())))]
# Not only spaces: the name's validator says so in plain words; the document says it as
# a pattern.
WorkspaceName = Annotated[
    str, Field(min_length=1, max_length=120, json_schema_extra={"pattern": r"\S"})
]


class WorkspaceUpdate(BaseModel):
    """What a workspace's owner or admin may change; the key (its data's name) stays."""

    name: WorkspaceName | None = Field(default=None, description="1 to 120 characters, unique")
    currency: CurrencyCode | None = None
    timezone: TimezoneName | None = None
    require_mfa: StrictBool | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, v: str | None) -> str | None:
        return None if v is None else validate_name(v)

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str | None) -> str | None:
        return None if v is None else validate_currency(v)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, v: str | None) -> str | None:
        return None if v is None else validate_timezone(v)


class WorkspacePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    key: str
    name: str
    currency: str
    timezone: str
    region: str
    require_mfa: bool
    created_at: datetime
