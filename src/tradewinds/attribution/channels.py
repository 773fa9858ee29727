"""Channel grouping: rules (data, in YAML) that name the channel of each touch."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULT_RULES_FILE = Path(__file__).with_name("channel_rules.yaml")
Field_ = Literal[
    "source",
    "medium",
    "campaign",
    "gclid",
    "fbclid",
    "ttclid",
    "referrer",
    "referrer_host",
    "landing_url",
    "channel",
]
FIELDS: tuple[str, ...] = Field_.__args__  # type: ignore[attr-defined]


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: Field_
    present: bool | None = None
    equals: list[str] | None = None
    matches: str | None = None
    domain_in: list[str] | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [
            self.present is not None,
            self.equals is not None,
            self.matches is not None,
            self.domain_in is not None,
        ]
        if sum(tests) != 1:
            raise ValueError("a condition needs exactly one of present, equals, matches, domain_in")
        if self.matches is not None:
            try:
                re.compile(self.matches)
            except re.error as exc:
                raise ValueError(f"bad regular expression {self.matches!r}: {exc}") from exc
        return self

    def holds(self, value: str) -> bool:
        if self.present is not None:
            return bool(value) == self.present
        if not value:
            return False
        if self.equals is not None:
            return value.casefold() in {e.casefold() for e in self.equals}
        if self.matches is not None:
            return _regex(self.matches).search(value) is not None
        host = value.casefold()
        for domain in self.domain_in or ():
            d = domain.casefold()
            if d.endswith("."):
                if host.startswith(d) or f".{d}" in host:
                    return True
            elif host == d or host.endswith("." + d) or (d in host and "." not in d):
                return True
        return False


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: str = Field(min_length=1)
    when: list[Condition] = Field(default_factory=list)


class ChannelRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    spend_channels: dict[str, str] = Field(default_factory=dict)
    rules: list[Rule]

    def spend_channel(self, platform: str) -> str:
        return self.spend_channels.get(platform.strip().casefold(), platform.strip().casefold())

    def channel_of(self, touch: Mapping[str, Any]) -> str:
        values = touch_fields(touch)
        for rule in self.rules:
            if all(c.holds(values[c.field]) for c in rule.when):
                return rule.channel
        return "other"


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _host(url: str) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    except ValueError:
        return ""


def touch_fields(touch: Mapping[str, Any]) -> dict[str, str]:
    """The fields rules can look at, as trimmed strings ('' when missing)."""
    values = {}
    for name in FIELDS:
        raw = touch.get(name)
        missing = raw is None or (isinstance(raw, float) and raw != raw)
        values[name] = "" if missing else str(raw).strip()
    if not values["referrer_host"]:
        values["referrer_host"] = _host(values["referrer"])
    return values


class ChannelRulesError(ValueError):
    pass


def load_rules(path: Path | str | None = None) -> ChannelRules:
    """Read and validate a rules file (the packaged default when ``path`` is None)."""
    file = Path(path) if path is not None else DEFAULT_RULES_FILE
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ChannelRulesError(f"{file}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ChannelRulesError(f"{file}: not valid YAML ({exc})") from None
    try:
        return ChannelRules.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ChannelRulesError(f"{file}: {where}: {first['msg']}") from None


def group_channels(touches: pd.DataFrame, rules: ChannelRules) -> pd.Series:
    """The channel of every row of a touchpoints frame.

    Rules run once per distinct combination of what they look at: a field that rules only
    test for presence (click ids, usually) is reduced to present/absent first, and a referrer
    to its host when only the host is tested, so a million touches need a few thousand rule
    evaluations.
    """
    if touches.empty:
        return pd.Series([], dtype=object, index=touches.index)
    columns = [c for c in FIELDS if c in touches.columns]
    keys = touches[columns].astype(object).where(touches[columns].notna(), None)
    by_value = {c.field for rule in rules.rules for c in rule.when if c.present is None}
    for column in columns:
        if column == "referrer" and "referrer" not in by_value:
            if "referrer_host" in by_value:
                keys[column] = keys[column].map(lambda v: f"//{_host(str(v))}" if v else None)
            else:
                keys[column] = keys[column].map(lambda v: "x" if v and str(v).strip() else None)
        elif column not in by_value:
            keys[column] = keys[column].map(lambda v: "x" if v and str(v).strip() else None)
    group = keys.fillna("\x00").groupby(columns, sort=False).ngroup().to_numpy()
    first_rows = np.unique(group, return_index=True)[1]
    names = np.empty(len(first_rows), dtype=object)
    for row in first_rows:
        values = keys.iloc[row]
        names[group[row]] = rules.channel_of(dict(zip(columns, values, strict=True)))
    return pd.Series(names[group], index=touches.index, dtype=object)
