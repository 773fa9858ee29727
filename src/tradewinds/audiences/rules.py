"""Rule segments: a small text language for "who is in this audience", kept as data.

    country in [DE, FR] and orders >= 2 and last_order_days < 90
    segment = "Can't lose" or (p_alive < 0.3 and revenue > 500)
    not country in [US] and accepts_marketing = true

Grammar (keywords are case-insensitive)::

    rule       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | "(" rule ")" | comparison
    comparison := FIELD op value | FIELD ["not"] "in" "[" value ("," value)* "]"
    op         := "=" | "==" | "!=" | "<" | "<=" | ">" | ">="
    value      := number | true | false | bare-word | "quoted string" | 'quoted string'

``parse_rule`` turns text into a tree of frozen dataclasses, ``to_text`` turns a tree back
into canonical text (``parse_rule(to_text(rule)) == rule``), ``validate_rule`` checks fields
and types against a catalogue, and ``evaluate`` gives a boolean mask over a customer table.
Every error says where in the text it is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal, Union

import numpy as np
import pandas as pd

from tradewinds.i18n_markers import N_

Value = Union[bool, int, float, str]  # noqa: UP007 - used at runtime in isinstance checks
Op = Literal["=", "!=", "<", "<=", ">", ">="]
FieldType = Literal["string", "number", "bool"]

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})

# The customer attributes a rule can use; the service fills a table with these columns.
FIELDS: dict[str, tuple[FieldType, str]] = {
    "country": ("string", N_("shipping country of the latest order (ISO code)")),
    "market": ("string", N_("market the customer belongs to")),
    "storefront": ("string", N_("storefront of the latest order")),
    "segment": ("string", N_("RFM segment name")),
    "cluster": ("string", N_("behavioural cluster name")),
    "orders": ("number", N_("number of orders")),
    "revenue": ("number", N_("total spent, reporting currency")),
    "aov": ("number", N_("average order value, reporting currency")),
    "last_order_days": ("number", N_("days since the latest order")),
    "first_order_days": ("number", N_("days since the first order")),
    "r": ("number", N_("RFM recency score 1-5")),
    "f": ("number", N_("RFM frequency score 1-5")),
    "m": ("number", N_("RFM monetary score 1-5")),
    "clv": ("number", N_("predicted 12-month customer lifetime value")),
    "p_alive": ("number", N_("probability the customer is still active, 0-1")),
    "churn_risk": ("number", N_("1 - p_alive")),
    "accepts_marketing": ("bool", N_("customer consented to marketing")),
}


class RuleError(ValueError):
    """A rule that cannot be parsed or does not fit the fields; ``position`` is 0-based."""

    def __init__(self, message: str, *, text: str, position: int) -> None:
        self.message = message
        self.text = text
        self.position = position
        super().__init__(f"{message} at position {position + 1}")

    def pointer(self) -> str:
        """The rule text with a caret under the error position."""
        return f"{self.text}\n{' ' * self.position}^"


# --------------------------------------------------------------------------- structure


@dataclass(frozen=True)
class Comparison:
    field: str
    op: Op
    value: Value


@dataclass(frozen=True)
class Membership:
    field: str
    values: tuple[Value, ...]
    negated: bool = False


@dataclass(frozen=True)
class Not:
    item: Rule


@dataclass(frozen=True)
class And:
    items: tuple[Rule, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Rule, ...]


Rule = Union[Comparison, Membership, Not, And, Or]  # noqa: UP007


# --------------------------------------------------------------------------- text form

_BARE = re.compile(r"[^\W\d][\w\-.]*")
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.]))
      | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>==|!=|<=|>=|=|<|>)
      | (?P<punct>[\[\](),])
      | (?P<word>[^\W\d][\w\-.]*)
    )""",
    re.VERBOSE | re.DOTALL,
)


def _format_value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("rule values must be finite numbers")
        return repr(value)
    if _BARE.fullmatch(value) and value.lower() not in KEYWORDS:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrap(rule: Rule) -> str:
    """Text of a sub-rule, in parentheses when it is itself an and/or list."""
    text = to_text(rule)
    return f"({text})" if isinstance(rule, And | Or) else text


