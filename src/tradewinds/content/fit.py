"""Fit copy to a platform field: its limit counted the platform's way (read from the
compliance packs' length rules), its forbidden characters, and shortening by rules that
never cut inside a glossary term."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

from tradewinds.compliance.counting import length, overflow_start
from tradewinds.compliance.loader import builtin_packs
from tradewinds.compliance.models import LengthRule, RegexRule
from tradewinds.compliance.registry import canonical_field, canonical_platform

# The fields the studio writes on each platform, and the template family each one uses.
PLATFORM_FIELDS: dict[str, dict[str, str]] = {
    "google": {
        "headline": "headline",
        "description": "description",
        "path": "path",
        "long_headline": "description",
    },
    "meta": {"primary_text": "primary_text", "headline": "headline", "description": "headline"},
    "tiktok": {"ad_text": "ad_text"},
    "amazon": {"title": "title", "bullet_point": "bullet_point", "headline": "headline"},
}

# Characters a field may not hold at all (besides what the compliance packs block). The
# patterns of the packs' own symbol rules are reused where a pack has one.
_EMOJI = r"[\p{Extended_Pictographic}--[®©™℠]]\uFE0F?|[\U0001F1E6-\U0001F1FF]|\u20E3|\uFE0F"
_OWN_FORBIDDEN: dict[tuple[str, str], str] = {
    ("tiktok", "ad_text"): _EMOJI + r"|[{}#]",
    ("amazon", "title"): _EMOJI,
    ("amazon", "bullet_point"): _EMOJI,
    ("google", "path"): r"[\s/\\?#&%]",
}
_PACK_FORBIDDEN: dict[tuple[str, str], tuple[str, ...]] = {
    ("google", "*"): ("google.editorial.symbols",),
    ("amazon", "title"): ("amazon.title.special-characters",),
}


class UnknownField(ValueError):
    """A platform field the studio cannot write."""


@dataclass(frozen=True, slots=True)
class FieldLimit:
    platform: str
    field: str
    family: str  # the template family (templates/<language>/<family>.yaml)
    limit: int
    unit: str  # chars | graphemes | bytes | width
    minimum: int
    forbidden: regex.Pattern[str] | None
    rule_id: str  # the compliance rule the limit comes from

    def measure(self, text: str) -> int:
        if text.isascii() and "\r" not in text:  # one unit a character in every counting
            return len(text)
        return length(text, self.unit)

    def fits(self, text: str) -> bool:
        return self.minimum <= self.measure(text) <= self.limit


def _length_rules(platform: str) -> list[LengthRule]:
    rules: list[LengthRule] = []
    for pack in builtin_packs().values():
        if pack.scope == "platform" and platform in pack.platforms:
            rules.extend(r for r in pack.rules if isinstance(r, LengthRule))
    return rules


def _pack_pattern(rule_id: str) -> str | None:
    for pack in builtin_packs().values():
        for rule in pack.rules:
            if rule.id == rule_id and isinstance(rule, RegexRule):
                return rule.pattern
    return None


@lru_cache(maxsize=128)
def field_limit(platform: str, field: str) -> FieldLimit:
    """The limit of ``platform`` × ``field`` as the platform counts it."""
    name = canonical_platform(platform) or ""
    fname = canonical_field(field) or ""
    fields = PLATFORM_FIELDS.get(name)
    if fields is None:
        raise UnknownField(
            f"platform {platform!r}: the studio writes for {', '.join(sorted(PLATFORM_FIELDS))}"
        )
    if fname not in fields:
        raise UnknownField(
            f"field {field!r} on {name}: the studio writes {', '.join(sorted(fields))}"
        )
    for rule in _length_rules(name):
        if fname in rule.limits:
            patterns = [
                p
                for key in ((name, "*"), (name, fname))
                for rid in _PACK_FORBIDDEN.get(key, ())
                if (p := _pack_pattern(rid))
            ]
            if (name, fname) in _OWN_FORBIDDEN:
                patterns.append(_OWN_FORBIDDEN[(name, fname)])
            joined = "|".join(f"(?:{p})" for p in patterns)
            forbidden = regex.compile(joined, regex.V1) if patterns else None
            return FieldLimit(
                platform=name,
                field=fname,
                family=fields[fname],
                limit=rule.limits[fname],
                unit=rule.unit,
                minimum=1,
                forbidden=forbidden,
                rule_id=rule.id,
            )
    raise UnknownField(f"field {fname!r} on {name}: no length rule in the {name} rule pack")


def supported_fields() -> list[tuple[str, str]]:
    return [(p, f) for p, fields in PLATFORM_FIELDS.items() for f in fields]


# --- glossary protection ----------------------------------------------------------------


def protected_spans(text: str, keep: Sequence[str]) -> list[tuple[int, int]]:
    """Where the glossary's keep terms stand in ``text`` (case-sensitive, as written)."""
    spans: list[tuple[int, int]] = []
    for term in keep:
        if not term:
            continue
        start = text.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = text.find(term, start + 1)
    return sorted(spans)


