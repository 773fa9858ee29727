"""A reader's sentence (a :class:`~tradewinds.i18n_markers.Text`) kept in the app DB.

An import's reasons (why a file was refused, why a row was left out, a note) are stored
with the import as their English text *and* as their message id and values
(:func:`to_stored`), so whoever opens the import later reads them in their own language:
:func:`from_stored` rebuilds the ``Text`` for the page, the API or the CLI to translate.
Rows stored before the ids were kept have only their English text, which is shown as it is.

The stored form is plain JSON: ``{"id": msgid, "values": {...}}`` (plus ``"plural"`` and
``"n"`` for a :class:`~tradewinds.i18n_markers.Plural`); a value is a JSON scalar or a
one-key object naming its kind (``{"text": …}``, ``{"number": …, "digits": …}``,
``{"percent": …, "digits": …}``, ``{"money": …, "currency": …}``, ``{"date": "2025-05-18"}``).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from tradewinds.i18n_markers import Money, Number, Percent, Plural, Text
from tradewinds.i18n_markers import english as english_value

log = logging.getLogger("tradewinds.imports")


def to_stored(value: Any) -> dict[str, Any] | None:
    """The message id and values of ``value`` as JSON, or None when it is not a ``Text``."""
    if not isinstance(value, Text):
        return None
    if isinstance(value, Plural):
        values = {k: _value(v) for k, v in value.values.items() if k != "num"}
        return {"id": value.msgid, "plural": value.plural, "n": value.n, "values": values}
    return {"id": value.msgid, "values": {k: _value(v) for k, v in value.values.items()}}


def from_stored(stored: Any, english: str | None = None) -> str | None:
    """The ``Text`` stored by :func:`to_stored`; ``english`` (the stored English text) when
    there is none or it cannot be rebuilt (a row written before the ids were kept)."""
    if not isinstance(stored, dict) or not isinstance(stored.get("id"), str):
        return english
    try:
        values = {str(k): _read(v) for k, v in (stored.get("values") or {}).items()}
        shown = {k: english_value(v) for k, v in values.items()}
        if "plural" in stored:
            shown["num"] = english_value(int(stored["n"]))
        _ = stored["id"] % shown  # every value the message names is there
        if "plural" in stored:
            return Plural(stored["id"], str(stored["plural"]), int(stored["n"]), **values)
        return Text(stored["id"], **values)
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("a stored message could not be rebuilt (%s): %r", exc, stored.get("id"))
        return english


def _value(value: Any) -> Any:
    if isinstance(value, Text):
        return {"text": to_stored(value)}
    if isinstance(value, Number):
        return {"number": value.value, "digits": value.digits}
    if isinstance(value, Percent):
        return {"percent": value.value, "digits": value.digits}
    if isinstance(value, Money):
        return {"money": value.value, "currency": value.currency}
    if isinstance(value, date):
        return {"date": date(value.year, value.month, value.day).isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _read(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "text" in value:
        text = from_stored(value["text"])
        if text is None:
            raise ValueError("a stored value names no message")
        return text
    if "number" in value:
        return Number(float(value["number"]), int(value.get("digits", 0)))
    if "percent" in value:
        return Percent(float(value["percent"]), int(value.get("digits", 0)))
    if "money" in value:
        return Money(float(value["money"]), str(value["currency"]))
    if "date" in value:
        return date.fromisoformat(str(value["date"]))
    raise ValueError(f"unknown stored value {sorted(value)}")
