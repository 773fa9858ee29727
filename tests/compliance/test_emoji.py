"""Emoji counted by grapheme cluster, blocked on the fields whose platform forbids them, and
removed whole by the auto-fix."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.compliance.autofix import autofix
from tradewinds.compliance.counting import emoji_count, emoji_spans
from tradewinds.compliance.engine import check_text

FLAG = "🇩🇪"
FAMILY = "👨\u200d👩\u200d👧\u200d👦"
KEYCAP = "1\ufe0f\u20e3"
TONE = "👍🏽"
SCOTLAND = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
RUNNER = "🏃\u200d♀\ufe0f"
ALL = [FLAG, FAMILY, KEYCAP, TONE, SCOTLAND, RUNNER, "☕\ufe0f", "🔥"]


def test_each_emoji_counts_once_however_many_code_points() -> None:
    text = "a " + " b ".join(ALL) + " end"
    assert emoji_count(text) == len(ALL)
    assert [text[s:e] for s, e in emoji_spans(text)] == ALL


def test_trademark_signs_and_plain_digits_are_not_emoji() -> None:
    assert emoji_count("Acme® Shoes™ No. 1 #1 ©2026") == 0


@pytest.mark.parametrize(
    ("platform", "field", "rule"),
    [
        ("tiktok", "ad_text", "tiktok.editorial.emoji"),
        ("google", "headline", "google.editorial.symbols"),
        ("amazon", "bullet_point", "amazon.bullet.emoji"),
    ],
)
@pytest.mark.parametrize("emoji", ALL)
def test_emoji_are_blocked_whole_on_fields_that_forbid_them(
    platform: str, field: str, rule: str, emoji: str
) -> None:
    text = f"New drop {emoji} today"
    result = check_text(text, market="US", platform=platform, field=field)
    hits = [f for f in result.findings if f.rule_id == rule]
    assert result.verdict == "block"
    assert [f.matched for f in hits] == [emoji]  # one finding, the whole cluster


def test_meta_primary_text_may_carry_emoji() -> None:
    result = check_text(f"New drop {FLAG} today", market="US", platform="meta")
    assert result.verdict == "pass"


def test_the_fix_removes_whole_emoji_and_leaves_no_joiners() -> None:
    text = f"Family pack {FAMILY} and flags {FLAG} {KEYCAP} now"
    fixed = autofix(text, market="US", platform="tiktok", field="ad_text")
    assert fixed.fixed == "Family pack and flags now"
    assert fixed.result.verdict == "pass"
    assert "\u200d" not in fixed.fixed and "\ufe0f" not in fixed.fixed


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(ALL), st.sampled_from(["Sale", "20%", "®", "neu", "①", "!"])),
        max_size=8,
    )
)
def test_the_tiktok_rule_finds_exactly_the_emoji_the_grapheme_count_sees(parts: list[str]) -> None:
    text = " ".join(parts)
    result = check_text(text, market="US", platform="tiktok", field="ad_text")
    spans = [(f.start, f.end) for f in result.findings if f.rule_id == "tiktok.editorial.emoji"]
    assert spans == emoji_spans(text)
