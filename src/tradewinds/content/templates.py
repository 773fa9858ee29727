"""The built-in template engine: copy patterns kept as data in
``content/templates/<language>/<family>.yaml`` (and each language's ``_language.yaml``:
its words with their gender, articles, plural phrases and short forms), rendered with a
product's slots. Deterministic: the order of patterns is rotated by a hash of the input,
never by chance."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
import yaml

from tradewinds.content import markets
from tradewinds.content.fit import FieldLimit, field_limit, tidy, word_pattern
from tradewinds.content.models import Glossary, Product, Tone

TONES: tuple[Tone, ...] = ("neutral", "friendly", "premium", "urgent", "playful")
FAMILIES = ("headline", "description", "primary_text", "ad_text", "title", "bullet_point", "path")
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
_SLOT = regex.compile(r"\{([@\w]+)(?::(\w+))?\}")
_PART = regex.compile(r"\[([^\[\]]*)\]|([^\[\]]+)")
_TITLE_HEAD = regex.compile(r"\s+[-–—|/]\s+|\s*[,(（|，、]\s*")
_QUANTITY_KEYS = ("quantity", "pieces", "pack", "pack_size", "count", "pcs")


class TemplateError(ValueError):
    """A template file that cannot be used, naming the file and the place."""


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    gender: str | None = None  # m | f | n (c for common in nl)
    elide: bool = False  # French/Italian l' before a vowel


@dataclass(frozen=True, slots=True)
class LanguagePack:
    language: str
    list_separator: str
    words: dict[str, Word]
    articles: dict[str, dict[str, str]]
    elided: dict[str, str]
    plurals: dict[str, dict[str, str]]
    abbreviations: dict[str, str]
    families: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def patterns(self, family: str, tone: str) -> tuple[str, ...]:
        return self.families.get(family, {}).get(tone, ())


def _read(path: Any, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise TemplateError(f"{source}: expected a mapping at the top")
    return data


def _check_pattern(pattern: Any, source: str, where: str, pack: LanguagePack) -> str:
    if not isinstance(pattern, str) or not pattern.strip():
        raise TemplateError(f"{source}: {where}: a pattern must be a non-empty string")
    if pattern.count("[") != pattern.count("]"):
        raise TemplateError(f"{source}: {where}: unbalanced [optional] brackets in {pattern!r}")
    for match in _SLOT.finditer(pattern):
        name, form = match.group(1), match.group(2)
        if name.startswith("@"):
            word = pack.words.get(name[1:])
            if word is None:
                raise TemplateError(f"{source}: {where}: unknown word {name!r} in {pattern!r}")
            article = form.lower() if form else None
            if article in ("def", "indef") and (
                word.gender is None or article not in pack.articles
            ):
                raise TemplateError(
                    f"{source}: {where}: {name}:{form} needs the word's gender and "
                    f"{form} articles in _language.yaml"
                )
        elif name in pack.plurals:
            continue
        elif name not in SLOTS:
            raise TemplateError(f"{source}: {where}: unknown slot {{{name}}} in {pattern!r}")
    return pattern


SLOTS = frozenset(
    {
        "title",
        "full_title",
        "brand",
        "attr",
        "attr_key",
        "attrs",
        "price",
        "category",
        "holiday",
        "holiday_date",
    }
)


@lru_cache(maxsize=64)
def language_pack(language: str) -> LanguagePack:
    """Load and check one language's built-in templates (cached)."""
    return load_language(resources.files("tradewinds.content") / "templates", language)


def load_language(templates_root: Any, language: str) -> LanguagePack:
    """Load and check ``<templates_root>/<language>/``: every problem names its file."""
    root = templates_root / language
    source = f"content/templates/{language}/_language.yaml"
    if not (root / "_language.yaml").is_file():
        raise TemplateError(f"{source}: missing (no templates for language {language!r})")
    data = _read(root / "_language.yaml", source)
    words: dict[str, Word] = {}
    for key, value in (data.get("words") or {}).items():
        if isinstance(value, str):
            words[key] = Word(text=value)
        elif isinstance(value, dict) and isinstance(value.get("text"), str):
            gender = value.get("gender")
            if gender is not None and gender not in ("m", "f", "n", "c"):
                raise TemplateError(f"{source}: words.{key}: gender must be m, f, n or c")
            words[key] = Word(text=value["text"], gender=gender, elide=bool(value.get("elide")))
        else:
            raise TemplateError(f"{source}: words.{key}: give a string or {{text, gender}}")
    plurals: dict[str, dict[str, str]] = {}
    for key, forms in (data.get("plurals") or {}).items():
        if not isinstance(forms, dict) or "other" not in forms:
            raise TemplateError(f"{source}: plurals.{key}: needs at least the 'other' form")
        bad = set(forms) - set(PLURAL_FORMS)
        if bad:
            raise TemplateError(f"{source}: plurals.{key}: unknown plural forms {sorted(bad)}")
        plurals[key] = {k: str(v) for k, v in forms.items()}
    pack = LanguagePack(
        language=language,
        list_separator=str(data.get("list_separator", ", ")),
        words=words,
        articles={k: dict(v) for k, v in (data.get("articles") or {}).items()},
        elided=dict(data.get("elided") or {}),
        plurals=plurals,
        abbreviations={str(k): str(v) for k, v in (data.get("abbreviations") or {}).items()},
    )
    for family in FAMILIES:
        fsource = f"content/templates/{language}/{family}.yaml"
        if not (root / f"{family}.yaml").is_file():
            raise TemplateError(f"{fsource}: missing")
        fdata = _read(root / f"{family}.yaml", fsource)
        tones = fdata.get("patterns")
        if not isinstance(tones, dict) or not tones.get("neutral"):
            raise TemplateError(f"{fsource}: patterns.neutral: at least one pattern is needed")
        table: dict[str, tuple[str, ...]] = {}
        for tone, patterns in tones.items():
            if tone not in TONES:
                raise TemplateError(
                    f"{fsource}: patterns.{tone}: unknown tone ({', '.join(TONES)})"
                )
            if not isinstance(patterns, list):
                raise TemplateError(f"{fsource}: patterns.{tone}: expected a list of patterns")
            table[tone] = tuple(
                _check_pattern(p, fsource, f"patterns.{tone}[{i}]", pack)
                for i, p in enumerate(patterns)
            )
        pack.families[family] = table
    return pack


