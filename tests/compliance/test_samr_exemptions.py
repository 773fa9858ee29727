"""China's absolute terms: the uses SAMR's 2023 guideline (《广告绝对化用语执法指南》) exempts pass,
the claims still block; trademarks and product names are exempt when the seller names them."""

from __future__ import annotations

import pytest

from tradewinds.compliance.autofix import autofix
from tradewinds.compliance.engine import check_text


@pytest.mark.parametrize(
    "text",
    [
        "最佳食用期：开封后7天内",
        "最佳赏味期限：生产日期起12个月",
        "最佳使用时间：睡前30分钟",
        "最佳饮用温度：8-12℃",
        "开封后最好在3天内食用完毕",
        "特级初榨橄榄油",
        "一级能效变频空调",
        "国家级非物质文化遗产：宜兴紫砂壶",
    ],
)
def test_usage_notes_grades_and_state_titles_pass(text: str) -> None:
    result = check_text(text, market="CN")
    assert result.verdict == "pass", result.findings


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("最佳品质，值得信赖", "最佳"),
        ("最佳赏味期内的咖啡豆，是市面上最好的咖啡", "最好"),
        ("最 佳 蓝牙耳机", "最 佳"),
        ("国家级产品", "国家级"),
    ],
)
def test_the_same_words_as_claims_still_block(text: str, matched: str) -> None:
    result = check_text(text, market="CN")
    assert result.verdict == "block"
    assert matched in [f.matched for f in result.findings]


def test_the_rule_cites_the_guideline() -> None:
    finding = check_text("最佳品质", market="CN").findings[0]
    assert "广告绝对化用语执法指南" in finding.reference and "2023" in finding.reference


def test_allowed_trademarks_are_exempt_from_wording_rules_only_inside_the_name() -> None:
    text = "最好味拉面，最好吃的拉面"
    plain = check_text(text, market="CN")
    allowed = check_text(text, market="CN", allow_terms=["最好味"])
    assert [f.start for f in plain.findings if f.rule_id == "cn.art9.best"] == [0, 6]
    # the name is exempt; the claim after it is not
    assert [f.start for f in allowed.findings if f.rule_id == "cn.art9.best"] == [6]


def test_allowed_terms_match_like_rule_terms_and_keep_word_boundaries() -> None:
    text = "Visit No.1 Noodle House for No.1 noodles"
    result = check_text(text, market="US", allow_terms=["no.1 noodle house"])
    hits = [f for f in result.findings if f.rule_id == "claim.superiority.number-one"]
    assert [text[f.start : f.end] for f in hits] == ["No.1"]
    assert hits[0].start == text.rindex("No.1")
    # a brand name inside a longer word is not an allowed occurrence
    bare = check_text("No.1 Noodles for you", market="US", allow_terms=["No.1 Noodle"])
    assert bare.verdict == "block"


def test_allowed_terms_do_not_excuse_length_or_personal_data() -> None:
    text = "Call Acme Best on +1 415 555 0100"
    result = check_text(text, market="US", allow_terms=["+1 415 555 0100", "Acme Best"])
    assert "pii.phone" in [f.rule_id for f in result.findings]
    long = "Acme " * 10
    over = check_text(long, market="US", platform="google", field="headline", allow_terms=[long])
    assert "google.length.field-limit" in [f.rule_id for f in over.findings]


def test_the_fix_keeps_an_allowed_trademark_and_fixes_the_claim_after_it() -> None:
    fixed = autofix("最好味拉面，最好的选择", market="CN", allow_terms=["最好味"])
    assert fixed.fixed == "最好味拉面，优质的选择"
    assert fixed.result.verdict == "pass"
