"""A service's sentence is its English text (for JSON, logs and downloads) and keeps its
message id and values for whoever shows it in another language."""

from __future__ import annotations

import json
import pickle
from datetime import date

import numpy as np

from tradewinds.i18n_markers import N_, Money, Number, Percent, Plural, Text


def test_a_text_reads_as_its_english_sentence() -> None:
    text = Text(
        "%(orders)s orders of %(day)s, %(share)s, %(total)s",
        orders=1234,
        day=date(2011, 6, 1),
        share=Percent(0.425),
        total=Money(1234.5, "GBP"),
    )
    assert text == "1,234 orders of 1 Jun 2011, 42%, 1,234.50 GBP"
    assert text.msgid == "%(orders)s orders of %(day)s, %(share)s, %(total)s"
    assert json.dumps({"note": text}) == '{"note": "1,234 orders of 1 Jun 2011, 42%, 1,234.50 GBP"}'


def test_values_may_be_numpy_numbers_or_other_texts() -> None:
    inner = Text("%(n)s buyers", n=np.int64(5000))
    outer = Text("%(who)s (%(digits)s)", who=inner, digits=Number(3.14159, 2))
    assert outer == "5,000 buyers (3.14)"
    assert outer.values["who"].msgid == "%(n)s buyers"


def test_a_plural_picks_its_form_by_n() -> None:
    assert Plural("%(num)s row", "%(num)s rows", 1) == "1 row"
    many = Plural("%(num)s row in %(file)s", "%(num)s rows in %(file)s", 2, file="a.csv")
    assert many == "2 rows in a.csv"
    assert many.plural == "%(num)s rows in %(file)s" and many.n == 2


def test_texts_survive_pickling_with_their_message_id() -> None:
    text = pickle.loads(pickle.dumps(Text("%(n)s left", n=3)))
    plural = pickle.loads(pickle.dumps(Plural("%(num)s day", "%(num)s days", 4)))
    assert (text, text.msgid, text.values) == ("3 left", "%(n)s left", {"n": 3})
    assert (plural, plural.plural, plural.n) == ("4 days", "%(num)s days", 4)


def test_a_marked_constant_is_the_string_itself() -> None:
    assert N_("Recent") == "Recent" and type(N_("Recent")) is str
