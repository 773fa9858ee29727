"""The services' sentences (``tradewinds.i18n_markers.Text``) in the page's language.

``translate`` (the templates' ``|tr`` filter) looks a :class:`Text` up in the request's
catalog and fills its values in the page's number and date formats; a plain string is
looked up as it is (a constant marked with ``N_``), and shown unchanged when the catalog
does not have it (a name from the data).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from numbers import Integral, Real
from typing import Any

from babel import Locale

from tradewinds.i18n_markers import Money, Number, Percent, Plural, Text
from tradewinds.web import i18n, numbers


def translate(value: Any) -> str:
    """``value`` in the request's language ("" for None)."""
    if value is None:
        return ""
    catalog = i18n.translations(i18n.current().code)
    if isinstance(value, Plural):
        text = catalog.ngettext(value.msgid, value.plural, value.n)
        return text % {k: shown(v) for k, v in value.values.items()}
    if isinstance(value, Text):
        text = catalog.gettext(value.msgid)
        return text % {k: shown(v) for k, v in value.values.items()} if value.values else text
    if isinstance(value, str):
        return catalog.gettext(value) if value else value
    return shown(value)


def shown(value: Any) -> str:
    """One value of a sentence as the page writes it."""
    if isinstance(value, Text):
        return translate(value)
    if isinstance(value, Number):
        return numbers.number(value.value, value.digits)
    if isinstance(value, Percent):
        return numbers.percent(value.value, value.digits)
    if isinstance(value, Money):
        return numbers.money(value.value, value.currency)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Integral):
        return numbers.number(int(value))
    if isinstance(value, Real):
        return numbers.number(float(value), 2)
    if isinstance(value, date):
        return numbers.day(value)
    return str(value)


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    """ISO 3166 code of each English territory name (how the reports name countries)."""
    return {name: code for code, name in Locale("en").territories.items() if code.isalpha()}


@lru_cache(maxsize=64)
def _territories(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).territories)


def country(name: Any) -> str:
    """A country the reports name in English (``Germany``) or by its ISO code (``DE``), in
    the page's language (``德国``, Babel's territory names); other names as they are (or
    translated, for ``(unknown)``)."""
    if not isinstance(name, str):
        return translate(name)
    if len(name) == 2 and name.isalpha() and name.isupper():  # an ISO code: DE, GB
        return _territories(i18n.current().number_locale).get(name, name)
    code = _codes().get(name)
    if code is None:
        return translate(name)
    return _territories(i18n.current().number_locale).get(code, name)
