"""Evasion-proof text normalisation that remembers where every character came from.

``normalise(text)`` returns the text as the rules see it — NFKC, case-folded, accents and
Arabic diacritics/tatweel removed, invisible characters dropped, Latin look-alike letters
from other scripts mapped to Latin, letter-spaced words (``b e s t``, ``F.R.E.E``) and
spaces between CJK characters (``最 佳``) closed up, digits and symbols standing for letters
inside a Latin word read as those letters (``fr3e``, ``c@sino``, ``sh!pping``) — together with
an index map, so a match in the normalised text is reported as a ``[start, end)`` span of the
ORIGINAL text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from tradewinds.compliance.confusables import latin_lookalikes

# Combining marks removed after decomposition: Latin/Greek/Cyrillic accents, Arabic harakat,
# Quranic marks and the superscript alef. Japanese voicing marks and Indic/Thai vowel signs
# are kept (they change the letter, they do not decorate it).
_STRIP_RANGES = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06DC),
    (0x06DF, 0x06E4),
    (0x06E7, 0x06E8),
    (0x06EA, 0x06ED),
    (0x0640, 0x0640),  # Arabic tatweel (kashida)
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x180E, 0x180E),
    (0x200B, 0x200F),  # zero-width space/joiners, direction marks
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),
)

# Letter variants that Arabic writers use interchangeably (search-style normalisation),
# Arabic-Indic digits, and typographic punctuation that NFKC leaves alone.
_EXTRA_MAP = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ک": "ك",
    "ؤ": "و",
    "ئ": "ي",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "“": '"',
    "”": '"',
    "№": "no",
    "＃": "#",
}
for _i in range(10):
    _EXTRA_MAP[chr(0x0660 + _i)] = str(_i)
    _EXTRA_MAP[chr(0x06F0 + _i)] = str(_i)


def _is_stripped(char: str) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _STRIP_RANGES)


def _is_attached(char: str) -> bool:
    """A mark that is dropped by normalisation and belongs to the character before it."""
    return _is_stripped(char) and (
        unicodedata.category(char) in {"Mn", "Me", "Mc"} or char in "\u0640\u200c\u200d\ufe0f"
    )


# A plain dict on purpose, not cachetools: fold_char runs once per character of every ad
# text, and a dict lookup took ~45 ns against ~700 ns for cachetools.LRUCache.get (measured
# with timeit on the development machine; 2M characters per 10,000-ad batch). It is bounded:
# past 200,000 characters nothing more is kept.
_FOLD_CACHE: dict[str, str] = {}


def fold_char(char: str) -> str:
    """Normalise one character (may return '' or several characters)."""
    cached = _FOLD_CACHE.get(char)
    if cached is not None:
        return cached
    lookalikes = latin_lookalikes()
    # look-alikes are mapped before case folding too: Greek capital Beta looks like B,
    # its lower-case beta does not look like b
    text = "".join(lookalikes.get(c, c) for c in unicodedata.normalize("NFKC", char))
    text = text.casefold()
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not _is_stripped(c))
    kept = unicodedata.normalize("NFC", kept)
    out = []
    for c in kept:
        c = _EXTRA_MAP.get(c, c)
        out.append(lookalikes.get(c, c))
    result = "".join(" " if c.isspace() else c for c in out)
    if len(_FOLD_CACHE) < 200_000:
        _FOLD_CACHE[char] = result
    return result


_SPACED_SCRIPTS = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Hangul}ー"
# whitespace (or a decoration) between two CJK/Thai characters: 最 佳, 最*佳
_CJK_GAP = regex.compile(
    rf"(?<=[{_SPACED_SCRIPTS}])[\s*_·•\-.]{{1,3}}(?=[{_SPACED_SCRIPTS}])", regex.V1
)
# three or more single letters joined by one kind of separator: b e s t, f.r.e.e, b-e-s-t
_LETTER_SPACED = regex.compile(
    r"(?<![\p{L}\p{N}])\p{L}(?:([\s.\-_*·•/|+]{1,3})\p{L}(?![\p{L}\p{N}]))"
    r"(?:\1\p{L}(?![\p{L}\p{N}])){1,}",
    regex.V1,
)
_SEPARATOR = regex.compile(r"[\s.\-_*·•/|+]")

# Digits and symbols written for a letter ("leetspeak"). They are read as letters only where
# they stand between two Latin letters of one word (fr3e, b3st, c@sino, sh!pping, sh1t): a
# digit at the edge of a word is usually real (4K, mp3, 5G, 24h, gr8, b4), and Chinese or
# Japanese text next to a digit ("瘦3斤") is left alone. One reading per symbol: 1 reads as i
# (sh1t, w1n), not l, because that is how it is used to dodge word filters.
LEET = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "@": "a",
    "$": "s",
    "!": "i",
    "€": "e",
}
# "|" is left out: "Sale|Neu" uses it as a separator, and reading it as "l" would glue the
# words together (and hide a label such as "Werbung|…").
_LEET_INSIDE = regex.compile(r"(?<=[a-z])[013457@$!€]{1,2}(?=[a-z])")


@dataclass(frozen=True, slots=True)
class Normalised:
    """Normalised text plus, for each of its characters, the original [start, end)."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text to the original text."""
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        stop = self.ends[end - 1]
        # take along accents, tatweel and joiners that belong to the last character
        while stop < len(self.original) and _is_attached(self.original[stop]):
            stop += 1
        return self.starts[start], stop


def normalise(text: str, *, close_gaps: bool = True) -> Normalised:
    """Normalise ``text`` for matching; see the module docstring."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    # Iterate by code point; a base letter plus combining accent folds into the letter.
    for index, char in enumerate(text):
        for out in fold_char(char):
            chars.append(out)
            starts.append(index)
            ends.append(index + 1)
    folded_text = "".join(chars)
    if close_gaps and folded_text:
        for match in _LEET_INSIDE.finditer(folded_text):
            for pos in range(match.start(), match.end()):
                chars[pos] = LEET[chars[pos]]
        folded_text = "".join(chars)
    drop: set[int] = set()
    if close_gaps and folded_text:
        # before white space is collapsed, so "D e r  b e s t e" stays two words
        for match in _CJK_GAP.finditer(folded_text):
            drop.update(range(match.start(), match.end()))
        for match in _LETTER_SPACED.finditer(folded_text):
            for pos in range(match.start(), match.end()):
                if _SEPARATOR.match(folded_text, pos):
                    drop.add(pos)
    keep = []
    previous = ""
    for i, char in enumerate(chars):
        if i in drop or (char == " " and previous == " "):
            continue  # closed-up gaps; runs of white space read as one space
        keep.append(i)
        previous = char
    if len(keep) != len(chars):
        folded_text = "".join(chars[i] for i in keep)
        starts = [starts[i] for i in keep]
        ends = [ends[i] for i in keep]
    return Normalised(text, folded_text, tuple(starts), tuple(ends))


def normalise_term(term: str) -> str:
    """Normalise a rule term exactly like ad text (so both sides meet in the middle)."""
    return normalise(term).text
