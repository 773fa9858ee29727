"""Personal data shown masked on pages that list many people (the live event view, the
customer search): an e-mail address keeps its first letter and its domain, a phone number
its last three digits, a card number its last four.

What counts as an e-mail, phone or card number is decided by the same detectors the
ad-copy checks use (``compliance/pii.py``), so free text (a user id, a refusal's reason)
is masked wherever such a value appears in it.
"""

from __future__ import annotations

from tradewinds.compliance import pii

DOT = "•"
# Numbers written in international form are found in any region; these add the national
# forms of the markets most sellers ship to.
PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "AU", "CA")


def mask_email(value: str) -> str:
    """``ann.smith@example.com`` -> ``a••••••••@example.com``."""
    local, at, domain = value.partition("@")
    if not at:
        return mask_digits(value)
    return (local[:1] + DOT * max(len(local) - 1, 2)) + "@" + domain


def mask_digits(value: str, keep: int = 3) -> str:
    """Every digit but the last ``keep`` replaced: ``+44 7700 900123`` -> ``+•• •••• •••123``."""
    total = sum(ch.isdigit() for ch in value)
    out, seen = [], 0
    for ch in value:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - keep else DOT)
        else:
            out.append(ch)
    return "".join(out)


def mask_text(text: str | None) -> str | None:
    """``text`` with every e-mail address, phone number and card number in it masked."""
    if not text:
        return text
    spans: list[tuple[int, int, str]] = []
    spans += [(a, b, "email") for a, b in pii.find_emails(text)]
    spans += [(a, b, "card") for a, b in pii.find_cards(text)]
    spans += [(a, b, "phone") for a, b in pii.find_phones(text, PHONE_REGIONS)]
    out, at = [], 0
    for start, end, kind in sorted(spans):
        if start < at:  # overlaps a span already masked (a card is also digits)
            continue
        out.append(text[at:start])
        part = text[start:end]
        if kind == "email":
            out.append(mask_email(part))
        else:
            out.append(mask_digits(part, keep=4 if kind == "card" else 3))
        at = end
    out.append(text[at:])
    return "".join(out)


def mask_name(first: str | None, last: str | None) -> str:
    """``Ann``, ``Smith`` -> ``Ann S.``: enough to tell results apart."""
    first = (first or "").strip()
    last = (last or "").strip()
    return " ".join(part for part in (first, f"{last[:1]}." if last else "") if part)
