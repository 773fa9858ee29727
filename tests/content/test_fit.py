"""Each platform field's limit as the platform counts it, forbidden characters, and cuts
that never split a glossary term or a grapheme."""

from __future__ import annotations

import pytest
import regex

from tradewinds.compliance.counting import length
from tradewinds.content import fit


@pytest.mark.parametrize(
    ("platform", "field", "limit", "unit"),
    [
        ("google", "headline", 30, "width"),
        ("google", "description", 90, "width"),
        ("google", "path", 15, "width"),
        ("Google Ads", "Headline 1", 30, "width"),
        ("tiktok", "ad_text", 100, "width"),
        ("amazon", "title", 200, "chars"),
        ("amazon", "bullet_point", 500, "chars"),
        ("meta", "primary_text", 125, "graphemes"),
        ("meta", "headline", 40, "graphemes"),
    ],
)
def test_limits_come_from_the_rule_packs(platform, field, limit, unit):
    got = fit.field_limit(platform, field)
    assert (got.limit, got.unit) == (limit, unit)
    assert got.rule_id.endswith("length.field-limit") or got.rule_id == "meta.length.truncation"


def test_double_width_counts_twice_on_google_and_tiktok():
    headline = fit.field_limit("google", "headline")
    assert headline.fits("日" * 15) and not headline.fits("日" * 16)
    tiktok = fit.field_limit("tiktok", "ad_text")
    assert tiktok.fits("あ" * 50) and not tiktok.fits("あ" * 51)
    assert tiktok.fits("a" * 100) and not tiktok.fits("a" * 101)
    assert not tiktok.fits("")  # 1-100: empty ad text is not an ad


def test_meta_counts_an_emoji_family_as_one():
    meta = fit.field_limit("meta", "headline")
    family = "👨‍👩‍👧"
    assert meta.measure(family * 40) == 40 and meta.fits(family * 40)


def test_unknown_platform_or_field_says_what_exists():
    with pytest.raises(fit.UnknownField, match="amazon, google, meta, tiktok"):
        fit.field_limit("myspace", "headline")
    with pytest.raises(fit.UnknownField, match="ad_text"):
        fit.field_limit("tiktok", "headline")


def test_tiktok_forbids_emoji_braces_and_hash():
    limit = fit.field_limit("tiktok", "ad_text")
    text, ok = fit.remove_forbidden("Soft socks 🧦 {now} #cosy ✨", limit, [])
    assert ok and fit.tidy(text) == "Soft socks now cosy"


def test_amazon_title_forbidden_characters_and_keep_terms():
    limit = fit.field_limit("amazon", "title")
    text, ok = fit.remove_forbidden("Mug! $5? {tea}", limit, [])
    assert ok and fit.tidy(text) == "Mug 5 tea"
    _, ok = fit.remove_forbidden("Yahoo! Mug", limit, ["Yahoo!"])
    assert not ok  # the brand keeps its "!", so the candidate cannot be made valid


def test_cut_at_word_boundary_never_inside_a_keep_term():
    limit = fit.field_limit("google", "headline")
    text = "Extra soft towels by Nordic Home Living Collection"
    out = fit.cut(text, limit, [], spaced=True)
    assert out == "Extra soft towels by Nordic"
    assert (
        fit.cut(
            "Nordic Home Living Collection towels, soft",
            limit,
            ["Nordic Home Living Collection"],
            spaced=True,
        )
        == "Nordic Home Living Collection"
    )
    # the term cannot stay whole within 30: no cut
    assert (
        fit.cut(
            "Buy the Nordic Home Living Collection",
            limit,
            ["Nordic Home Living Collection"],
            spaced=True,
        )
        is None
    )


@pytest.mark.parametrize(
    "text",
    [
        "สบู่สมุนไพรธรรมชาติสำหรับผิวแพ้ง่ายกลิ่นหอมอ่อนๆ",
        "天然ハーブ石けん敏感肌用やさしい香り大容量パック",
        "👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽",
    ],
)
def test_unspaced_cut_keeps_whole_graphemes(text):
    limit = fit.field_limit("google", "headline")
    out = fit.cut(text, limit, [], spaced=False)
    assert out is not None and limit.fits(out) and text.startswith(out)
    clusters = regex.findall(r"\X", text)
    cut_clusters = regex.findall(r"\X", out)
    assert cut_clusters == clusters[: len(cut_clusters)]


def test_unspaced_cut_does_not_split_a_latin_word():
    limit = fit.field_limit("google", "headline")
    out = fit.cut("毎日にOrganic Cotton Bath Towel Set", limit, [], spaced=False)
    assert out == "毎日にOrganic Cotton Bath"
    assert length(out, "width") <= 30


def test_drop_tail_segments_keeps_enough_copy():
    limit = fit.field_limit("google", "headline")
    assert (
        fit.drop_tail_segments("Linen shirt – €39 – free returns", limit, []) == "Linen shirt – €39"
    )
    # "Hallo" alone says nothing: the clause is not dropped down to it
    assert fit.drop_tail_segments("Hallo, Organic Cotton Bath Towel Set", limit, []).startswith(
        "Hallo, Organic"
    )


def test_tidy_collapses_separators_left_by_removals():
    assert fit.tidy("Mug,, 30 ml") == "Mug, 30 ml"
    assert fit.tidy("Mug, – 30 ml") == "Mug, 30 ml"
    assert fit.tidy("Tasse : thé") == "Tasse : thé"  # French keeps its space before a colon


def test_path_is_a_slug():
    assert fit.slug("Bath towels & more") == "Bath-towels-more"


def test_abbreviations_spare_keep_terms():
    short = {"inklusive": "inkl.", "Zentimeter": "cm"}
    assert (
        fit.abbreviate("Kissen 40 Zentimeter inklusive Bezug", short, [])
        == "Kissen 40 cm inkl. Bezug"
    )
    kept = fit.abbreviate("Zentimeter Studio: 40 Zentimeter", short, ["Zentimeter Studio"])
    assert kept == "Zentimeter Studio: 40 cm"


def test_a_brand_before_a_title_that_starts_with_it_is_written_once():
    from tradewinds.content.templates import _once

    assert _once("Lumio Lumio Towel", "Lumio") == "Lumio Towel"
    assert _once("Lumio Lumios Towel", "Lumio") == "Lumio Lumios Towel"


def test_thai_and_japanese_cuts_end_on_a_phrase_boundary():
    limit = fit.field_limit("google", "headline")
    thai = "สบู่สมุนไพรธรรมชาติสำหรับผิวแพ้ง่ายกลิ่นหอมอ่อนๆ"
    out = fit.cut(thai, limit, [], spaced=False, language="th")
    assert out == "สบู่สมุนไพรธรรมชาติสำหรับผิวแพ้ง่ายกลิ่น"  # ends on กลิ่น (scent), not mid-word
    japanese = "天然ハーブ石けん敏感肌用やさしい香り大容量パック"
    out = fit.cut(japanese, limit, [], spaced=False, language="ja")
    assert out is not None and limit.fits(out)
    assert len(out) in fit.phrase_boundaries(japanese, "ja")
