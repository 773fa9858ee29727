"""The language of the `tradewinds` command's messages for people.

The first of these that names one of the interface's languages: ``TRADEWINDS_LANG``, then
``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` (``de_DE.UTF-8``, ``zh_TW``, ``pt``); else English.
``C`` and ``POSIX`` mean English. The messages come from the same gettext catalogs as the
pages (``tradewinds/locale``); ``--json`` output is never translated. Typer's own words
(the help screen's frame, the usage errors) come from them too: see
``cli/toolkit_language.py`` and ``cli/toolkit_messages.py``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from tradewinds.i18n_markers import LOCALE_DIR, Plural, Text, english, translations

VARIABLES = ("TRADEWINDS_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
# tags that name a catalog other than by their language part
_ALIASES = {
    "zh": "zh_Hans", "zh_cn": "zh_Hans", "zh_sg": "zh_Hans", "zh_hans": "zh_Hans",
    "zh_tw": "zh_Hant", "zh_hk": "zh_Hant", "zh_mo": "zh_Hant", "zh_hant": "zh_Hant",
    "pt": "pt_BR", "pt_pt": "pt_BR", "in": "id",
}  # fmt: skip


def catalogs() -> dict[str, str]:
    """The languages that have a catalog: lower-case code → directory name."""
    return {p.name.lower(): p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir()}


def language_of(value: str | None) -> str | None:
    """The catalog a locale setting names (``de_DE.UTF-8`` → ``de``), or None."""
    if not value:
        return None
    tag = value.split(".")[0].split("@")[0].replace("-", "_").strip().lower()
    if not tag or tag in {"c", "posix"}:
        return None
    known = catalogs()
    parts = tag.split("_")
    for candidate in (tag, "_".join(parts[:2]), parts[0]):
        if candidate in _ALIASES:
            return _ALIASES[candidate]
        if candidate in known:
            return known[candidate]
    return None


def chosen(environ: Mapping[str, str] | None = None) -> str:
    """The command's language from the environment (``en`` when none names one of ours)."""
    env = os.environ if environ is None else environ
    for name in VARIABLES:
        value = env.get(name)
        if value:
            # the first variable that is set decides, as for any POSIX program
            return language_of(value) or "en"
    return "en"


def gettext(message: str, /, **values: Any) -> str:
    """``message`` in the command's language, its ``%(name)s`` values filled in."""
    text = translations(chosen()).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    text = translations(chosen()).ngettext(singular, plural, n)
    return text % {"num": n, **values}


def translate(value: Any) -> str:
    """A service's sentence (``Text``) in the command's language; other values as they are."""
    if isinstance(value, Plural):
        text = translations(chosen()).ngettext(value.msgid, value.plural, value.n)
        return text % {k: translate(v) for k, v in value.values.items()}
    if isinstance(value, Text):
        text = translations(chosen()).gettext(value.msgid)
        if not value.values:
            return text
        return text % {k: translate(v) for k, v in value.values.items()}
    return english(value)
