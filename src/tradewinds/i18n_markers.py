"""Sentences the services write in English and people read in their own language.

A service that words something for people (a note beside a figure, a cluster's name, an
error's reason) returns a :class:`Text`: the English message id and its named values. A
``Text`` *is* the English sentence — a ``str`` — so JSON, logs, downloads and the CLI's
``--json`` read it as before; the pages, the API and the CLI translate ``msgid`` through
the gettext catalogs and fill in the values in the reader's language and number formats
(``web/texts.py``, ``cli/output.py``).

The catalogs' extraction (``babel.cfg``) finds every ``Text("…")``, ``Plural("…", "…", n)``
and ``N_("…")`` call. Values are plain (``str``, ``int``, ``float``, ``date``), a
:class:`Number`, :class:`Percent` or :class:`Money` for a figure shown with a set number of
digits, or another ``Text`` (translated in turn). This module imports nothing of the
product, so every layer may use it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from gettext import GNUTranslations, NullTranslations
from numbers import Integral, Real
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

#: the gettext catalogs: ``<language>/LC_MESSAGES/messages.po`` (and its compiled ``.mo``)
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


@lru_cache(maxsize=32)
def translations(code: str) -> NullTranslations:
    """The compiled catalog of ``code`` (compiled in memory from the ``.po`` when its
    ``.mo`` is missing or stale); English and unknown codes read the message ids. The
    pages and the CLI read their catalogs through this one loader."""
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return GNUTranslations(handle)
    if po.exists():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return GNUTranslations(buffer)
    return NullTranslations()


def N_(message: str) -> str:
    """Marks a constant for the catalogs; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Number:
    """A figure with ``digits`` decimals (``1,234.50``)."""

    value: float
    digits: int = 0

    def __str__(self) -> str:
        return f"{self.value:,.{self.digits}f}"


@dataclass(frozen=True)
class Percent:
    """A share 0..1 shown as a percentage with ``digits`` decimals (``42%``)."""

    value: float
    digits: int = 0

    def __str__(self) -> str:
        return f"{self.value:.{self.digits}%}"


@dataclass(frozen=True)
class Money:
    """An amount in a currency (``1,234.50 GBP``)."""

    value: float
    currency: str

    def __str__(self) -> str:
        return f"{self.value:,.2f} {self.currency}"


def english(value: Any) -> str:
    """A value as the English sentence shows it."""
    if isinstance(value, Text):
        return str.__str__(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Integral):
        return f"{int(value):,}"
    if isinstance(value, Real):
        return f"{float(value):,.2f}"
    if isinstance(value, date):
        return f"{value.day} {value.strftime('%b %Y')}"
    return str(value)


class Text(str):
    """An English sentence with named ``%(name)s`` values, translated where it is shown."""

    msgid: str
    values: dict[str, Any]

    def __new__(cls, msgid: str, /, **values: Any) -> Text:
        shown = msgid % {k: english(v) for k, v in values.items()} if values else msgid
        self = super().__new__(cls, shown)
        self.msgid = msgid
        self.values = values
        return self

    def __reduce__(self) -> Any:
        return (_text, (self.msgid, self.values))


class Plural(Text):
    """A sentence with a singular and a plural form chosen by ``n`` (``%(num)s`` is ``n``)."""

    plural: str
    n: int

    def __new__(cls, singular: str, plural: str, n: int, /, **values: Any) -> Plural:
        values = {"num": n, **values}
        self = str.__new__(
            cls, (singular if n == 1 else plural) % {k: english(v) for k, v in values.items()}
        )
        self.msgid, self.plural, self.n, self.values = singular, plural, n, values
        return self

    def __reduce__(self) -> Any:
        values = {k: v for k, v in self.values.items() if k != "num"}
        return (_plural, (self.msgid, self.plural, self.n, values))


def _text(msgid: str, values: dict[str, Any]) -> Text:
    return Text(msgid, **values)


def _plural(singular: str, plural: str, n: int, values: dict[str, Any]) -> Plural:
    return Plural(singular, plural, n, **values)
