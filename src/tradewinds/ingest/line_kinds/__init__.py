"""What an order line is: a product, or postage, a fee, a discount, an adjustment, a voucher.

Exports write charges that are not goods as order lines (Online Retail's ``POST`` postage,
``D`` discount, ``AMAZONFEE``…). Each storefront's rules live in a YAML file beside this
module (``<storefront>.yaml``), validated by :class:`LineRules`; a storefront without a
file has only product lines. :func:`classify` is pure: stock codes in, kinds out.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LineKind = Literal["product", "fee", "postage", "discount", "adjustment", "voucher"]
KINDS: tuple[str, ...] = ("product", "fee", "postage", "discount", "adjustment", "voucher")
PRODUCT = "product"
RULES_DIR = Path(__file__).resolve().parent


class LineRule(BaseModel):
    """Lines whose stock code is one of ``codes``, or matches ``pattern`` whole, are ``kind``.

    Codes and patterns are compared without regard to case (Online Retail writes ``M``
    and ``m`` for the same manual line)."""

    model_config = ConfigDict(extra="forbid")
    kind: LineKind
    codes: list[str] = Field(default_factory=list)
    pattern: str | None = None

    @field_validator("kind")
    @classmethod
    def not_product(cls, value: str) -> str:
        if value == PRODUCT:
            raise ValueError("rules name what is not a product; every other line is one")
        return value

    @field_validator("pattern")
    @classmethod
    def compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"pattern {value!r} is not a regular expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def says_what(self) -> LineRule:
        if not self.codes and self.pattern is None:
            raise ValueError("give codes, a pattern or both")
        return self


class LineRules(BaseModel):
    """One storefront's rules, first match wins."""

    model_config = ConfigDict(extra="forbid")
    storefront: str
    rules: list[LineRule]


def classify(skus: pa.Array | pa.ChunkedArray, rules: LineRules | None) -> pa.Array:
    """The kind of each line from its stock code; ``product`` where no rule matches."""
    if isinstance(skus, pa.ChunkedArray):
        skus = skus.combine_chunks()
    skus = pc.cast(skus, pa.string())
    kinds = pa.repeat(pa.scalar(PRODUCT), len(skus))
    if rules is None or not len(skus):
        return kinds
    upper = pc.utf8_upper(skus)
    for rule in reversed(rules.rules):  # later rules first, so that earlier ones win
        hit = pc.is_in(upper, value_set=pa.array([c.upper() for c in rule.codes], pa.string()))
        if rule.pattern is not None:
            hit = pc.or_(
                hit, pc.match_substring_regex(skus, f"^(?:{rule.pattern})$", ignore_case=True)
            )
        kinds = pc.if_else(pc.fill_null(hit, False), pa.scalar(rule.kind), kinds)
    return kinds


@cache
def rules_for(storefront: str) -> LineRules | None:
    """The storefront's rules (``line_kinds/<storefront>.yaml``), or None when it has none."""
    path = RULES_DIR / f"{storefront}.yaml"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", storefront) or not path.is_file():
        return None
    return LineRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
