from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.compliance.autofix import apply_fixes, autofix
from tradewinds.compliance.engine import check_text


def test_autofix_applies_safe_replacements_and_rechecks() -> None:
    fixed = autofix(
        "FREE delivery!! ★ on sofas", market="US", platform="google", field="description"
    )
    assert fixed.fixed == "Free delivery! on sofas"
    assert fixed.result.verdict == "pass"
    assert {f.rule_id for f in fixed.applied} == {
        "google.editorial.capitalization",
        "google.editorial.repeated-punctuation",
        "google.editorial.symbols",
    }


def test_autofix_leaves_claims_without_a_safe_replacement() -> None:
    fixed = autofix("This tea cures diabetes", market="US")
    assert fixed.fixed == "This tea cures diabetes"
    assert fixed.result.verdict == "block"
    assert fixed.applied == ()


def test_autofix_inserts_the_market_label_once() -> None:
    fixed = autofix("Mein neues Rad", market="DE", sponsored=True)
    assert fixed.fixed == "Anzeige: Mein neues Rad"
    assert fixed.result.verdict == "pass"


def test_autofix_replaces_absolute_terms_in_chinese() -> None:
    fixed = autofix("最 佳 口感的咖啡", market="CN")
    assert fixed.fixed == "优质 口感的咖啡"
    assert fixed.result.verdict == "pass"


def test_replacement_keeps_capitalisation() -> None:
    fixed = autofix("Cheapest sofas", market="UK")
    assert fixed.fixed == "Great value sofas"


def test_apply_fixes_skips_overlaps() -> None:
    # "SALE" is both a promotional word and all-caps: two fixes for one span, one applied
    result = check_text("SALE mugs", market="US", platform="amazon", field="title")
    assert len([f for f in result.findings if (f.start, f.end) == (0, 4)]) == 2
    text, chosen = apply_fixes("SALE mugs", result.findings)
    assert len(chosen) == 1
    assert text in {"mugs", "Sale mugs"}


FIXABLE = [
    "FREE",
    "SALE",
    "NEW",
    "!!",
    "?!",
    "★",
    "✓",
    "♥",
    "cheapest",
    "Cheapest",
    "ＣＨＥＡＰＥＳＴ",
    "lowest prices",
    "best price",
    "最佳",
    "最 佳",
    "最好",
    "👍",
    "!!!",
    "....",
]
FILLER = [
    "sofas",
    "for",
    "you",
    "great",
    "mugs",
    "today",
    "in",
    "London",
    "a",
    "the",
    " ",
    ",",
    "咖啡",
    "Laufschuhe",
    "2",
    "%",
]
MARKETS = ["US", "UK", "DE", "CN", "FR", "JP"]
PLATFORMS = [None, "google", "amazon", "tiktok", "meta"]


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.sampled_from(FIXABLE + FILLER), min_size=1, max_size=10),
    st.sampled_from(MARKETS),
    st.sampled_from(PLATFORMS),
    st.booleans(),
)
def test_fixed_text_passes_the_rules_that_were_fixed(
    words: list[str], market: str, platform: str | None, sponsored: bool
) -> None:
    text = " ".join(words)
    fixed = autofix(text, market=market, platform=platform, sponsored=sponsored)
    fixed_rules = {f.rule_id for f in fixed.applied}
    still = {f.rule_id for f in fixed.result.findings if f.suggested_fix is not None}
    # nothing that carried a safe fix is still there after fixing
    assert not (fixed_rules & still), (text, fixed.fixed, fixed_rules & still)
    recheck = check_text(fixed.fixed, market=market, platform=platform, sponsored=sponsored)
    assert recheck.verdict == fixed.result.verdict
