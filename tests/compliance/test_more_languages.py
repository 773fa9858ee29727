"""Claims, swear words and labels in Italian, Dutch, Polish, Korean, Thai and Vietnamese."""

from __future__ import annotations

import pytest

from tradewinds.compliance.engine import check_text


@pytest.mark.parametrize(
    ("text", "market", "rule"),
    [
        ("Il miglior caffè del mondo", "IT", "claim.superiority.more-languages"),
        ("De beste koffie van Nederland", "NL", "claim.superiority.more-languages"),
        ("Najlepszy krem w Polsce", "PL", "claim.superiority.more-languages"),
        ("국내 최고의 선크림", "KR", "claim.superiority.more-languages"),
        ("업계 1위 로봇청소기", "KR", "claim.superiority.ranking-more-languages"),
        ("อันดับ 1 ในใจคนไทย", "TH", "claim.superiority.ranking-more-languages"),
        ("Kem chống nắng tốt nhất Việt Nam", "VN", "claim.superiority.more-languages"),
        ("Goedkoopste zonnepanelen", "NL", "claim.price.superlative-more-languages"),
        ("Giá rẻ nhất thị trường", "VN", "claim.price.superlative-more-languages"),
        ("Questa tisana cura l'insonnia", "IT", "claim.health.disease-more-languages"),
        ("Trà thảo mộc chữa khỏi tiểu đường", "VN", "claim.health.disease-more-languages"),
        ("이 차는 암을 예방합니다", "KR", "claim.health.disease-more-languages"),
        ("Bez ryzyka, gwarantowany efekt", "PL", "claim.guarantee.more-languages"),
        ("Schudnij 10 kg w miesiąc", "PL", "claim.health.weight-loss-more-languages"),
        ("Kurwa, jakie promocje", "PL", "brand-safety.profanity-more-languages"),
        ("씨발 이 가격", "KR", "brand-safety.profanity-more-languages"),
    ],
)
def test_claims_in_more_languages_block(text: str, market: str, rule: str) -> None:
    result = check_text(text, market=market)
    assert result.verdict == "block"
    assert rule in [f.rule_id for f in result.findings]


@pytest.mark.parametrize(
    ("text", "market"),
    [
        ("Najlepiej spożyć przed: 12.2027", "PL"),
        ("Ten minste houdbaar tot: zie deksel", "NL"),
        ("Beste klant, uw bestelling is onderweg", "NL"),
        ("Pesce fresco dal mercato", "IT"),
        ("오늘 최고 기온 30도", "KR"),
        ("กะปิแท้จากระยอง", "TH"),
        ("Các mẫu giày mới đã về", "VN"),
        ("Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh", "VN"),
    ],
)
def test_look_alike_everyday_copy_passes(text: str, market: str) -> None:
    result = check_text(text, market=market)
    assert result.verdict == "pass", result.findings


@pytest.mark.parametrize(
    ("text", "market"),
    [
        ("Advertentie | Mijn sneakers", "NL"),
        ("Reklama | Moje perfumy", "PL"),
        ("광고 | 제가 쓰는 쿠션", "KR"),
        ("โฆษณา | ลิปสติก", "TH"),
        ("Quảng cáo | Son môi", "VN"),
    ],
)
def test_labels_in_more_languages_satisfy_the_sponsorship_rule(text: str, market: str) -> None:
    assert check_text(text, market=market, sponsored=True).verdict == "pass"
    unlabelled = text.split("|", 1)[1]
    assert check_text(unlabelled, market=market, sponsored=True).verdict == "block"
