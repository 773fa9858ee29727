"""Disguised words: digits and symbols for letters, masked letters, look-alike letters — each
found, and reported as the span of the original text."""

from __future__ import annotations

import pytest

from tradewinds.compliance.engine import check_text
from tradewinds.compliance.normalise import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fr3e sh!pping", "free shipping"),
        ("the b3st", "the best"),
        ("c@sino", "casino"),
        ("sh1t", "shit"),
        ("ri$k-free", "risk-free"),
        ("che@pest", "cheapest"),
    ],
)
def test_symbols_inside_a_word_read_as_letters(text: str, expected: str) -> None:
    assert normalise(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "4k tv",
        "mp3 player",
        "5g ready",
        "24h delivery",
        "b2b",
        "gr8",
        "3in1",
        "rtx4090",
        "瘦3斤",
        "sale|neu",
    ],
)
def test_real_digits_at_word_edges_stay_digits(text: str) -> None:
    assert normalise(text).text == text


def _findings(text: str, **kwargs: str | None) -> list[tuple[str, str]]:
    result = check_text(text, **kwargs)  # type: ignore[arg-type]
    return [(f.rule_id, f.matched) for f in result.findings if f.severity != "info"]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("What the f*ck is this price", "f*ck"),
        ("F**k the cold", "F**k"),
        ("Sh*t happens", "Sh*t"),
        ("This sh1t works", "sh1t"),
        ("f.u.c.k boring socks", "f.u.c.k"),
        ("fuсk the rules", "fuсk"),  # Cyrillic es
        ("b!tch please", "b!tch"),
        ("Ｆｕｃｋ", "Ｆｕｃｋ"),  # full-width letters
        ("fu\u200dck", "fu\u200dck"),  # zero-width joiner
    ],
)
def test_obscured_profanity_is_caught_with_its_original_span(text: str, matched: str) -> None:
    result = check_text(text, market="US")
    hits = [f for f in result.findings if f.rule_id == "brand-safety.profanity"]
    assert result.verdict == "block"
    assert [f.matched for f in hits] == [matched]
    assert text[hits[0].start : hits[0].end] == matched


@pytest.mark.parametrize("text", ["Rated 5* by buyers", "Save 20% today", "Size S*M*L", "b*t"])
def test_stars_and_percent_signs_are_not_masked_swear_words(text: str) -> None:
    result = check_text(text, market="US")
    assert not [f for f in result.findings if f.category == "brand_safety"]


def test_disguised_claims_are_caught_by_the_claim_rules() -> None:
    assert ("claim.superiority.best", "The b3st") in _findings("The b3st shoes", market="US")
    assert ("gulf.gambling", "c@sino") in _findings("c@sino night", market="AE")
    assert ("claim.price.superlative-en", "Ch3apest") in _findings("Ch3apest TVs", market="UK")


def test_google_flags_symbol_spelling_but_not_product_codes() -> None:
    hits = _findings("Fr3e sh!pping", market="US", platform="google", field="description")
    assert ("google.editorial.symbol-substitution", "Fr3e") in hits
    assert ("google.editorial.symbol-substitution", "sh!pping") in hits
    clean = check_text(
        "Mp3 player, 4K HDR, 5G, Wi-Fi 6, 3in1 charger, AT&T",
        market="US",
        platform="google",
        field="description",
    )
    assert clean.verdict == "pass", clean.findings


@pytest.mark.parametrize(
    "text", ["Scunthorpe United shirt", "Classic tee", "Assess your skin", "Shiitake kit"]
)
def test_listed_words_inside_ordinary_words_do_not_count(text: str) -> None:
    assert check_text(text, market="UK").verdict == "pass"


def test_a_pipe_between_words_keeps_them_apart() -> None:
    result = check_text("Werbung|Neue Kollektion", market="DE", sponsored=True)
    assert result.verdict == "pass", result.findings
