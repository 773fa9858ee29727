"""Rules by kind, market, platform and language, through the public ``check_text``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.compliance.engine import check_text, get_ruleset


def rule_ids(text: str, market: str, **kw: object) -> set[str]:
    result = check_text(text, market=market, **kw)  # type: ignore[arg-type]
    for f in result.findings:  # every span indexes the original text
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.matched
    return {f.rule_id for f in result.findings}


# (language, market, text, expected rule id) — term lists, regexes, inflections
TERM_AND_REGEX_CASES = [
    ("en", "US", "The #1 rated blender", "claim.superiority.number-one"),
    ("en", "UK", "Cheapest sofas in Britain", "claim.price.superlative-en"),
    ("en", "US", "This tea cures diabetes", "claim.health.disease"),
    ("en", "US", "Try it risk-free today", "claim.guarantee.risk-free"),
    ("de", "DE", "Die beste Matratze", "claim.superiority.best"),
    ("de", "DE", "Die günstigsten Reifen", "claim.price.superlative"),  # inflected
    ("de", "DE", "Umweltfreundliche Flaschen", "eu.green.generic-claim"),  # inflected
    ("de", "DE", "Testsieger bei Laufschuhen", "de.uwg.sole-position"),
    ("fr", "FR", "Le meilleur rasoir", "claim.superiority.best"),
    ("fr", "FR", "Des gourdes respectueuses de l'environnement", "eu.green.generic-claim"),
    ("es", "EU", "Los precios más bajos", "claim.price.superlative"),
    ("es", "EU", "Este té cura la diabetes", "claim.health.disease"),
    ("pt", "BR", "O melhor colchão", "claim.superiority.best"),
    ("zh", "CN", "国家级品质", "cn.art9.absolute-terms"),
    ("zh", "CN", "这款茶能治疗糖尿病", "cn.art16.medical-claims"),
    ("zh", "CN", "考研包过", "cn.art24-25.guarantees"),
    ("ja", "JP", "業界最安値", "jp.keihyo.price"),
    ("ja", "JP", "シミが消える美容液", "jp.yakki.efficacy"),
    ("ar", "SA", "الأفضل في العالم", "claim.superiority.best"),
    ("ar", "AE", "بيرة باردة", "gulf.alcohol"),
    ("ar", "SA", "وبالخمر", "gulf.alcohol"),  # proclitics joined to the word
    ("id", "ID", "Harga termurah", "claim.price.superlative"),
    ("id", "ID", "Paling ampuh", "idmy.epi.superlative"),
    ("id", "ID", "Situs slot gacor", "idmy.gambling"),
]


@pytest.mark.parametrize(("language", "market", "text", "rule_id"), TERM_AND_REGEX_CASES)
def test_rule_fires_per_language(language: str, market: str, text: str, rule_id: str) -> None:
    assert rule_id in rule_ids(text, market)


# (market, text) that must pass: near misses of the rules above
CLEAN_CASES = [
    ("US", "Best before: see lid"),
    ("US", "Dog treats made with real chicken"),
    ("DE", "Mindestens haltbar bis Juni"),
    ("EU", "Zapatos en color negro"),  # 'negro' is a colour, not a slur
    ("EU", "El envío del pedido es rápido"),  # Dutch 'del' is not checked globally
    ("CN", "性能稳定的路由器"),  # single-character list words are not used
    ("CN", "第一次购买可享礼包"),
    ("CN", "100%纯棉T恤"),
    ("JP", "最高の一日を"),
    ("SA", "بيرة خالية من الكحول"),
    ("AE", "Turkey bacon for brunch"),
    ("ID", "Arak-arakan budaya akhir pekan"),
    ("US", "Contains vitamin C"),
]


@pytest.mark.parametrize(("market", "text"), CLEAN_CASES)
def test_near_misses_pass(market: str, text: str) -> None:
    assert check_text(text, market=market).verdict == "pass"


EVASION_CASES = [
    ("full-width", "US", "Ｎｏ．１ blender", "Ｎｏ．１"),
    ("full-width caps", "UK", "ＣＨＥＡＰＥＳＴ sofas", "ＣＨＥＡＰＥＳＴ"),
    ("Cyrillic e", "US", "The bеst blender", "The bеst"),
    ("spaced latin", "US", "c h e a p e s t sofas", "c h e a p e s t"),
    ("dotted latin", "US", "r.i.s.k-free trial", "r.i.s.k-free"),
    ("spaced CJK", "CN", "最 佳 咖啡", "最 佳"),
    ("spaced kanji", "JP", "日 本 一 のラーメン", "日 本 一"),
    ("Arabic diacritics + tatweel", "SA", "الأَفْضَـــل لبشرتك", "الأَفْضَـــل"),
    ("zero-width space", "US", "chea\u200bpest sofas", "chea\u200bpest"),
    ("accent", "US", "chéapest sofas", "chéapest"),
]


@pytest.mark.parametrize(("trick", "market", "text", "matched"), EVASION_CASES)
def test_evasion_is_caught_and_span_points_at_original(
    trick: str, market: str, text: str, matched: str
) -> None:
    result = check_text(text, market=market)
    assert result.verdict == "block", trick
    spans = {text[f.start : f.end] for f in result.findings}
    assert matched in spans, (trick, spans)


def test_length_is_counted_the_platforms_way() -> None:
    # Google counts Chinese characters twice: 16 of them overflow a 30-wide headline
    assert "google.length.field-limit" in rule_ids(
        "轻" * 16, "CN", platform="google", field="headline"
    )
    assert "google.length.field-limit" not in rule_ids(
        "a" * 30, "US", platform="google", field="headline"
    )
    # Amazon search terms are limited in bytes: 125 'é' are 250 bytes
    assert "amazon.length.search-terms-bytes" in rule_ids(
        "é" * 125, "US", platform="amazon", field="search_terms"
    )
    assert "amazon.length.search-terms-bytes" not in rule_ids(
        "e" * 249, "US", platform="amazon", field="search_terms"
    )
    # Meta counts grapheme clusters: a family emoji is one
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert "meta.length.truncation" not in rule_ids(
        family * 40, "US", platform="meta", field="headline"
    )
    assert "meta.length.truncation" in rule_ids(
        family * 41, "US", platform="meta", field="headline"
    )


def test_length_overflow_span_starts_where_the_limit_is_passed() -> None:
    text = "x" * 35
    result = check_text(text, market="US", platform="google", field="headline")
    finding = next(f for f in result.findings if f.rule_id == "google.length.field-limit")
    assert (finding.start, finding.end) == (30, 35)


def test_capitalisation_rule_allows_acronyms() -> None:
    assert "google.editorial.capitalization" in rule_ids("FREE delivery", "US", platform="google")
    assert "google.editorial.capitalization" in rule_ids("New SALE now", "US", platform="google")
    assert "google.editorial.capitalization" not in rule_ids(
        "HDMI cables and USB hubs", "US", platform="google"
    )


def test_punctuation_rules() -> None:
    assert "google.editorial.repeated-punctuation" in rule_ids(
        "Great sofas!!", "US", platform="google"
    )
    assert "google.editorial.headline-exclamation" in rule_ids(
        "Great sofas!", "US", platform="google", field="headline"
    )
    assert "google.editorial.headline-exclamation" not in rule_ids(
        "Great sofas!", "US", platform="google", field="description"
    )
    assert "amazon.title.special-characters" in rule_ids(
        "Mug $9 Gift", "US", platform="amazon", field="title"
    )


def test_required_disclosure_only_when_sponsored() -> None:
    text = "My favourite serum from @glowlab"
    assert rule_ids(text, "US") == set()
    assert "us.ftc.disclosure-missing" in rule_ids(text, "US", sponsored=True)
    assert rule_ids("#ad " + text, "US", sponsored=True) == set()
    # in Germany an English label is not enough
    assert "de.sponsored.anzeige-missing" in rule_ids("#ad Mein Serum", "DE", sponsored=True)
    assert rule_ids("Anzeige: Mein Serum", "DE", sponsored=True) == set()
    # a market rule stands in for the global one: one finding, not two
    ids = rule_ids("Mein Serum", "DE", sponsored=True)
    assert "sponsored.label-missing" not in ids


@pytest.mark.parametrize(
    ("language", "market", "text"),
    [
        ("de", "DE", "Sponsored: mein Rad"),
        ("fr", "FR", "Mon sérum préféré"),
        ("zh", "CN", "这款面霜我回购三次了"),
        ("ja", "JP", "お気に入りの美容液"),
        ("ar", "SA", "جربت هذا العطر"),
        ("id", "ID", "Aku pakai serum ini"),
        ("pt", "BR", "Amei esse perfume"),
        ("es", "US", "Mi crema favorita"),
    ],
)
def test_disclosure_missing_per_language(language: str, market: str, text: str) -> None:
    assert check_text(text, market=market, sponsored=True).verdict == "block"


def test_pii_kinds() -> None:
    assert "pii.email" in rule_ids("Write to anna.k@example.org", "DE")
    assert "pii.phone" in rule_ids("Call +44 20 7946 0958", "UK")
    assert "pii.card-number" in rule_ids("Card 4111 1111 1111 1111", "US")
    assert "pii.card-number" not in rule_ids("Card 4111 1111 1111 1112", "US")  # fails Luhn
    assert rule_ids("Only 19.99 for 2 mugs", "US") == set()


@pytest.mark.parametrize(
    ("language", "market", "text"),
    [
        ("en", "US", "what the fuck"),
        ("de", "DE", "So ein Arschloch"),
        ("fr", "FR", "Quel connard"),
        ("es", "EU", "Hijo de puta"),
        ("pt", "BR", "Que caralho"),
        ("zh", "CN", "他妈的划算"),
        ("ja", "JP", "マザー・ファッカー"),
        ("ar", "SA", "يا شرموطة"),
        ("id", "ID", "Dasar bangsat"),
    ],
)
def test_profanity_per_language(language: str, market: str, text: str) -> None:
    assert "brand-safety.profanity" in rule_ids(text, market)


def test_meta_rules() -> None:
    assert "meta.personal-attributes" in rule_ids("Are you depressed?", "US", platform="meta")
    assert "meta.personal-attributes" in rule_ids("Bist du übergewichtig?", "DE", platform="meta")
    assert "meta.personal-attributes" not in rule_ids(
        "Recipes for people living with diabetes", "US", platform="meta"
    )
    assert "meta.before-after" in rule_ids("Vorher Nachher Bilder", "DE", platform="meta")


def test_unknown_market_gets_global_rules_and_a_note() -> None:
    result = check_text("The cheapest shoes", market="XX")
    assert result.verdict == "block"
    assert "coverage.market-unknown" in {f.rule_id for f in result.findings}


def test_eu_member_states_use_the_eu_pack() -> None:
    assert "eu.green.generic-claim" in rule_ids("Eco-friendly bottles", "ES")


def test_rulesets_are_cached_per_market_and_platform() -> None:
    assert get_ruleset("de", "Google") is get_ruleset("DE", "google")
    assert get_ruleset("DE", "google") is not get_ruleset("DE", "meta")


def test_verdict_order() -> None:
    assert check_text("Nice shoes", market="US").verdict == "pass"
    assert check_text("Made in USA shoes", market="US").verdict == "warn"
    assert check_text("The cheapest shoes", market="US").verdict == "block"


TRIGGERS = [
    "best",
    "bеst",
    "Ｎｏ．１",
    "#1",
    "cheapest",
    "最佳",
    "最 佳",
    "国家级",
    "日本一",
    "الأَفْضَـــل",
    "terbaik",
    "risk-free",
    "cures cancer",
    "FREE",
    "!!",
    "★",
    "a@b.de",
    "4111 1111 1111 1111",
    "+49 30 1234567",
    "b e s t",
    "fuck",
    "e\u0301",
    "\u200b",
    "ß",
    "ﬁ",
    "İ",
    "\u0640",
    " ",
    "\n",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(TRIGGERS), st.text(max_size=6)), max_size=10),
    st.sampled_from(["US", "DE", "CN", "JP", "SA", "ID", "BR", "FR", "UK", "EU", "XX"]),
    st.sampled_from([None, "google", "meta", "tiktok", "amazon"]),
    st.sampled_from([None, "headline", "title", "description"]),
    st.booleans(),
)
def test_spans_always_index_the_original_text(
    parts: list[str], market: str, platform: str | None, field: str | None, sponsored: bool
) -> None:
    text = " ".join(parts)
    result = check_text(text, market=market, platform=platform, field=field, sponsored=sponsored)
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert f.matched == text[f.start : f.end]
    assert result.verdict in {"block", "warn", "pass"}


def test_platform_and_field_names_are_read_loosely() -> None:
    assert "google.editorial.headline-exclamation" in rule_ids(
        "Great sofas!", "US", platform="Google Ads", field="Headline 1"
    )
    assert "amazon.length.search-terms-bytes" in rule_ids(
        "é" * 125, "US", platform="amazon_seller", field="Search terms"
    )
    assert "meta.before-after" in rule_ids("Before and after", "US", platform="Instagram")
