"""A report table's column headings in the page's language.

The Overview names its columns in English (``Month 3 retained``, ``CAC (GBP)``): the names
also pick each column's number format and head the CSV downloads. The page translates
them only where it shows them.
"""

from __future__ import annotations

import re

from tradewinds.web.i18n import N_, gettext

PATTERNS = (
    (re.compile(r"^Month (?P<month>\d+) retained$"), N_("Month %(month)s retained")),
    (re.compile(r"^Month (?P<month>\d+) LTV$"), N_("Month %(month)s LTV")),
    (re.compile(r"^Drop-off to (?P<step>.+)$"), N_("Drop-off to %(step)s")),
)
# headings the Overview writes itself (figures' labels come from analytics/metrics.py)
HEADINGS = (N_("Cohort"), N_("Payback month"), N_("Conversion"), N_("Channel"), N_("Country"))


def column_label(text: str, currency: str) -> str:
    """``Month 3 LTV (GBP)`` → ``第 3 个月 LTV (GBP)``: the currency the page adds is kept."""
    suffix = f" ({currency})"
    base, tail = (text[: -len(suffix)], suffix) if text.endswith(suffix) else (text, "")
    for pattern, message in PATTERNS:
        if match := pattern.match(base):
            parts = {k: gettext(v) for k, v in match.groupdict().items()}
            return gettext(message, **parts) + tail
    return gettext(base) + tail
