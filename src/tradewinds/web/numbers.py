"""Numbers, money and percentages as the viewer reads them.

The locale comes from the browser's ``Accept-Language`` (negotiated with Babel against the
locales it knows), so a seller in Berlin reads ``1.234,50 £`` and one in London
``£1,234.50`` on the same page; British English when the browser names nothing Babel
knows. When the page is written in another language than the browser's (the user chose
one, ``web/i18n.py``), figures follow the page's language. The app's request middleware
sets it per request (:func:`use_locale_of`); the pages' formatting helpers read it.
Downloads (CSV, XLSX) keep raw numbers whatever the locale.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from datetime import date
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from tradewinds.web import i18n

DEFAULT_LOCALE = "en_GB"
_locale: ContextVar[str] = ContextVar("tradewinds_locale", default=DEFAULT_LOCALE)


def current_locale() -> str:
    return i18n.current_number_locale() or _locale.get()


@lru_cache(maxsize=512)
def negotiate(header: str | None) -> str:
    """The best locale for an ``Accept-Language`` header (``de-DE,de;q=0.9,en;q=0.8``)."""
    if not header:
        return DEFAULT_LOCALE
    for tag in i18n.accepted_tags(header):
        try:
            return str(Locale.parse(tag, sep="-"))
        except (UnknownLocaleError, ValueError):
            continue
    return DEFAULT_LOCALE


def use_locale_of(accept_language: bytes, cookie: bytes = b"") -> tuple[Token[str], Token[Any]]:
    """Set the request's locale from its ``Accept-Language`` header and the page language
    from that and its language cookie (the app's request middleware calls it, so sync
    endpoints see it); give the tokens to :func:`reset_locale`."""
    header = accept_language.decode("latin-1")[:200]
    browser = negotiate(header)
    return _locale.set(browser), i18n.start_request(header, cookie.decode("latin-1"), browser)


def reset_locale(tokens: tuple[Token[str], Token[Any]]) -> None:
    _locale.reset(tokens[0])
    i18n.end_request(tokens[1])


def right_to_left() -> bool:
    """Whether the viewer's locale writes right to left (Arabic)."""
    return _character_order(current_locale()) == "right-to-left"


@lru_cache(maxsize=64)
def _character_order(locale: str) -> str:
    return Locale.parse(locale).character_order


def money(value: float | None, currency: str, *, whole: bool = False) -> str:
    """``£1,234.50``; with ``whole``, no minor units (``£1,235``). Empty for None."""
    if value is None:
        return ""
    locale = current_locale()
    if whole:
        return format_currency(
            value, currency, format=_whole_pattern(locale), locale=locale, currency_digits=False
        )
    return format_currency(value, currency, locale=locale)


@lru_cache(maxsize=64)
def _whole_pattern(locale: str) -> str:
    """The locale's own currency pattern without decimals (``#,##0 ¤`` in German)."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    return pattern.split(";")[0].replace(".00", "")


def number(value: Any, digits: int = 0, *, pattern: str | None = None) -> str:
    """``1,234`` (or with ``digits`` decimals, or a Babel ``pattern``). Empty for None."""
    if value is None:
        return ""
    pattern = pattern or "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=current_locale())


def percent(value: float | None, digits: int | None = 1) -> str:
    """``12.3%`` (``digits`` decimals; None: Babel's default for the locale)."""
    if value is None:
        return ""
    if digits is None:
        return format_percent(value, locale=current_locale())
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=pattern, locale=current_locale())


def rate(value: float | None) -> str:
    """A tax or duty rate given in percent, with the decimals it has: ``25.5%``, ``19%``
    (``25,5 %`` in German)."""
    if value is None:
        return ""
    return format_percent(value / 100, format="#,##0.##%", locale=current_locale())


def day(value: date, *, year: bool = True) -> str:
    """``10 Nov 2011`` (``11月10日`` in Chinese); without ``year``, ``10 Nov``."""
    return format_skeleton("yMMMd" if year else "MMMd", value, locale=current_locale())


def month(value: date) -> str:
    """``Nov 2011`` (``2011年11月`` in Chinese)."""
    return format_skeleton("yMMM", value, locale=current_locale())


def compact(value: float | None, digits: int = 1) -> str:
    """A large figure in few characters, as the locale shortens it: ``1.7m`` in British
    English, ``1.7M`` in American, ``170.4万`` in Chinese, ``1,7 Mio.`` in German. Empty
    for None."""
    if value is None:
        return ""
    return format_compact_decimal(value, fraction_digits=digits, locale=current_locale())


def compact_money(value: float | None, currency: str, digits: int = 1) -> str:
    """An amount of money in few characters: ``£1.7m`` in British English, ``1,7 Mio. £``
    in German, ``£170.4万`` in Chinese (Babel's compact currency patterns). Empty for None."""
    if value is None:
        return ""
    return format_compact_currency(value, currency, fraction_digits=digits, locale=current_locale())


def month_of(text: str) -> str:
    """A ``YYYY-MM`` month (a cohort's name) as the locale writes a short month:
    ``Jan 2011``, ``2011年1月``; text that is not such a month comes back unchanged."""
    try:
        first = date.fromisoformat(f"{text}-01")
    except (TypeError, ValueError):
        return text
    return month(first)
