"""Personal data in ad copy: e-mail addresses, phone numbers and payment-card numbers.

Why not Presidio: presidio-analyzer was evaluated. Its e-mail and credit-card recognisers are
a regular expression plus a Luhn check, and its phone recogniser is a thin wrapper around
Google's ``phonenumbers``; but the package hard-depends on spaCy (and ``AnalyzerEngine``
wants a spaCy language model, which cannot be downloaded at run time here) and on
``tldextract``, which fetches the public-suffix list over the network. Using ``phonenumbers``
directly gives the same phone detection (all regions, national and international formats)
without those dependencies, and the e-mail/card checks below are the same technique.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import phonenumbers
import regex

_EMAIL = regex.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}@(?:[\w-]{1,63}\.)+[^\W\d_]{2,24}(?![\w-])", regex.V1
)
# 13-19 digits, optionally grouped by single spaces or hyphens (Unicode digits allowed)
_CARD = regex.compile(r"(?<![\d\w])\d(?:[ \-]?\d){12,18}(?![\d\w])", regex.V1)
_ENOUGH_DIGITS = regex.compile(r"(?:\d\D{0,3}){7}", regex.V1)


def luhn_valid(digits: str) -> bool:
    """True when the digit string passes the Luhn (mod 10) check used by card numbers."""
    if not digits or not all(ch.isdigit() for ch in digits):
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def find_emails(text: str) -> Iterator[tuple[int, int]]:
    if "@" not in text and "＠" not in text:
        return
    for match in _EMAIL.finditer(text):
        yield match.span()


def find_cards(text: str) -> Iterator[tuple[int, int]]:
    for match in _CARD.finditer(text):
        digits = "".join(ch for ch in match.group() if ch.isdigit())
        if 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_valid(digits):
            yield match.span()


def find_phones(text: str, regions: Sequence[str]) -> Iterator[tuple[int, int]]:
    """Valid phone numbers for any of ``regions`` (international numbers in any region)."""
    if not _ENOUGH_DIGITS.search(text):
        return
    seen: set[tuple[int, int]] = set()
    for region in regions or ("US",):
        matcher = phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.VALID
        )
        for match in matcher:
            span = (match.start, match.end)
            if span in seen:
                continue
            seen.add(span)
            digits = "".join(ch for ch in match.raw_string if ch.isdigit())
            if 13 <= len(digits) <= 19 and luhn_valid(digits):
                continue  # a card number, reported by the card check
            yield span
