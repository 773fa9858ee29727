"""Count text length the way each platform does: code points, grapheme clusters, UTF-8 bytes,
or display width (East Asian wide/full-width characters count twice, as Google Ads and
TikTok count them)."""

from __future__ import annotations

import unicodedata

import regex

_GRAPHEME = regex.compile(r"\X", regex.V1)


def _width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def length(text: str, unit: str) -> int:
    """Length of ``text`` in ``unit`` (chars, graphemes, bytes or width)."""
    if unit == "chars":
        return len(text)
    if unit == "graphemes":
        return sum(1 for _ in _GRAPHEME.finditer(text))
    if unit == "bytes":
        return len(text.encode("utf-8"))
    if unit == "width":
        return sum(_width(ch) for ch in text)
    raise ValueError(f"unknown length unit {unit!r}")


def overflow_start(text: str, unit: str, limit: int) -> int | None:
    """Index in ``text`` where it first exceeds ``limit`` units, or None if it fits.

    The index is always on a grapheme boundary, so a highlight never splits a character.
    """
    if text.isascii():  # one unit per character in every counting
        return limit if len(text) > limit else None
    if unit == "chars" and len(text) <= limit:
        return None
    if unit == "bytes" and len(text.encode("utf-8")) <= limit:
        return None
    used = 0
    for match in _GRAPHEME.finditer(text):
        cluster = match.group()
        if unit == "chars":
            used += len(cluster)
        elif unit == "graphemes":
            used += 1
        elif unit == "bytes":
            used += len(cluster.encode("utf-8"))
        elif unit == "width":
            used += sum(_width(ch) for ch in cluster)
        else:
            raise ValueError(f"unknown length unit {unit!r}")
        if used > limit:
            return match.start()
    return None


def _is_emoji_cluster(cluster: str) -> bool:
    """One grapheme cluster that shows as an emoji: a pictograph (not ® © ™ ℠ on their own),
    a flag (two regional indicators, or a tag sequence), a keycap (1️⃣ #️⃣)."""
    if "\u20e3" in cluster or _REGIONAL.search(cluster):
        return True
    for char in cluster:
        if _PICTOGRAPH.match(char):
            return char not in "®©™℠" or "\ufe0f" in cluster
    return False


_PICTOGRAPH = regex.compile(r"\p{Extended_Pictographic}", regex.V1)
_REGIONAL = regex.compile(r"\p{Regional_Indicator}", regex.V1)


def emoji_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every emoji in ``text``, one per grapheme cluster: a flag, a family
    joined by zero-width joiners, a keycap or a skin-toned hand each count as one emoji."""
    return [m.span() for m in _GRAPHEME.finditer(text) if _is_emoji_cluster(m.group())]


def emoji_count(text: str) -> int:
    """How many emoji ``text`` shows (counted by grapheme cluster, as people see them)."""
    return len(emoji_spans(text))
