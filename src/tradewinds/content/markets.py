"""Markets as the content studio sees them: the language copy is written in, how prices,
numbers and dates are written there (Babel), which way the text runs, and the calendar
(upcoming public holidays from the ``holidays`` package)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.numbers import format_currency, format_decimal

from tradewinds.compliance.registry import canonical_market

# market (ISO 3166 alpha-2) -> content language (a templates/<language>/ folder)
MARKET_LANGUAGE: dict[str, str] = {
    "US": "en",
    "UK": "en",
    "GB": "en",
    "IE": "en",
    "AU": "en",
    "NZ": "en",
    "CA": "en",
    "SG": "en",
    "IN": "en",
    "PH": "en",
    "ZA": "en",
    "DE": "de",
    "AT": "de",
    "CH": "de",
    "LI": "de",
    "FR": "fr",
    "BE": "fr",
    "LU": "fr",
    "MC": "fr",
    "ES": "es",
    "MX": "es",
    "AR": "es",
    "CO": "es",
    "CL": "es",
    "PE": "es",
    "IT": "it",
    "BR": "pt_BR",
    "PT": "pt_BR",
    "NL": "nl",
    "PL": "pl",
    "JP": "ja",
    "KR": "ko",
    "CN": "zh_Hans",
    "TW": "zh_Hant",
    "HK": "zh_Hant",
    "MO": "zh_Hant",
    "SA": "ar",
    "AE": "ar",
    "EG": "ar",
    "QA": "ar",
    "KW": "ar",
    "BH": "ar",
    "OM": "ar",
    "JO": "ar",
    "ID": "id",
    "MY": "ms",
    "TH": "th",
    "VN": "vi",
}

# the languages the template engine writes
LANGUAGES: tuple[str, ...] = (
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt_BR",
    "nl",
    "pl",
    "ja",
    "ko",
    "zh_Hans",
    "zh_Hant",
    "ar",
    "id",
    "ms",
    "th",
    "vi",
)
RTL_LANGUAGES = frozenset({"ar"})
# scripts written without spaces between words: copy is cut at grapheme boundaries
UNSPACED_LANGUAGES = frozenset({"ja", "zh_Hans", "zh_Hant", "th"})
# the market's usual currency, when a product gives a price without one
MARKET_CURRENCY: dict[str, str] = {
    "US": "USD",
    "UK": "GBP",
    "GB": "GBP",
    "DE": "EUR",
    "FR": "EUR",
    "ES": "EUR",
    "IT": "EUR",
    "NL": "EUR",
    "AT": "EUR",
    "BE": "EUR",
    "IE": "EUR",
    "PT": "EUR",
    "PL": "PLN",
    "CH": "CHF",
    "JP": "JPY",
    "KR": "KRW",
    "CN": "CNY",
    "TW": "TWD",
    "HK": "HKD",
    "SA": "SAR",
    "AE": "AED",
    "BR": "BRL",
    "MX": "MXN",
    "ID": "IDR",
    "MY": "MYR",
    "TH": "THB",
    "VN": "VND",
    "AU": "AUD",
    "CA": "CAD",
    "SG": "SGD",
    "IN": "INR",
}


class UnknownMarket(ValueError):
    """A market code the content studio has no language for."""


def language_for(market: str, overrides: dict[str, str] | None = None) -> str:
    """The content language of a market (``overrides`` maps market -> language, e.g. CH -> fr)."""
    code = canonical_market(market)
    if overrides:
        wanted = overrides.get(code) or overrides.get(market)
        if wanted:
            if wanted not in LANGUAGES:
                raise UnknownMarket(
                    f"language {wanted!r} for market {code!r} is not one the studio writes "
                    f"({', '.join(LANGUAGES)})"
                )
            return wanted
    if code in MARKET_LANGUAGE:
        return MARKET_LANGUAGE[code]
    raise UnknownMarket(
        f"market {market!r}: no content language known; give one with languages "
        f"(e.g. {{{code!r}: 'en'}})"
    )


def direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


@lru_cache(maxsize=512)
def locale_for(market: str, language: str) -> Locale:
    """The Babel locale for copy in ``language`` shown in ``market`` (de + AT -> de_AT)."""
    code = canonical_market(market)
    region = "GB" if code == "UK" else code
    base = language.split("_")[0]
    rest = language.split("_")[1] if "_" in language else ""
    script = rest if len(rest) == 4 else None
    candidates = []
    if script:
        candidates.append(f"{base}_{script}_{region}")
        candidates.append(language)
    else:
        candidates.append(f"{base}_{region}")
        candidates.append(language)
        candidates.append(base)
    for name in candidates:
        try:
            return Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def format_price(price: Decimal, currency: str | None, market: str, language: str) -> str:
    """The price as the market writes it (``19,99 €`` in DE, ``$19.99`` in the US)."""
    locale = locale_for(market, language)
    code = currency or MARKET_CURRENCY.get(canonical_market(market))
    if code is None:
        return format_decimal(price, locale=locale)
    return format_currency(price, code, locale=locale)


def format_number(value: int | Decimal, market: str, language: str) -> str:
    return format_decimal(value, locale=locale_for(market, language))


def format_day(day: date, market: str, language: str) -> str:
    """A short day-and-month (``24. Dez.``, ``12月24日``)."""
    return format_skeleton("MMMd", day, locale=locale_for(market, language))


def plural_category(count: int, market: str, language: str) -> str:
    """Babel's CLDR plural category of ``count`` (one, two, few, many, other, zero)."""
    return locale_for(market, language).plural_form(count)


