"""The readers' hints that name a command-line option, and their words for the upload form.

A reason that tells the seller how to fix an import (choose the format, the date order, the
partial orders option) names the ``tradewinds import`` option in the CLI and the upload
form's control on the Data page. The readers write the command line's hint as a value of
their sentence (``Text("…. %(hint)s", hint=Text(FORMAT_HINT))``); the import history swaps
it for the form's (:func:`for_the_form`), in English and in every catalog alike.
"""

from __future__ import annotations

from typing import Any

from tradewinds.i18n_markers import N_, Plural, Text

FORMAT_HINT = N_("Use --format NAME to choose one, or --mapping FILE for any other table")
MAPPING_HINT = N_("(or give a mapping file with --mapping)")
DATE_ORDER_HINT = N_("choose it with --date-order dmy or --date-order mdy")
PARTIAL_ORDERS_HINT = N_("the partial orders option (--partial-orders)")

#: each command-line hint and the upload form's words for it
FORM_HINTS = {
    FORMAT_HINT: N_(
        "Choose the format in the upload form, or use a mapping file from the command line"
    ),
    MAPPING_HINT: N_("(other tables: a mapping file, see the docs)"),
    DATE_ORDER_HINT: N_("choose it in the upload form's Date order (date_order in the API)"),
    PARTIAL_ORDERS_HINT: N_(
        "the upload form's “Import the good lines of orders with a bad line” box "
        "(partial_orders in the API)"
    ),
}


def hint(message: str) -> Text:
    """A command-line hint as a value of a reader's sentence."""
    return Text(message)


def for_the_form(message: Any) -> Any:
    """``message`` with its command-line hints in the upload form's words: a ``Text``'s
    values are swapped (so it stays translatable), a plain string is rewritten."""
    if isinstance(message, Text):
        if not message.values and message.msgid in FORM_HINTS:
            return Text(FORM_HINTS[message.msgid])
        values = {k: for_the_form(v) for k, v in message.values.items()}
        if values == message.values:
            return message
        if isinstance(message, Plural):
            values.pop("num", None)
            return Plural(message.msgid, message.plural, message.n, **values)
        return Text(message.msgid, **values)
    if isinstance(message, str):
        for old, new in FORM_HINTS.items():
            message = message.replace(old, new)
    return message
