from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.compliance.engine import check_text
from tradewinds.compliance.highlight import segments

WORDS = [
    "The",
    "best",
    "cheapest",
    "FREE",
    "!!",
    "最 佳",
    "sofas",
    " ",
    "bеst",
    "Ｎｏ．１",
    "risk-free",
]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=8), st.booleans())
def test_segments_cover_the_text_exactly(words: list[str], sponsored: bool) -> None:
    text = " ".join(words)
    result = check_text(text, market="US", platform="google", sponsored=sponsored)
    parts = segments(text, result.findings)
    assert "".join(p.text for p in parts) == text
    for part in parts:
        for j in part.findings:
            finding = result.findings[j]
            assert part.insertion or text[finding.start : finding.end].find(part.text) >= 0


def test_overlapping_findings_take_the_worst_severity() -> None:
    text = "SALE mugs"
    result = check_text(text, market="US", platform="amazon", field="title")
    first = segments(text, result.findings)[0]
    assert first.text == "SALE" and first.severity == "block" and len(first.findings) == 2
