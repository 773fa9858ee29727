from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.audiences.rules import (
    And,
    Comparison,
    Membership,
    Not,
    Or,
    RuleError,
    evaluate,
    parse_rule,
    to_text,
    validate_rule,
)

field_names = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True).filter(
    lambda s: s not in {"and", "or", "not", "in", "true", "false"}
)
values = st.one_of(
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
leaves = st.one_of(
    st.builds(Comparison, field_names, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), values),
    st.builds(
        Membership, field_names, st.lists(values, min_size=1, max_size=4).map(tuple), st.booleans()
    ),
)
rules = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(And, st.lists(inner, min_size=2, max_size=3).map(tuple)),
        st.builds(Or, st.lists(inner, min_size=2, max_size=3).map(tuple)),
    ),
    max_leaves=8,
)


def _same(a, b) -> bool:
    """Structural equality that tells 1 from 1.0 from True."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Comparison):
        return a.field == b.field and a.op == b.op and _same(a.value, b.value)
    if isinstance(a, Membership):
        return (a.field, a.negated, len(a.values)) == (b.field, b.negated, len(b.values)) and all(
            _same(x, y) for x, y in zip(a.values, b.values, strict=True)
        )
    if isinstance(a, Not):
        return _same(a.item, b.item)
    if isinstance(a, And | Or):
        return len(a.items) == len(b.items) and all(
            _same(x, y) for x, y in zip(a.items, b.items, strict=True)
        )
    return a == b


@settings(max_examples=200, deadline=None)
@given(rules)
def test_structure_round_trips_through_text(rule) -> None:
    text = to_text(rule)
    assert _same(parse_rule(text), rule), text


@settings(max_examples=200, deadline=None)
@given(rules)
def test_text_is_canonical(rule) -> None:
    text = to_text(rule)
    assert to_text(parse_rule(text)) == text


def test_the_issue_example() -> None:
    rule = validate_rule("country in [DE, FR] and orders >= 2 and last_order_days < 90")
    assert rule == And(
        (
            Membership("country", ("DE", "FR")),
            Comparison("orders", ">=", 2),
            Comparison("last_order_days", "<", 90),
        )
    )
    table = pd.DataFrame(
        {
            "country": ["DE", "fr", "US", "DE", None],
            "orders": [2, 5, 9, 1, 3],
            "last_order_days": [10, 89, 5, 3, 1],
        }
    )
    assert evaluate(rule, table).tolist() == [True, True, False, False, False]


def test_precedence_not_and_or() -> None:
    rule = parse_rule("not orders > 1 and country = DE or segment = 'Can\\'t lose'")
    assert rule == Or(
        (
            And((Not(Comparison("orders", ">", 1)), Comparison("country", "=", "DE"))),
            Comparison("segment", "=", "Can't lose"),
        )
    )


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("country in [DE, FR and orders > 1", "expected ',' or ']'", 19),
        ("orders >> 2", "expected a value", 8),
        ("orders >= 2 and", "expected a field name", 15),
        ("(orders >= 2", "expected ')'", 12),
        ("orders 2", "expected a comparison", 7),
        ("country = DE $", "unexpected character", 13),
        ("", "empty rule", 0),
        ("colour = red", "unknown field 'colour'", 0),
        ("orders >= many", "'orders' is a number field", 0),
        ("country < 3", "use =, != or in", 0),
        ("orders > 1 and accepts_marketing = yes", "'accepts_marketing' is a bool field", 15),
    ],
)
def test_errors_point_at_the_problem(text: str, message: str, position: int) -> None:
    with pytest.raises(RuleError) as info:
        validate_rule(text)
    assert message in info.value.message
    assert info.value.position == position
    assert info.value.pointer().splitlines()[-1] == " " * position + "^"