def to_text(rule: Rule) -> str:
    """Canonical text of a rule; ``parse_rule`` reads it back to an equal structure."""
    if isinstance(rule, Comparison):
        return f"{rule.field} {rule.op} {_format_value(rule.value)}"
    if isinstance(rule, Membership):
        values = ", ".join(_format_value(v) for v in rule.values)
        return f"{rule.field} {'not in' if rule.negated else 'in'} [{values}]"
    if isinstance(rule, Not):
        return f"not {_wrap(rule.item)}"
    if isinstance(rule, And):
        return " and ".join(_wrap(item) for item in rule.items)
    if isinstance(rule, Or):
        # "a and b or c" reads as (a and b) or c, so an and-list needs no parentheses here
        return " or ".join(
            to_text(item) if isinstance(item, And) else _wrap(item) for item in rule.items
        )
    raise TypeError(f"not a rule: {rule!r}")


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    pos: int


def _tokenise(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        match = _TOKEN.match(text, i)
        if not match or match.end() == i:
            raise RuleError(f"unexpected character {text[i]!r}", text=text, position=i)
        kind = match.lastgroup or ""
        start = match.start(kind)
        value = match.group(kind)
        if kind == "word" and value.lower() in KEYWORDS:
            kind = "kw"
            value = value.lower()
        tokens.append(_Tok(kind, value, start))
        i = match.end()
    tokens.append(_Tok("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenise(text)
        self.i = 0

    @property
    def tok(self) -> _Tok:
        return self.tokens[self.i]

    def error(self, message: str, tok: _Tok | None = None) -> RuleError:
        tok = tok or self.tok
        return RuleError(message, text=self.text, position=tok.pos)

    def take(self, kind: str, text: str | None = None) -> _Tok | None:
        tok = self.tok
        if tok.kind == kind and (text is None or tok.text == text):
            self.i += 1
            return tok
        return None

    def expect(self, kind: str, text: str, what: str) -> _Tok:
        tok = self.take(kind, text)
        if tok is None:
            found = self.tok.text or "end of rule"
            raise self.error(f"expected {what}, found {found!r}")
        return tok

    def parse(self) -> Rule:
        if self.tok.kind == "end":
            raise self.error("empty rule")
        rule = self.parse_or()
        if self.tok.kind != "end":
            raise self.error(f"expected 'and', 'or' or end of rule, found {self.tok.text!r}")
        return rule

    def parse_or(self) -> Rule:
        items = [self.parse_and()]
        while self.take("kw", "or"):
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Rule:
        items = [self.parse_not()]
        while self.take("kw", "and"):
            items.append(self.parse_not())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_not(self) -> Rule:
        if self.take("kw", "not"):
            return Not(self.parse_not())
        if self.take("punct", "("):
            rule = self.parse_or()
            self.expect("punct", ")", "')'")
            return rule
        return self.parse_comparison()

    def parse_comparison(self) -> Rule:
        tok = self.tok
        if tok.kind != "word":
            found = tok.text or "end of rule"
            raise self.error(f"expected a field name, found {found!r}")
        self.i += 1
        field = tok.text
        negated = False
        if self.tok.kind == "kw" and self.tok.text == "not":
            self.i += 1
            negated = True
            self.expect("kw", "in", "'in' after 'not'")
            return self.parse_list(field, negated)
        if self.take("kw", "in"):
            return self.parse_list(field, negated)
        op_tok = self.take("op")
        if op_tok is None:
            found = self.tok.text or "end of rule"
            raise self.error(
                f"expected a comparison (=, !=, <, <=, >, >=, in) after {field!r}, found {found!r}"
            )
        op = "=" if op_tok.text == "==" else op_tok.text
        return Comparison(field, op, self.parse_value())  # type: ignore[arg-type]

    def parse_list(self, field: str, negated: bool) -> Membership:
        self.expect("punct", "[", "'[' to start the list")
        values = [self.parse_value()]
        while self.take("punct", ","):
            values.append(self.parse_value())
        self.expect("punct", "]", "',' or ']'")
        return Membership(field, tuple(values), negated)

    def parse_value(self) -> Value:
        tok = self.tok
        if tok.kind == "number":
            self.i += 1
            if re.fullmatch(r"-?\d+", tok.text):
                return int(tok.text)
            return float(tok.text)
        if tok.kind == "string":
            self.i += 1
            return re.sub(r"\\(.)", r"\1", tok.text[1:-1])
        if tok.kind == "kw" and tok.text in {"true", "false"}:
            self.i += 1
            return tok.text == "true"
        if tok.kind == "word":
            self.i += 1
            return tok.text
        found = tok.text or "end of rule"
        raise self.error(f"expected a value, found {found!r}")


def parse_rule(text: str) -> Rule:
    """Parse rule text into its structure (raises ``RuleError`` with a position)."""
    return _Parser(text).parse()


# --------------------------------------------------------------------------- validation


def _field_positions(text: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for tok in _tokenise(text):
        if tok.kind == "word":
            positions.setdefault(tok.text, tok.pos)
    return positions


def _leaves(rule: Rule) -> list[Comparison | Membership]:
    if isinstance(rule, Comparison | Membership):
        return [rule]
    if isinstance(rule, Not):
        return _leaves(rule.item)
    return [leaf for item in rule.items for leaf in _leaves(item)]


def validate_rule(text: str, *, fields: dict[str, tuple[FieldType, str]] | None = None) -> Rule:
    """Parse and check every field exists and every value has the field's type."""
    catalogue = FIELDS if fields is None else fields
    rule = parse_rule(text)
    positions = _field_positions(text)
    for leaf in _leaves(rule):
        pos = positions.get(leaf.field, 0)
        if leaf.field not in catalogue:
            known = ", ".join(sorted(catalogue))
            raise RuleError(
                f"unknown field {leaf.field!r} (known: {known})", text=text, position=pos
            )
        ftype = catalogue[leaf.field][0]
        values = leaf.values if isinstance(leaf, Membership) else (leaf.value,)
        for value in values:
            ok = (
                (
                    ftype == "number"
                    and isinstance(value, int | float)
                    and not isinstance(value, bool)
                )
                or (ftype == "bool" and isinstance(value, bool))
                or (
                    ftype == "string"
                    and isinstance(value, str | int)
                    and not isinstance(value, bool)
                )
            )
            if not ok:
                raise RuleError(
                    f"{leaf.field!r} is a {ftype} field; {_format_value(value)} is not a {ftype}",
                    text=text,
                    position=pos,
                )
        if isinstance(leaf, Comparison) and ftype != "number" and leaf.op not in {"=", "!="}:
            raise RuleError(
                f"{leaf.field!r} is a {ftype} field: use =, != or in, not {leaf.op}",
                text=text,
                position=pos,
            )
    return rule


# --------------------------------------------------------------------------- evaluation


def _column(table: pd.DataFrame, field: str) -> pd.Series:
    if field not in table.columns:
        raise KeyError(f"customer table has no column {field!r}")
    return table[field]


def evaluate(rule: Rule, table: pd.DataFrame) -> np.ndarray:
    """Boolean mask of the customers (rows of ``table``) the rule selects.

    String comparisons ignore case; missing values never match a comparison.
    """
    if isinstance(rule, And):
        mask = np.ones(len(table), dtype=bool)
        for item in rule.items:
            mask &= evaluate(item, table)
        return mask
    if isinstance(rule, Or):
        mask = np.zeros(len(table), dtype=bool)
        for item in rule.items:
            mask |= evaluate(item, table)
        return mask
    if isinstance(rule, Not):
        return ~evaluate(rule.item, table)
    column = _column(table, rule.field)
    if isinstance(rule, Membership):
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            hit = column.isin([v for v in rule.values if not isinstance(v, str)])
        else:
            wanted = {str(v).casefold() for v in rule.values}
            hit = column.astype("string").str.casefold().isin(wanted).fillna(False)
        hit = hit.to_numpy(dtype=bool)
        return ~hit & column.notna().to_numpy() if rule.negated else hit
    value = rule.value
    if isinstance(value, str):
        col = column.astype("string").str.casefold()
        value = value.casefold()
    else:
        col = column
    ops = {
        "=": col.eq,
        "!=": col.ne,
        "<": col.lt,
        "<=": col.le,
        ">": col.gt,
        ">=": col.ge,
    }
    result = ops[rule.op](value)
    return result.fillna(False).to_numpy(dtype=bool) & column.notna().to_numpy()
