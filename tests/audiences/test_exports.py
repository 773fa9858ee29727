from __future__ import annotations

import csv
import hashlib
import io

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from tradewinds.audiences.exports import (
    build_export,
    country_code,
    normalise_email,
    normalise_phone,
)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["1", "2", "3", "4"],
        "email": ["  Anna.Schmidt@Example.DE ", "bob@example.com", None, "nope"],
        "phone": ["030 1234567", "+1 (650) 253-0000", "0151 23456789", None],
        "first_name": [" Änne ", "Bob", None, "X"],
        "last_name": ["Müller-Lüdenscheidt", "O'Neil", None, "Y"],
        "city": ["Berlin", "Mountain View", None, None],
        "region": [None, "California", None, None],
        "postal_code": ["10115", "94043-1351", None, None],
        "country": ["DE", "United States", "DE", "FR"],
        "accepts_marketing": [True, True, False, True],
    }
)


def test_google_customer_match_layout() -> None:
    result = build_export(CUSTOMERS, platform="google")
    rows = list(csv.reader(io.StringIO(result.csv_text)))
    assert rows[0] == ["Email", "Phone", "First Name", "Last Name", "Country", "Zip"]
    assert rows[1] == [
        _sha("anna.schmidt@example.de"),
        _sha("+49301234567"),
        _sha("änne"),
        _sha("müller-lüdenscheidt"),
        "DE",
        "10115",
    ]
    assert rows[2][1] == _sha("+16502530000") and rows[2][4] == "US"
    # customer 3 has not consented; customer 4 has neither a valid email nor a phone
    assert result.rows == 2 and result.skipped_no_consent == 1
    assert result.skipped_no_identifier == 1


def test_meta_custom_audience_layout() -> None:
    result = build_export(CUSTOMERS, platform="meta")
    rows = list(csv.reader(io.StringIO(result.csv_text)))
    assert rows[0] == ["email", "phone", "fn", "ln", "ct", "st", "zip", "country"]
    assert rows[2] == [
        _sha("bob@example.com"),
        _sha("16502530000"),
        _sha("bob"),
        _sha("oneil"),
        _sha("mountainview"),
        _sha("ca"),
        _sha("94043"),
        _sha("us"),
    ]


def test_normalisers() -> None:
    assert normalise_email(" A@B.CO ") == "a@b.co"
    assert normalise_email("not an email") == ""
    assert normalise_phone("+44 20 7183 8750") == "+442071838750"
    assert normalise_phone("020 7183 8750", country="United Kingdom") == "+442071838750"
    assert normalise_phone("12", country="DE") == ""
    assert country_code("germany") == "DE" and country_code("Atlantis") == ""


@given(st.text(max_size=30), st.sampled_from(["", "DE", "US", "GB", "CN"]))
def test_phone_normaliser_gives_e164_or_nothing(text: str, country: str) -> None:
    out = normalise_phone(text, country=country)
    assert out == "" or (out.startswith("+") and out[1:].isdigit() and len(out) <= 16)
