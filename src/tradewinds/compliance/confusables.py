"""Map letters that look like Latin letters (Cyrillic ``е``, Greek ``ο`` …) to those letters.

The table comes from the Unicode confusables data shipped with the maintained
``confusable-homoglyphs`` package (Unicode TR39), filtered to one-letter Latin look-alikes
from scripts that are used to disguise Latin words. The same mapping is applied to the text
and to every rule term, so a term written in Cyrillic still matches its own skeleton.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from importlib import resources

_DISGUISE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "LATIN")


@lru_cache(maxsize=1)
def latin_lookalikes() -> dict[str, str]:
    """Return {character: lower-case ASCII letter} for single-letter Latin look-alikes."""
    data_file = resources.files("confusable_homoglyphs") / "confusables.json"
    table: dict[str, list[dict[str, str]]] = json.loads(data_file.read_text(encoding="utf-8"))
    mapping: dict[str, str] = {}
    for char, glyphs in table.items():
        if len(char) != 1 or char.isascii() or not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if not name.startswith(_DISGUISE_SCRIPTS):
            continue
        for glyph in glyphs:
            target = glyph["c"]
            if len(target) == 1 and target.isascii() and target.isalpha():
                mapping[char] = target.lower()
                break
    return mapping
