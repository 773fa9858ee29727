from __future__ import annotations

from importlib import resources

import pytest

from tradewinds.compliance.loader import PackError, builtin_packs, parse_pack
from tradewinds.compliance.registry import known_markets, known_platforms

GOOD = """\
id: acme-brand
title: Acme brand terms
scope: user
rules:
  - id: competitor-names
    kind: terms
    severity: block
    message: Do not name competitors.
    reference: Acme brand guide 2.1
    terms: {en: [globex, initech]}
"""


def test_builtin_packs_cover_required_markets_and_platforms() -> None:
    packs = builtin_packs().values()
    assert {"EU", "DE", "FR", "UK", "US", "CN", "JP", "SA", "AE", "ID", "MY", "BR"} <= set(
        known_markets(packs)
    )
    assert {"google", "meta", "tiktok", "amazon"} <= set(known_platforms(packs))


def test_every_rule_has_message_reference_and_severity() -> None:
    for pack in builtin_packs().values():
        assert pack.sources, pack.id
        for rule in pack.rules:
            assert rule.message and rule.reference and rule.severity in {"block", "warn", "info"}


def test_good_user_pack_parses() -> None:
    pack = parse_pack(GOOD)
    assert pack.id == "acme-brand" and pack.rules[0].kind == "terms"


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (GOOD.replace("severity: block", "severity: fatal"), 7, "'block', 'warn' or 'info'"),
        (
            GOOD.replace(
                "terms: {en: [globex, initech]}", 'terms: {en: ["(x"]}\n    pattern: "(x"'
            ),
            11,
            "Extra inputs",
        ),
        (
            GOOD.replace("kind: terms", "kind: regex").replace(
                "terms: {en: [globex, initech]}", 'pattern: "(unclosed"'
            ),
            10,
            "invalid regular expression",
        ),
        (GOOD.replace("title: Acme brand terms\n", ""), None, "title"),
        (
            GOOD
            + "  - id: competitor-names\n    kind: pii\n    severity: warn\n    detect: email\n"
            "    message: dup\n    reference: dup\n",
            None,
            "duplicate rule id",
        ),
        (
            GOOD.replace("terms: {en: [globex, initech]}", "terms: {xx: [globex]}"),
            10,
            "unknown language",
        ),
        ("id: x\ntitle: [unclosed\n", 3, "YAML syntax"),
        ("id: x\nid: y\n", 2, "duplicate key"),
        ("", 1, "empty"),
    ],
)
def test_bad_pack_is_rejected_with_line_and_reason(
    text: str, line: int | None, reason: str
) -> None:
    with pytest.raises(PackError) as info:
        parse_pack(text)
    problems = info.value.problems
    assert any(reason in p.reason or reason in p.location for p in problems), problems
    if line is not None:
        assert any(p.line == line for p in problems), problems


def test_yaml_11_booleans_are_not_keys() -> None:
    # `on:` is a boolean in YAML 1.1; the loader keeps keys as text
    text = GOOD.replace("kind: terms", "kind: regex\n    on: original").replace(
        "terms: {en: [globex, initech]}", "pattern: 'X+'"
    )
    assert parse_pack(text).rules[0].on == "original"


def test_packaged_profanity_lists_carry_their_licence() -> None:
    folder = resources.files("tradewinds.compliance") / "wordlists" / "ldnoobw"
    assert "Attribution 4.0" in (folder / "LICENSE").read_text(encoding="utf-8")
    assert "LDNOOBW" in (folder / "NOTICE").read_text(encoding="utf-8")
