"""Turn validated rules into precompiled matchers that report spans of the original text."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import regex
from cachetools import LRUCache

from tradewinds.compliance import counting, pii
from tradewinds.compliance.models import (
    CapsRule,
    DisclosureRule,
    LengthRule,
    PiiRule,
    ProfanityRule,
    RegexRule,
    Rule,
    TermsRule,
)
from tradewinds.compliance.normalise import Normalised, fold_char, normalise, normalise_term
from tradewinds.compliance.termindex import is_simple_term

# Common inflection endings added to European terms (a term ending in '*' is a free stem).
INFLECTIONS: dict[str, str] = {
    "en": r"(?:s|es|'s)?",
    "de": r"(?:e|en|er|es|em|n|s|ns|ern|ere|eren|erer|eres)?",
    "fr": r"(?:e|s|es|x|aux)?",
    "es": r"(?:s|es|a|as|o|os)?",
    "pt": r"(?:s|es|a|as|o|os)?",
    "it": r"(?:a|e|i|o|he|hi)?",
    "nl": r"(?:e|en|s)?",
    "id": r"(?:nya|lah|kah)?",
    "ms": r"(?:nya|lah|kah)?",
    "ar": r"(?:ه|ها|هم|ي|ك|كم|نا|ات|ون|ين|ة)?",
}
# Arabic proclitics (and, so, with, for, like, + article) written joined to the word.
_AR_PREFIX = r"(?:[وف]?(?:بال|كال|لل|ال|[بكل])|[وف])?"
_SUBSTRING_SCRIPT = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Hangul}]", regex.V1)
_WORDISH = regex.compile(r"[\p{L}\p{N}]", regex.V1)
_TERM_GAP = regex.compile(r"[\s\-]+", regex.V1)
_BEFORE = r"(?<![\p{L}\p{N}_])"
_AFTER = r"(?![\p{L}\p{N}_])"


@dataclass(slots=True)
class AdText:
    """One piece of ad copy with what the rules need to know about it."""

    text: str
    field: str | None = None
    sponsored: bool = False
    _normalised: Normalised | None = None

    @property
    def normalised(self) -> Normalised:
        if self._normalised is None:
            self._normalised = normalise(self.text)
        return self._normalised


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    language: str | None = None


def _word_pattern(word: str) -> str:
    """A word of a term; a trailing '*' (kept through normalisation) makes it a stem."""
    if word.endswith("*") and word.strip("*"):
        return regex.escape(word.rstrip("*")) + r"\p{L}*"
    return regex.escape(word)


def term_pattern(term: str, language: str, *, inflect: bool) -> str:
    """Regex source for one term in one language (see TermsRule)."""
    stem = term.rstrip().endswith("*")
    norm = normalise_term(term.strip())
    if not norm.strip("*"):
        raise ValueError(f"term {term!r} is empty after normalisation")
    words = [w for w in _TERM_GAP.split(norm) if w]
    if _SUBSTRING_SCRIPT.search(norm):
        return r"\s*".join(_word_pattern(w) for w in words)
    body = r"[\s\-]*".join(_word_pattern(w) for w in words)
    if not stem and inflect and language in INFLECTIONS:
        body += INFLECTIONS[language]
    if language == "ar":
        body = _AR_PREFIX + body
    bare = norm.strip("*")
    before = _BEFORE if _WORDISH.match(bare[0]) else ""
    after = _AFTER if _WORDISH.match(bare[-1]) else ""
    return f"{before}{body}{after}"


def compile_terms(
    terms: dict[str, list[str]], *, inflect: bool
) -> tuple[regex.Pattern[str] | None, dict[str, str]]:
    """One alternation for all terms of a rule, and {normalised term: language}."""
    parts: list[tuple[int, str]] = []
    languages: dict[str, str] = {}
    for language, words in terms.items():
        for word in words:
            source = term_pattern(word, language, inflect=inflect)
            norm = normalise_term(word.strip()).replace("*", "")
            languages.setdefault(_TERM_GAP.sub("", norm), language)
            parts.append((len(norm), source))
    if not parts:
        return None, languages
    parts.sort(key=lambda p: -p[0])
    unique = list(dict.fromkeys(source for _, source in parts))
    # the text is case-folded already, so no IGNORECASE (which is slow to compile)
    return regex.compile("|".join(f"(?:{s})" for s in unique), regex.V1), languages


def _language_of(matched_norm: str, languages: dict[str, str]) -> str | None:
    key = _TERM_GAP.sub("", matched_norm)
    if key in languages:
        return languages[key]
    best: tuple[int, str | None] = (0, None)
    for term, language in languages.items():
        if term and term in key and len(term) > best[0]:
            best = (len(term), language)
    return best[1]


IndexedSpans = list[tuple[int, int, str]]


@dataclass(slots=True)
class CompiledRule:
    """A rule with everything precompiled; ``hits`` returns spans in the original text.

    Term-list rules (terms, profanity, disclosure) give their simple terms to the rule set's
    shared Aho-Corasick index (``index_terms``); terms that need a regex (a stem inside a
    multi-word term) are compiled into ``pattern``.
    """

    rule: Rule
    pack_id: str
    pack_scope: str
    pattern: regex.Pattern[str] | None = None
    excluded: regex.Pattern[str] | None = None
    languages: dict[str, str] = field(default_factory=dict)
    allow: frozenset[str] = frozenset()
    shout: frozenset[str] = frozenset()
    index_terms: tuple[tuple[str, str], ...] = ()
    inflect: bool = False
    masked: dict[int, tuple[str, ...]] = field(default_factory=dict)

    @property
    def uses_index(self) -> bool:
        return isinstance(self.rule, TermsRule | ProfanityRule | DisclosureRule)

    def applies_to(self, ad: AdText) -> bool:
        fields = self.rule.fields
        return fields is None or (ad.field is not None and ad.field in fields)

    def _term_hits(self, ad: AdText, indexed: IndexedSpans) -> list[Hit]:
        if not indexed and self.pattern is None:
            return []
        norm = ad.normalised
        spans: list[tuple[int, int, str | None]] = list(indexed)
        if self.pattern is not None:
            for m in self.pattern.finditer(norm.text):
                if m.end() > m.start():
                    spans.append((m.start(), m.end(), _language_of(m.group(), self.languages)))
        if not spans:
            return []
        if self.excluded is not None:
            blocked = [m.span() for m in self.excluded.finditer(norm.text, overlapped=True)]
            spans = [s for s in spans if not any(lo <= s[0] and s[1] <= hi for lo, hi in blocked)]
        hits = []
        for start, end, language in sorted(spans):
            o_start, o_end = norm.to_original(start, end)
            hits.append(Hit(o_start, o_end, language))
        return hits

    def hits(self, ad: AdText, indexed: IndexedSpans | None = None) -> list[Hit]:
        rule = self.rule
        if isinstance(rule, ProfanityRule):
            hits = self._term_hits(ad, indexed or [])
            if self.masked:
                hits = _merge_hits(hits, masked_hits(ad.normalised, self.masked))
            return hits
        if isinstance(rule, TermsRule):
            return self._term_hits(ad, indexed or [])
        if isinstance(rule, RegexRule):
            if rule.on == "normalised":
                return self._term_hits(ad, [])
            assert self.pattern is not None
            return [Hit(*m.span()) for m in self.pattern.finditer(ad.text) if m.end() > m.start()]
        if isinstance(rule, LengthRule):
            if ad.field is None or ad.field not in rule.limits:
                return []
            start = counting.overflow_start(ad.text, rule.unit, rule.limits[ad.field])
            return [] if start is None else [Hit(start, len(ad.text))]
        if isinstance(rule, CapsRule):
            assert self.pattern is not None
            hits = []
            for m in self.pattern.finditer(ad.text):
                word = m.group()
                if word.upper() in self.allow:
                    continue
                if len(word) >= rule.min_length or word.casefold() in self.shout:
                    hits.append(Hit(*m.span()))
            return hits
        if isinstance(rule, DisclosureRule):
            if not ad.sponsored or self._term_hits(ad, indexed or []):
                return []
            return [Hit(0, 0)]
        if isinstance(rule, PiiRule):
            if rule.detect == "email":
                return [Hit(*s) for s in pii.find_emails(ad.text)]
            if rule.detect == "card":
                return [Hit(*s) for s in pii.find_cards(ad.text)]
            return [Hit(*s) for s in pii.find_phones(ad.text, rule.regions)]
        raise TypeError(f"unsupported rule kind {type(rule).__name__}")


# A word with letters blanked out by * # _ or %: f*ck, sh*t, f**k, b#tch. Each mask stands for
# one letter; the word is a hit when a listed word of the same length fits the letters left.
_MASKED_WORD = regex.compile(
    r"(?<![\p{L}\p{N}*#_%])[a-z]+(?:[*#_%]{1,3}[a-z]+)+(?![\p{L}\p{N}*#_%])"
)


def masked_hits(norm: Normalised, masked: dict[int, tuple[str, ...]]) -> list[Hit]:
    """Words of the normalised text with masked letters that fit a listed word."""
    if not any(c in norm.text for c in "*#_%"):
        return []
    hits = []
    for m in _MASKED_WORD.finditer(norm.text):
        word = m.group()
        if sum(c.isalpha() for c in word) < 2:
            continue
        candidates = masked.get(len(word), ())
        if not candidates:
            continue
        shape = regex.compile("".join("[a-z]" if c in "*#_%" else regex.escape(c) for c in word))
        if any(shape.fullmatch(term) for term in candidates):
            hits.append(Hit(*norm.to_original(m.start(), m.end())))
    return hits


def _merge_hits(first: list[Hit], second: list[Hit]) -> list[Hit]:
    if not second:
        return first
    seen = {(h.start, h.end) for h in first}
    merged = first + [h for h in second if (h.start, h.end) not in seen]
    return sorted(merged, key=lambda h: (h.start, h.end))


_CAPS_WORD = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}{2,}(?![\p{L}\p{N}])", regex.V1)


@lru_cache(maxsize=64)
def profanity_terms(language: str) -> tuple[str, ...]:
    """The packaged LDNOOBW list for ``language`` (CC BY 4.0, see wordlists/ldnoobw/NOTICE)."""
    folder = resources.files("tradewinds.compliance") / "wordlists" / "ldnoobw"
    entry = folder / language
    if not entry.is_file():
        raise ValueError(f"no packaged profanity list for language {language!r}")
    words = []
    for line in entry.read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            words.append(word)
    return tuple(words)


def _usable_profanity(word: str) -> bool:
    norm = normalise_term(word)
    if not _WORDISH.search(norm):
        return False
    # one or two CJK characters match inside ordinary words (性能, 牛奶): too short to use
    return not (_SUBSTRING_SCRIPT.search(norm) and len(norm) < 2)


def normalise_pattern(pattern: str) -> str:
    """Fold the literal non-ASCII letters of a pattern like ad text (accents, Arabic forms).

    ASCII is left alone, so escapes such as ``\\W`` keep their meaning: patterns that run on
    the normalised text are written in lower case (the text is case-folded).
    """
    return "".join(ch if ch.isascii() else fold_char(ch) for ch in pattern)


# by the rule's identity: the entry keeps the rule alive, so its id is not reused meanwhile
_COMPILED: LRUCache[tuple[int, str, str], tuple[Rule, CompiledRule]] = LRUCache(maxsize=4000)
_COMPILED_LOCK = threading.Lock()


def compile_rule(rule: Rule, *, pack_id: str, pack_scope: str) -> CompiledRule:
    """Compile a rule once; packs shared by many markets reuse the compiled matcher."""
    key = (id(rule), pack_id, pack_scope)
    with _COMPILED_LOCK:
        known = _COMPILED.get(key)
    if known is not None and known[0] is rule:
        return known[1]
    compiled = _compile_rule(rule, pack_id=pack_id, pack_scope=pack_scope)
    with _COMPILED_LOCK:
        _COMPILED[key] = (rule, compiled)
    return compiled


def _compile_rule(rule: Rule, *, pack_id: str, pack_scope: str) -> CompiledRule:
    compiled = CompiledRule(rule=rule, pack_id=pack_id, pack_scope=pack_scope)
    if isinstance(rule, TermsRule):
        _split_terms(compiled, rule.terms, inflect=rule.inflect)
        if rule.exclude:
            compiled.excluded, _ = compile_terms({"any": rule.exclude}, inflect=False)
    elif isinstance(rule, ProfanityRule):
        dropped = {normalise_term(w) for w in rule.exclude_terms}
        terms: dict[str, list[str]] = {}
        for language in rule.lists:
            words = [
                w
                for w in profanity_terms(language)
                if _usable_profanity(w) and normalise_term(w) not in dropped
            ]
            terms[language] = words
        for language, words in rule.extra.items():
            terms.setdefault(language, []).extend(words)
        _split_terms(compiled, terms, inflect=True)
        compiled.masked = _maskable(terms)
        if rule.exclude:
            compiled.excluded, _ = compile_terms({"any": rule.exclude}, inflect=False)
    elif isinstance(rule, RegexRule):
        if rule.on == "normalised":
            compiled.pattern = regex.compile(normalise_pattern(rule.pattern), regex.V1)
        else:
            compiled.pattern = regex.compile(rule.pattern, regex.V1)
        if rule.exclude:
            compiled.excluded, _ = compile_terms({"any": rule.exclude}, inflect=False)
    elif isinstance(rule, CapsRule):
        compiled.pattern = _CAPS_WORD
        compiled.allow = frozenset(w.upper() for w in rule.allow)
        compiled.shout = frozenset(w.casefold() for w in rule.shout_words)
    elif isinstance(rule, DisclosureRule):
        _split_terms(compiled, rule.terms, inflect=False)
    return compiled


def _maskable(terms: dict[str, list[str]]) -> dict[int, tuple[str, ...]]:
    """Single Latin words of four letters or more, by length, for masked-word matching.

    Shorter words are left out: with a letter or two blanked, "a*s" or "t*t" fits too many
    ordinary words.
    """
    by_length: dict[int, set[str]] = {}
    for words in terms.values():
        for word in words:
            norm = normalise_term(word.strip().rstrip("*"))
            if len(norm) >= 4 and norm.isascii() and norm.isalpha():
                by_length.setdefault(len(norm), set()).add(norm)
    return {length: tuple(sorted(words)) for length, words in by_length.items()}


def _split_terms(compiled: CompiledRule, terms: dict[str, list[str]], *, inflect: bool) -> None:
    """Simple terms go to the shared automaton; the rest become this rule's regex."""
    simple = []
    complex_terms: dict[str, list[str]] = {}
    for language, words in terms.items():
        for word in words:
            if is_simple_term(word):
                simple.append((language, word))
            else:
                complex_terms.setdefault(language, []).append(word)
    compiled.index_terms = tuple(simple)
    compiled.inflect = inflect
    if complex_terms:
        compiled.pattern, compiled.languages = compile_terms(complex_terms, inflect=inflect)


def compile_rules(rules: Iterable[tuple[Rule, str, str]]) -> list[CompiledRule]:
    return [compile_rule(r, pack_id=p, pack_scope=s) for r, p, s in rules]
