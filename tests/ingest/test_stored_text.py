"""A reader's sentence survives the app DB: stored as JSON, rebuilt with its id and values."""

from __future__ import annotations

import json
from datetime import date, datetime

from tradewinds.i18n_markers import Money, Number, Percent, Plural, Text
from tradewinds.ingest.hints import DATE_ORDER_HINT, FORM_HINTS, for_the_form, hint
from tradewinds.ingest.spec import FileError, message_of
from tradewinds.ingest.stored_text import from_stored, to_stored


def _round_trip(value: Text) -> Text:
    stored = json.loads(json.dumps(to_stored(value)))  # as the JSON column keeps it
    rebuilt = from_stored(stored, "English only")
    assert isinstance(rebuilt, Text)
    return rebuilt


def test_a_text_with_every_kind_of_value_comes_back_the_same() -> None:
    inner = Plural("%(num)s good line", "%(num)s good lines", 3)
    text = Text(
        "%(what)s: %(lines)s, %(share)s, %(spend)s, %(figure)s, %(day)s, %(row)s, %(name)s",
        what=Text("price"),
        lines=inner,
        share=Percent(0.1),
        spend=Money(12.5, "EUR"),
        figure=Number(1234.5, 1),
        day=datetime(2025, 5, 18, 0, 0),
        row=1234,
        name="orders.csv",
    )
    rebuilt = _round_trip(text)
    assert str(rebuilt) == str(text)
    assert rebuilt.msgid == text.msgid
    assert rebuilt.values["lines"].plural == "%(num)s good lines"
    assert rebuilt.values["day"] == date(2025, 5, 18)
    assert rebuilt.values["spend"] == Money(12.5, "EUR")


def test_without_a_stored_id_the_english_is_shown() -> None:
    assert from_stored(None, "the date 2025-02-31 does not exist") == (
        "the date 2025-02-31 does not exist"
    )
    assert to_stored("a plain string") is None
    broken = {"id": "%(name)s is empty", "values": {}}  # a value the message needs is gone
    assert from_stored(broken, "orders.csv is empty") == "orders.csv is empty"
    assert from_stored({"id": "x", "values": {"v": {"odd": 1}}}, "kept") == "kept"


def test_a_file_error_keeps_its_text_and_reads_english() -> None:
    reason = Text("%(name)s is not a readable zip file", name="orders.zip")
    exc = FileError(reason)
    assert str(exc) == "orders.zip is not a readable zip file"
    assert exc.message is reason and message_of(exc) is reason
    assert message_of(ValueError("plain")) == "plain"


def test_the_command_line_hint_becomes_the_upload_forms_words() -> None:
    text = Text(
        "%(file)s: if one order is right, %(hint)s", file="a.csv", hint=hint(DATE_ORDER_HINT)
    )
    form = for_the_form(text)
    assert isinstance(form, Text) and form.msgid == text.msgid
    assert str(form) == f"a.csv: if one order is right, {FORM_HINTS[DATE_ORDER_HINT]}"
    assert for_the_form(str(text)) == str(form)  # an English string from before: rewritten
    assert for_the_form(Text("no hint here")) == "no hint here"
