"""All term lists of a rule set in one Aho-Corasick automaton (pyahocorasick).

One pass over the normalised text finds every candidate term of every term-list rule;
each candidate is then checked for word boundaries (for scripts that have them), common
inflection endings, stems (``term*``) and Arabic proclitics. This keeps checking time flat
however many terms the packs hold (the profanity lists alone have over a thousand).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
import regex

from tradewinds.compliance.normalise import normalise_term

# Inflection endings tried after a European term (longest first); Arabic suffixes too.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "en": ("s", "es", "'s"),
    "de": ("e", "en", "er", "es", "em", "n", "s", "ns", "ern", "ere", "eren", "erer", "eres"),
    "fr": ("e", "s", "es", "x", "aux"),
    "es": ("s", "es", "a", "as", "o", "os"),
    "pt": ("s", "es", "a", "as", "o", "os"),
    "it": ("a", "e", "i", "o", "he", "hi"),
    "nl": ("e", "en", "s"),
    "id": ("nya", "lah", "kah"),
    "ms": ("nya", "lah", "kah"),
    "ar": ("ه", "ها", "هم", "ي", "ك", "كم", "نا", "ات", "ون", "ين", "ة"),
}
SUFFIXES = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in SUFFIXES.items()}
# Arabic proclitics written joined to the word: and/so + with/like/for + article
AR_PROCLITICS = tuple(
    sorted(
        {f"{a}{b}" for a in ("", "و", "ف") for b in ("", "بال", "كال", "لل", "ال", "ب", "ك", "ل")}
        - {""},
        key=len,
        reverse=True,
    )
)
SUBSTRING_SCRIPT = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Hangul}]", regex.V1)
_GAP = regex.compile(r"[\s\-]+", regex.V1)


def _wordish(char: str) -> bool:
    return char.isalnum() or char == "_"


@dataclass(frozen=True, slots=True)
class TermEntry:
    slot: int  # which rule (position in the rule set) the term belongs to
    language: str
    substring: bool
    stem: bool
    suffixes: tuple[str, ...]
    bound_before: bool
    bound_after: bool
    arabic: bool


def is_simple_term(term: str) -> bool:
    """Terms the automaton handles; a '*' inside a multi-word term needs a regex."""
    return "*" not in term.strip().rstrip("*")


@lru_cache(maxsize=100_000)
def term_keys(term: str) -> tuple[tuple[str, ...], bool]:
    """Normalised spellings of a term (multi-word terms joined by space, hyphen, nothing)."""
    stem = term.strip().endswith("*")
    norm = normalise_term(term.strip().rstrip("*").strip())
    words = [w for w in _GAP.split(norm) if w]
    if not words:
        raise ValueError(f"term {term!r} is empty after normalisation")
    if SUBSTRING_SCRIPT.search(norm):
        return ("".join(words),), stem
    if len(words) == 1:
        return (words[0],), stem
    return tuple(dict.fromkeys([" ".join(words), "-".join(words), "".join(words)])), stem


class TermIndex:
    """Aho-Corasick automaton over the simple terms of many rules."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._entries: dict[str, list[TermEntry]] = {}
        self.languages: dict[int, dict[str, str]] = {}  # slot -> {normalised term: language}

    def add(self, slot: int, language: str, term: str, *, inflect: bool) -> None:
        keys, stem = term_keys(term)
        langs = self.languages.setdefault(slot, {})
        for key in keys:
            substring = bool(SUBSTRING_SCRIPT.search(key))
            entry = TermEntry(
                slot=slot,
                language=language,
                substring=substring,
                stem=stem and not substring,
                suffixes=SUFFIXES.get(language, ()) if inflect and not stem else (),
                bound_before=not substring and _wordish(key[0]),
                bound_after=not substring and _wordish(key[-1]),
                arabic=language == "ar",
            )
            self._entries.setdefault(key, []).append(entry)
            langs.setdefault(key.replace(" ", "").replace("-", ""), language)

    def build(self) -> None:
        for key, entries in self._entries.items():
            self._automaton.add_word(key, (len(key), tuple(entries)))
        if self._entries:
            self._automaton.make_automaton()

    def find(self, text: str) -> dict[int, list[tuple[int, int, str]]]:
        """{slot: [(start, end, language), …]} in the normalised text, leftmost-longest."""
        if not self._entries:
            return {}
        found: dict[int, list[tuple[int, int, str]]] = {}
        size = len(text)
        for last, (length, entries) in self._automaton.iter(text):
            start, end = last + 1 - length, last + 1
            for entry in entries:
                span = _verify(text, size, start, end, entry)
                if span is not None:
                    found.setdefault(entry.slot, []).append((*span, entry.language))
        for slot, spans in found.items():
            found[slot] = _leftmost_longest(spans)
        return found


def _verify(text: str, size: int, start: int, end: int, entry: TermEntry) -> tuple[int, int] | None:
    if entry.substring:
        return start, end
    if entry.bound_before and start > 0 and _wordish(text[start - 1]):
        if not entry.arabic:
            return None
        for clitic in AR_PROCLITICS:
            begin = start - len(clitic)
            if (
                begin >= 0
                and text.startswith(clitic, begin)
                and (begin == 0 or not _wordish(text[begin - 1]))
            ):
                start = begin
                break
        else:
            return None
    if entry.stem:
        while end < size and text[end].isalpha():
            end += 1
        return start, end
    if not entry.bound_after:
        return start, end
    for suffix in entry.suffixes:
        stop = end + len(suffix)
        if text.startswith(suffix, end) and (stop >= size or not _wordish(text[stop])):
            return start, stop
    if end >= size or not _wordish(text[end]):
        return start, end
    return None


def _leftmost_longest(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if span[0] >= last_end:
            chosen.append(span)
            last_end = span[1]
    return chosen