def inside_protected(index: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether a cut at ``index`` would split a protected span."""
    return any(start < index < end for start, end in spans)


def overlaps_protected(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def kept_terms(text: str, keep: Sequence[str]) -> set[str]:
    return {t for t in keep if t and t in text}


# --- cleaning and shortening ------------------------------------------------------------

_SPACES = regex.compile(r"[^\S\u00a0\u202f]+")  # no-break spaces (1 234,50 €) stay
# (French keeps its space before : ; ! ?, so only these lose a space before them)
_SPACE_BEFORE_PUNCT = regex.compile(r"[^\S\u00a0\u202f]+([,.،。、，])")
# what is left when a fix removes the words between two separators (", ,", ", –")
_SEPARATOR_RUN = regex.compile(r"[,،;、，–—](?:\s*[,،;、，–—])+\s*")
_TRAILING = regex.compile(r"[\s,;:\-–—|·/、，。(（]+$")
_LEADING = regex.compile(r"^[\s,;:\-–—|·/、，。)）]+")
_GRAPHEME = regex.compile(r"\X", regex.V1)
_WORD_GAP = regex.compile(r"[^\S\u00a0\u202f]")  # not inside "1 234,50 €"
_PATH_GAP = regex.compile(r"[-\s]")
_IN_WORD = regex.compile(r"[\p{Latin}\p{N}][\p{Latin}\p{N}]")
_SEPARATORS = (" | ", " – ", " — ", " - ", " · ", ". ", "! ", "؟ ", ", ", "، ")
_SEPARATORS += ("。", "！", "，", "、")


def _one_separator(match: regex.Match[str]) -> str:
    first = match.group().strip()[0]
    return f"{first} " if first in ",،;" else (first if first in "、，" else f" {first} ")


def tidy(text: str) -> str:
    """One space between words, none before punctuation, no dangling separators."""
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SEPARATOR_RUN.sub(_one_separator, text)
    text = _TRAILING.sub("", text)
    text = _LEADING.sub("", text)
    return text.replace("()", "").replace("（）", "").strip()


def remove_forbidden(text: str, limit: FieldLimit, keep: Sequence[str]) -> tuple[str, bool]:
    """Remove the field's forbidden characters; False when one stands inside a keep term."""
    if limit.forbidden is None:
        return text, True
    spans = protected_spans(text, keep)
    ok = True
    pieces: list[str] = []
    last = 0
    for match in limit.forbidden.finditer(text):
        if overlaps_protected(match.start(), match.end(), spans):
            ok = False
            continue
        pieces.append(text[last : match.start()])
        replacement = "-" if limit.field == "path" and match.group().isspace() else ""
        pieces.append(replacement)
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces), ok


@lru_cache(maxsize=4096)
def word_pattern(word: str, *, ignore_case: bool) -> regex.Pattern[str]:
    """``word`` standing alone (not inside a longer word)."""
    flags = regex.IGNORECASE if ignore_case else 0
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(word)}(?![\p{{L}}\p{{N}}])", flags)


def abbreviate(text: str, abbreviations: dict[str, str], keep: Sequence[str]) -> str:
    """Replace long words with the language's usual short forms (outside keep terms)."""
    for long, short in sorted(abbreviations.items(), key=lambda kv: -len(kv[0])):
        if long.lower() not in text.lower():
            continue
        pattern = word_pattern(long, ignore_case=False)
        spans = protected_spans(text, keep)
        out: list[str] = []
        last = 0
        for match in pattern.finditer(text):
            if overlaps_protected(match.start(), match.end(), spans):
                continue
            out.append(text[last : match.start()])
            out.append(short)
            last = match.end()
        out.append(text[last:])
        text = "".join(out)
    return text