@dataclass(frozen=True, slots=True)
class Holiday:
    day: date
    name: str
    days_until: int


# holidays' own language codes for the content languages, tried before the others
_HOLIDAY_LANGUAGE = {"pt_BR": "pt_BR", "zh_Hans": "zh_CN", "zh_Hant": "zh_TW"}


def _holiday_language(code: str, language: str, supported: tuple[str, ...], default: str) -> str:
    base = language.split("_")[0]
    if language == "zh_Hant" and code in ("HK", "MO"):
        wanted = ["zh_HK", "zh_TW"]
    else:
        wanted = [_HOLIDAY_LANGUAGE.get(language, language)]
    wanted += [language, base, f"{base}_{code}"]
    for name in wanted:
        if name in supported:
            return name
    return next((s for s in supported if s.startswith(base + "_")), default)


@lru_cache(maxsize=256)
def _holiday_table(code: str, year: int, language: str) -> tuple[tuple[date, str], ...]:
    import holidays

    try:
        table = holidays.country_holidays(code, years=(year, year + 1))
    except NotImplementedError:
        return ()
    supported = tuple(getattr(table, "supported_languages", ()) or ())
    default = getattr(table, "default_language", None)
    if supported:
        chosen = _holiday_language(code, language, supported, default or supported[0])
        table = holidays.country_holidays(code, years=(year, year + 1), language=chosen)
    return tuple(sorted((day, str(name)) for day, name in table.items()))


def upcoming_holidays(
    market: str, *, today: date, days: int = 30, language: str | None = None
) -> list[Holiday]:
    """Public holidays of ``market`` from tomorrow to ``today + days`` (soonest first; a
    holiday today is too late to order for), named in ``language`` where the holidays
    package has that translation, else in the market's own."""
    code = canonical_market(market)
    code = "GB" if code == "UK" else code
    lang = language or MARKET_LANGUAGE.get(code, "en")
    end = today + timedelta(days=days)
    out: list[Holiday] = []
    for day, name in _holiday_table(code, today.year, lang):
        if today < day <= end:
            first = name.split(";")[0].strip()
            out.append(Holiday(day=day, name=first, days_until=(day - today).days))
    return out
