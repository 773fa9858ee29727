from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tradewinds.web.exports import DANGEROUS, csv_bytes, safe_cell, xlsx_bytes


@given(st.text())
def test_no_cell_starts_like_a_formula(text: str) -> None:
    cell = safe_cell(text)
    assert not cell.startswith(DANGEROUS)
    assert cell.endswith(text)


def test_numbers_stay_numbers() -> None:
    assert safe_cell(-5) == -5 and safe_cell(1.5) == 1.5 and safe_cell(None) == ""
    assert safe_cell("-5") == "'-5"  # text that looks like a formula is text


def test_csv_and_xlsx() -> None:
    rows = [["=1+1", 2.5], ["\tx", None], ["ok", -3]]
    parsed = list(csv.reader(io.StringIO(csv_bytes(["a", "+b"], rows).decode("utf-8-sig"))))
    assert parsed == [["a", "'+b"], ["'=1+1", "2.5"], ["'\tx", ""], ["ok", "-3"]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["a", "b"], rows, sheet="x/y"))).active
    assert [[c.value for c in r] for r in sheet.iter_rows()][1:] == [
        ["'=1+1", 2.5],
        ["'\tx", None],
        ["ok", -3],
    ]