# --- slots --------------------------------------------------------------------------------


def _apply_preferred(text: str, preferred: dict[str, str]) -> str:
    for term, translation in sorted(preferred.items(), key=lambda kv: -len(kv[0])):
        if term.lower() in text.lower():
            text = word_pattern(term, ignore_case=True).sub(lambda _m, t=translation: t, text)
    return text


def short_title(title: str, brand: str | None, keep: list[str]) -> str:
    """The product's name without the seller's trailing feature list or a leading brand."""
    head = title
    match = _TITLE_HEAD.search(title)
    while match is not None:
        candidate = title[: match.start()].strip()
        # never split a keep term
        if any(t in title and t not in candidate and title.find(t) < match.end() for t in keep):
            match = _TITLE_HEAD.search(title, match.end())
            continue
        if candidate:
            head = candidate
        break
    if brand and head.lower().startswith(brand.lower() + " ") and len(head) > len(brand) + 3:
        head = head[len(brand) :].strip()
    return head


@dataclass(frozen=True, slots=True)
class Slots:
    values: dict[str, str]
    attributes: tuple[tuple[str, str], ...]
    quantity: int | None
    days: int | None


def product_slots(
    product: Product,
    market: str,
    language: str,
    glossary: Glossary,
    *,
    today: date | None,
    calendar_days: int,
) -> Slots:
    preferred = glossary.preferred.get(language, {})
    keep = list(glossary.keep)
    title = _apply_preferred(product.title.strip(), preferred)
    values: dict[str, str] = {
        "full_title": title,
        "title": short_title(title, product.brand, keep),
    }
    if product.brand:
        values["brand"] = product.brand.strip()
    if product.category:
        values["category"] = _apply_preferred(product.category.strip(), preferred)
    if product.price is not None:
        values["price"] = markets.format_price(product.price, product.currency, market, language)
    attributes = tuple(
        (k, _apply_preferred(v.strip(), preferred))
        for k, v in sorted(product.attributes.items())
        if v.strip() and k.lower() not in _QUANTITY_KEYS
    )
    quantity = None
    for key in _QUANTITY_KEYS:
        raw = next((v for k, v in product.attributes.items() if k.lower() == key), None)
        if raw is not None and raw.strip().isdigit() and 0 < int(raw.strip()) < 100000:
            quantity = int(raw.strip())
            break
    days = None
    if today is not None:
        upcoming = markets.upcoming_holidays(
            market, today=today, days=calendar_days, language=language
        )
        if upcoming:
            values["holiday"] = upcoming[0].name
            values["holiday_date"] = markets.format_day(upcoming[0].day, market, language)
            days = upcoming[0].days_until
    return Slots(values=values, attributes=attributes, quantity=quantity, days=days)


# --- rendering ----------------------------------------------------------------------------


def _word(pack: LanguagePack, key: str, form: str | None) -> str:
    if form in ("Def", "Indef"):  # the same, starting a sentence
        text = _word(pack, key, form.lower())
        return text[:1].upper() + text[1:]
    word = pack.words[key]
    if form in ("def", "indef") and word.gender:
        if word.elide and form in pack.elided:
            return pack.elided[form] + word.text
        return pack.articles[form].get(word.gender, "") + word.text
    if form == "upper":
        return word.text[:1].upper() + word.text[1:]
    return word.text


def _plural(pack: LanguagePack, key: str, count: int, market: str) -> str:
    forms = pack.plurals[key]
    category = markets.plural_category(count, market, pack.language)
    text = forms.get(category, forms["other"])
    return text.replace("{count}", markets.format_number(count, market, pack.language))