def drop_tail_segments(text: str, limit: FieldLimit, keep: Sequence[str]) -> str:
    """Drop trailing clauses after a separator (" – ", ", ", "。") until the text fits,
    keeping every keep term the text holds."""
    wanted = kept_terms(text, keep)
    current = text
    while not limit.fits(current):
        cut = max((current.rfind(sep) for sep in _SEPARATORS), default=-1)
        if cut <= 0:
            break
        shorter = tidy(current[:cut])
        # a clause goes only when enough copy is left to say something
        if not shorter or kept_terms(shorter, keep) != wanted:
            break
        if limit.measure(shorter) * 2 < limit.limit:
            break
        current = shorter
    return current


def slug(text: str) -> str:
    """A display-path segment: words joined by hyphens, no spaces or slashes."""
    text = regex.sub(r"[\s/\\?#&%_]+", "-", text.strip())
    text = regex.sub(r"[.,;:!?'\"()\[\]{}|]+", "", text)
    return regex.sub(r"-{2,}", "-", text).strip("-")


_PHRASE_PARSERS = {
    "ja": "load_default_japanese_parser",
    "zh_Hans": "load_default_simplified_chinese_parser",
    "zh_Hant": "load_default_traditional_chinese_parser",
    "th": "load_default_thai_parser",
}


@lru_cache(maxsize=8)
def _phrase_parser(language: str):  # noqa: ANN202 - budoux.Parser
    import budoux

    return getattr(budoux, _PHRASE_PARSERS[language])()


def phrase_boundaries(text: str, language: str | None) -> list[int]:
    """Where a line may break between phrases in Japanese, Chinese and Thai (BudouX), so a
    cut does not end mid-word; empty for other languages."""
    if language not in _PHRASE_PARSERS:
        return []
    out: list[int] = []
    at = 0
    for phrase in _phrase_parser(language).parse(text)[:-1]:
        at += len(phrase)
        out.append(at)
    return out


def _fitting_cut(
    text: str, boundaries: Iterable[int], limit: FieldLimit, keep: Sequence[str]
) -> tuple[bool, str | None]:
    """(decided, cut): the longest start at one of ``boundaries`` that fits; decided is
    True when a fitting cut was found or would lose a keep term."""
    wanted = kept_terms(text, keep)
    spans = protected_spans(text, keep)
    for index in sorted(set(boundaries), reverse=True):
        if index <= 0 or inside_protected(index, spans):
            continue
        candidate = tidy(text[:index])
        if not candidate or not limit.fits(candidate):
            continue
        if kept_terms(candidate, keep) != wanted:
            return True, None  # every shorter cut loses a keep term too
        return True, candidate
    return False, None


def cut(
    text: str,
    limit: FieldLimit,
    keep: Sequence[str],
    *,
    spaced: bool,
    path: bool = False,
    language: str | None = None,
) -> str | None:
    """The longest start of ``text`` that fits, cut at a word boundary — in scripts without
    spaces at a phrase boundary (BudouX), else at a grapheme boundary — never inside a
    Latin word or number, never inside or before a keep term the text holds. None when no
    such cut exists."""
    if limit.fits(text):
        return text
    if spaced:
        gaps = _PATH_GAP if path else _WORD_GAP
        boundaries = [m.start() for m in gaps.finditer(text)]
        if boundaries:
            return _fitting_cut(text, boundaries, limit, keep)[1]
    graphemes = {m.end() for m in _GRAPHEME.finditer(text)}
    # between graphemes, but not inside a Latin word or a number written in the copy
    allowed = {i for i in graphemes if not _IN_WORD.match(text[i - 1 : i + 1])}
    gaps = {m.start() for m in _WORD_GAP.finditer(text)}
    # only the start that could fit is parsed (the parser costs ~1 ms for a long text)
    over = overflow_start(text, limit.unit, limit.limit) or len(text)
    head = text[: over + 8]
    phrases = [i for i in phrase_boundaries(head, language) if i in allowed and i <= over]
    phrases += list(gaps)
    decided, result = _fitting_cut(text, phrases, limit, keep)
    if decided:
        return result
    return _fitting_cut(text, allowed, limit, keep)[1]
