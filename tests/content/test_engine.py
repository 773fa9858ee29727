"""generate(): every variant fits its field as the platform counts it and keeps no block
finding, glossary terms survive, the same input gives the same copy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradewinds.compliance.counting import length
from tradewinds.compliance.engine import check_text
from tradewinds.compliance.loader import builtin_packs
from tradewinds.compliance.models import LengthRule
from tradewinds.content import engine, fit, markets, templates
from tradewinds.content.engine import GenerationError, generate
from tradewinds.content.models import GenerationRequest, Glossary, Product

# one market for every language the studio writes
MARKET_OF = {
    "en": "US",
    "de": "DE",
    "fr": "FR",
    "es": "ES",
    "it": "IT",
    "pt_BR": "BR",
    "nl": "NL",
    "pl": "PL",
    "ja": "JP",
    "ko": "KR",
    "zh_Hans": "CN",
    "zh_Hant": "TW",
    "ar": "SA",
    "id": "ID",
    "ms": "MY",
    "th": "TH",
    "vi": "VN",
}
TODAY = date(2026, 12, 3)


def _pack_limit(platform: str, field: str) -> tuple[int, str]:
    """The limit read straight from the rule pack (not through content.fit)."""
    for pack in builtin_packs().values():
        if pack.scope == "platform" and platform in pack.platforms:
            for rule in pack.rules:
                if isinstance(rule, LengthRule) and field in rule.limits:
                    return rule.limits[field], rule.unit
    raise AssertionError(f"no limit for {platform} {field}")


EMOJI = regex.compile(r"[\p{Extended_Pictographic}--[®©™℠]]", regex.V1)
words = st.sampled_from(
    [
        "Organic",
        "cotton",
        "ULTRA",
        "SALE",
        "best",
        "free shipping",
        "Bio-Baumwolle",
        "純棉毛巾",
        "最佳",
        "オーガニック",
        "타월",
        "ผ้าขนหนูฝ้าย",
        "منشفة قطنية",
        "khăn bông",
        "🔥",
        "👨‍👩‍👧",
        "✨",
        "!!",
        "#deal",
        "{x}",
        "100%",
        "$5",
        "click here",
        "Ñandú",
        "Łódź",
    ]
)
text_of_words = st.lists(words, min_size=1, max_size=9).map(" ".join)
brands = st.one_of(
    st.sampled_from(["Lumio", "北欧家居", "ไทยเฮาส์", "دار النسيم", "Maison Étoile"]),
    st.lists(
        st.sampled_from(["Nordic", "Home", "Living", "Collection", "International"]),
        min_size=4,
        max_size=8,
    ).map(" ".join),
)
products = st.builds(
    Product,
    id=st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True),
    title=text_of_words,
    price=st.one_of(st.none(), st.decimals(min_value=0, max_value=100000, places=2)),
    currency=st.sampled_from(["EUR", "USD", "JPY", "SAR", None]),
    attributes=st.dictionaries(
        st.sampled_from(["colour", "size", "material", "pieces"]), text_of_words, max_size=3
    ),
    category=st.one_of(st.none(), text_of_words),
    brand=st.one_of(st.none(), brands),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    product=products,
    language=st.sampled_from(sorted(MARKET_OF)),
    tone=st.sampled_from(templates.TONES),
    keep_brand=st.booleans(),
)
def test_every_variant_fits_and_passes(product, language, tone, keep_brand):
    market = MARKET_OF[language]
    keep = [product.brand] if keep_brand and product.brand else []
    for platform, field in fit.supported_fields():
        request = GenerationRequest(
            products=[product],
            markets=[market],
            platform=platform,
            fields=[field],
            n=3,
            tone=tone,
            glossary=Glossary(keep=keep, banned=["cheap"]),
            today=TODAY,
        )
        result = generate(request)
        limit, unit = _pack_limit(platform, fit.field_limit(platform, field).field)
        for v in result.variants:
            where = (language, platform, field, v.text)
            assert v.language == language
            assert 1 <= length(v.text, unit) <= limit, where
            assert v.length == length(v.text, unit) and v.limit == limit and v.unit == unit
            checked = check_text(v.text, market=market, platform=platform, field=field)
            assert checked.verdict != "block", (where, checked.findings)
            assert "cheap" not in v.text.lower()
            if platform == "tiktok":
                assert not EMOJI.search(v.text) and not regex.search(r"[{}#]", v.text), where
            if platform == "amazon" and field == "title":
                assert not regex.search(r"[!$?_{}^¬¦！？]", v.text), where
            if platform == "google" and field == "path":
                assert " " not in v.text, where
            for term in keep:  # a kept brand is whole or absent, never cut
                term = fit.slug(term) if field == "path" else term
                if field == "path":
                    head = term.split("-")[0]
                    if "-" in term and v.text.endswith(head):
                        assert v.text.endswith(term), where
                    continue
                head = term.split()[0]
                if len(term.split()) > 1 and v.text.rstrip().endswith(head):
                    assert v.text.rstrip().endswith(term), where
        for d in result.dropped:
            assert d.reason


class PaddedBackend:
    """Writes long candidates with the brand in the middle: the repairs must shorten them
    without touching the brand (a backend like the LLM's, not structured like templates)."""

    name = "llm"

    def __init__(self) -> None:
        self.calls: list[tuple[int, str | None]] = []

    def candidates(
        self, product, market, language, platform, field, n, tone, glossary, reason=None
    ):
        self.calls.append((n, reason))
        return [
            f"Wow {i} – {product.brand} {product.title} SALE!! for everyone, every day, everywhere"
            for i in range(n)
        ]


def test_keep_terms_survive_every_repair():
    product = Product(id="k1", title="Linen Shirt", brand="ÉTOILE Paris")
    backend = PaddedBackend()
    request = GenerationRequest(
        products=[product],
        markets=["US", "DE", "JP"],
        platform="google",
        fields=["headline", "description"],
        n=2,
        glossary=Glossary(keep=["ÉTOILE Paris"]),
        today=TODAY,
    )
    result = generate(request, backend=backend)
    assert result.variants
    for v in result.variants:
        assert "ÉTOILE Paris" in v.text, v  # neither cut, nor re-cased by the caps fix
        assert v.backend == "llm" and v.repairs


def test_engine_asks_again_with_the_reason_and_stops():
    class Hopeless:
        name = "llm"
        calls: list[tuple[int, str | None]] = []

        def candidates(
            self, product, market, language, platform, field, n, tone, glossary, reason=None
        ):
            self.calls.append((n, reason))
            return [
                f"A candidate {len(self.calls)}.{i} that mentions cheap things" for i in range(n)
            ]

    backend = Hopeless()
    request = GenerationRequest(
        products=[Product(id="h", title="Mug")],
        markets=["US"],
        platform="google",
        fields=["headline"],
        n=2,
        glossary=Glossary(banned=["cheap"], keep=["cheap things"]),
    )
    result = generate(request, backend=backend)
    assert not result.variants
    assert len(backend.calls) == engine.MAX_ROUNDS
    assert backend.calls[0][1] is None and "banned word" in backend.calls[1][1]
    assert backend.calls[1][0] > backend.calls[0][0]
    assert all("banned word" in d.reason for d in result.dropped)


def test_same_input_same_output_and_products_differ():
    request = GenerationRequest(
        products=[
            Product(
                id="a", title="Wool Socks", price=Decimal("12.5"), currency="EUR", brand="Fjell"
            ),
            Product(
                id="b", title="Wool Socks", price=Decimal("12.5"), currency="EUR", brand="Fjell"
            ),
        ],
        markets=["DE", "JP", "SA"],
        platform="meta",
        fields=["primary_text", "headline"],
        n=4,
        today=TODAY,
    )
    first = generate(request).model_dump()
    templates.language_pack.cache_clear()
    assert generate(request).model_dump() == first
    a = [v["text"] for v in first["variants"] if v["product_id"] == "a"]
    b = [v["text"] for v in first["variants"] if v["product_id"] == "b"]
    assert a != b  # the order of patterns follows the input, so the same copy is not repeated


def test_banned_removed_preferred_used():
    request = GenerationRequest(
        products=[Product(id="p", title="Cheap Face Cream", brand="Glow")],
        markets=["DE"],
        platform="meta",
        fields=["primary_text"],
        n=3,
        glossary=Glossary(banned=["cheap"], preferred={"de": {"Face Cream": "Gesichtscreme"}}),
        today=TODAY,
    )
    result = generate(request)
    assert len(result.variants) == 3
    for v in result.variants:
        assert "cheap" not in v.text.lower() and "Gesichtscreme" in v.text
        assert "Face Cream" not in v.text


def test_prices_by_babel_and_arabic_runs_right_to_left():
    product = Product(id="p", title="Tea Pot", price=Decimal("1234.5"), currency="EUR")
    for market, expected in [
        ("DE", "1.234,50\xa0€"),
        ("US", "€1,234.50"),
        ("FR", "1\u202f234,50\xa0€"),
    ]:
        request = GenerationRequest(
            products=[product], markets=[market], platform="meta", fields=["primary_text"], n=5
        )
        texts = [v.text for v in generate(request).variants]
        assert any(expected in t for t in texts), (market, texts)
    arabic = generate(
        GenerationRequest(products=[product], markets=["SA"], platform="meta", fields=["headline"])
    )
    assert arabic.variants and all(
        v.direction == "rtl" and v.language == "ar" for v in arabic.variants
    )


def test_holiday_slot_from_the_market_calendar():
    request = GenerationRequest(
        products=[Product(id="p", title="Candle Set", brand="Lys")],
        markets=["DE"],
        platform="meta",
        fields=["primary_text"],
        n=5,
        tone="urgent",
        today=TODAY,
    )
    texts = [v.text for v in generate(request).variants]
    assert any("Weihnachtstag" in t and "in 22 Tagen" in t for t in texts), texts
    holidays = markets.upcoming_holidays("JP", today=date(2026, 12, 20), days=30, language="ja")
    assert holidays[0].name == "元日" and holidays[0].days_until == 12
    # named in the content language where the package has it; a holiday today is too late
    malay = markets.upcoming_holidays("MY", today=TODAY, days=30, language="ms")
    assert malay[0].name == "Hari Krismas"
    uae = markets.upcoming_holidays("AE", today=TODAY, days=30, language="ar")
    assert all(h.days_until > 0 for h in uae)
    hk = markets.upcoming_holidays("HK", today=TODAY, days=30, language="zh_Hant")
    assert hk[0].name == "聖誕節"


@pytest.mark.parametrize(
    ("language", "market", "count", "expected"),
    [
        ("pl", "PL", 1, "1 sztuka"),
        ("pl", "PL", 3, "3 sztuki"),
        ("pl", "PL", 5, "5 sztuk"),
        ("ar", "SA", 2, "قطعتان"),
        ("ar", "SA", 11, "قطعة"),
        ("en", "US", 1, "1 piece"),
        ("de", "DE", 4, "4 Stück"),
    ],
)
def test_plural_forms_follow_cldr(language, market, count, expected):
    pack = templates.language_pack(language)
    assert expected in templates._plural(pack, "pieces", count, market)


def test_articles_follow_the_words_gender():
    de = templates.language_pack("de")
    assert templates._word(de, "geschenk", "Indef") == "Ein Geschenk"
    assert templates._word(de, "auswahl", "def") == "die Auswahl"
    fr = templates.language_pack("fr")
    assert templates._word(fr, "essentiel", "def") == "l'essentiel"
    assert templates._word(fr, "selection", "indef") == "une sélection"


def test_every_language_has_every_family():
    for language in markets.LANGUAGES:
        pack = templates.language_pack(language)
        for family in templates.FAMILIES:
            assert pack.patterns(family, "neutral"), (language, family)


def test_a_bad_template_names_its_file_and_place(tmp_path):
    import shutil
    from importlib import resources

    source = resources.files("tradewinds.content") / "templates" / "en"
    target = tmp_path / "en"
    shutil.copytree(str(source), target)
    path = target / "headline.yaml"
    path.write_text(path.read_text().replace('"{title}"', '"{titel}"', 1), encoding="utf-8")
    with pytest.raises(
        templates.TemplateError,
        match=r"en/headline.yaml: patterns.neutral\[0\]: unknown slot \{titel\}",
    ):
        templates.load_language(tmp_path, "en")


def test_unknown_market_and_field_are_clear():
    product = Product(id="p", title="Mug")
    with pytest.raises(GenerationError, match="market 'XX'"):
        generate(
            GenerationRequest(
                products=[product], markets=["XX"], platform="google", fields=["headline"]
            )
        )
    with pytest.raises(GenerationError, match="field 'title' on google"):
        generate(
            GenerationRequest(
                products=[product], markets=["US"], platform="google", fields=["title"]
            )
        )
    ch = generate(
        GenerationRequest(
            products=[product],
            markets=["CH"],
            platform="google",
            fields=["headline"],
            languages={"CH": "fr"},
        )
    )
    assert {v.language for v in ch.variants} == {"fr"}


@pytest.mark.parametrize("language", sorted(MARKET_OF))
def test_the_templates_themselves_pass_in_every_language(language):
    """A plain product gets n variants in every field, none dropped: no pattern's own
    words trip a rule of the market (superlatives, urgency, promotional phrases)."""
    product = Product(
        id="plain",
        title="Linen Cushion Cover",
        price=Decimal("24.90"),
        currency="EUR",
        attributes={"colour": "sage", "pieces": "2"},
        category="Home decor",
        brand="Lumio",
    )
    for tone in ("neutral", "urgent"):
        for platform, field in fit.supported_fields():
            request = GenerationRequest(
                products=[product],
                markets=[MARKET_OF[language]],
                platform=platform,
                fields=[field],
                n=5,
                tone=tone,
                today=TODAY,
            )
            result = generate(request)
            assert not result.dropped, [(d.text, d.reason) for d in result.dropped]
            assert len(result.variants) == 5, (tone, platform, field)


@pytest.mark.parametrize(
    ("market", "language", "day", "price"),
    [
        ("DE", "de", "24. Dez.", "1.234,50\xa0€"),
        ("JP", "ja", "12月24日", "￥1,234"),
        ("BR", "pt_BR", "24 de dez.", "R$\xa01.234,50"),
        ("TW", "zh_Hant", "12月24日", "$1,234.50"),
    ],
)
def test_dates_and_prices_by_the_market_locale(market, language, day, price):
    assert markets.format_day(date(2026, 12, 24), market, language) == day
    assert markets.format_price(Decimal("1234.5"), None, market, language) == price