def _render_part(
    part: str, pack: LanguagePack, values: dict[str, str], counts: dict[str, int], market: str
) -> str | None:
    missing = False

    def fill(match: regex.Match[str]) -> str:
        nonlocal missing
        name, form = match.group(1), match.group(2)
        if name.startswith("@"):
            return _word(pack, name[1:], form)
        if name in pack.plurals:
            if name not in counts:
                missing = True
                return ""
            return _plural(pack, name, counts[name], market)
        value = values.get(name)
        if not value:
            missing = True
            return ""
        return value

    text = _SLOT.sub(fill, part)
    return None if missing else text


def _once(text: str, brand: str | None) -> str:
    """ "Lumio Lumio Towel" (a pattern's brand before a title that starts with it) -> once."""
    if not brand:
        return text
    twice = rf"({regex.escape(brand)})\s+\1(?![\p{{L}}\p{{N}}])"
    return regex.sub(twice, r"\1", text, flags=regex.IGNORECASE)


def render(
    pattern: str,
    pack: LanguagePack,
    slots: Slots,
    market: str,
    limit: FieldLimit,
    *,
    attribute: int = 0,
) -> str | None:
    """Render one pattern; optional ``[…]`` parts are left out (right to left) until the
    copy fits. None when a required slot is empty."""
    values = dict(slots.values)
    if slots.attributes:
        key, value = slots.attributes[attribute % len(slots.attributes)]
        values["attr"] = value
        values["attr_key"] = key.replace("_", " ")
        values["attrs"] = pack.list_separator.join(v for _, v in slots.attributes)
    counts: dict[str, int] = {}
    if slots.quantity is not None:
        counts["pieces"] = slots.quantity
    if slots.days is not None:
        counts["days"] = slots.days
    for key in pack.plurals:
        if key not in counts and key in values:
            counts[key] = int(values[key])
    parts: list[tuple[bool, str]] = []
    for match in _PART.finditer(pattern):
        optional = match.group(1) is not None
        rendered = _render_part(
            match.group(1) if optional else match.group(2), pack, values, counts, market
        )
        if rendered is None:
            if not optional:
                return None
            continue
        parts.append((optional, rendered))
    text = _once(tidy("".join(p for _, p in parts)), values.get("brand"))
    while not limit.fits(text) and any(opt for opt, _ in parts):
        last = max(i for i, (opt, _) in enumerate(parts) if opt)
        del parts[last]
        text = _once(tidy("".join(p for _, p in parts)), values.get("brand"))
    return text or None


def _seed(*items: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(items).encode()).digest()[:8], "big")


@dataclass
class TemplateBackend:
    """The default backend: patterns from the YAML templates, in an order fixed by the
    input (the same product, market, field and tone always give the same copy)."""

    today: date | None = None
    calendar_days: int = 30
    name: str = "template"
    _slots: dict[tuple[str, str, str, str], Slots] = field(default_factory=dict, repr=False)
    _streams: dict[tuple[str, ...], tuple[list[str], Iterator[str]]] = field(
        default_factory=dict, repr=False
    )

    def candidates(
        self,
        product: Product,
        market: str,
        language: str,
        platform: str,
        field: str,
        n: int,
        tone: str,
        glossary: Glossary,
        reason: str | None = None,
    ) -> list[str]:
        pack = language_pack(language)
        limit = field_limit(platform, field)
        key = (product.model_dump_json(), market, language, glossary.model_dump_json())
        slots = self._slots.get(key)
        if slots is None:
            if len(self._slots) > 4096:
                self._slots.clear()
            slots = self._slots[key] = product_slots(
                product,
                market,
                language,
                glossary,
                today=self.today,
                calendar_days=self.calendar_days,
            )
        stream_key = (*key, limit.platform, limit.field, tone)
        written, stream = self._streams.get(stream_key) or ([], None)
        if stream is None:
            if len(self._streams) > 4096:
                self._streams.clear()
            stream = self._stream(product.id, pack, slots, market, language, limit, tone)
            self._streams[stream_key] = (written, stream)
        while len(written) < n:  # a later ask continues where the last one stopped
            text = next(stream, None)
            if text is None:
                break
            written.append(text)
        return written[:n]

    def _stream(
        self,
        product_id: str,
        pack: LanguagePack,
        slots: Slots,
        market: str,
        language: str,
        limit: FieldLimit,
        tone: str,
    ) -> Iterator[str]:
        """Every distinct rendering, in the order this input always gets."""
        seed = _seed(product_id, market, language, limit.platform, limit.field, tone)
        order = [tone, *[t for t in TONES if t != tone]]
        patterns: list[str] = []
        for t in order:
            own = list(pack.patterns(limit.family, t))
            if own:
                shift = seed % len(own)
                patterns.extend(own[shift:] + own[:shift])
        seen: set[str] = set()
        for attribute in range(max(1, len(slots.attributes))):
            for pattern in patterns:
                text = render(pattern, pack, slots, market, limit, attribute=attribute)
                if text and text not in seen:
                    seen.add(text)
                    yield text
