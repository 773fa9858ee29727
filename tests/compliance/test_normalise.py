from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.compliance.normalise import LEET, fold_char, normalise

EVASIONS = [
    ("Ｎｏ．１ ＢＥＳＴ", "no.1 best"),  # full-width forms
    ("bеst", "best"),  # Cyrillic е
    ("ΒΕЅТ", "best"),  # Greek Beta/Epsilon, Cyrillic Dze, Cyrillic Te
    ("b e s t deal", "best deal"),  # letter spacing
    ("F.R.E.E shipping", "free shipping"),
    ("b-e-s-t", "best"),
    ("最 佳 产品", "最佳产品"),  # spaces between CJK characters
    ("日 本 一", "日本一"),
    ("الأَفْضَـــل", "الافضل"),  # harakat, tatweel, hamza on alef
    ("be\u200bst", "best"),  # zero-width space
    ("cafe\u0301", "cafe"),  # combining accent
    ("Straße", "strasse"),
    ("رقم ١", "رقم 1"),  # Arabic-Indic digit
]


@pytest.mark.parametrize(("text", "expected"), EVASIONS)
def test_evasion_tricks_normalise_to_plain_form(text: str, expected: str) -> None:
    assert normalise(text).text == expected


@pytest.mark.parametrize(("text", "expected"), EVASIONS)
def test_whole_normalised_text_maps_back_to_whole_original(text: str, expected: str) -> None:
    norm = normalise(text)
    start, end = norm.to_original(0, len(norm.text))
    assert text[start:end].strip() == text.strip()


def test_span_in_the_middle_maps_to_original_characters() -> None:
    text = "Our ＢＥＳＴ offer"
    norm = normalise(text)
    i = norm.text.index("best")
    start, end = norm.to_original(i, i + 4)
    assert text[start:end] == "ＢＥＳＴ"


def test_japanese_voicing_marks_and_thai_vowels_are_kept() -> None:
    assert normalise("ガ").text == "ガ"
    assert normalise("ดีที่สุด").text == "ดีที่สุด"


def test_ordinary_words_are_not_closed_up() -> None:
    assert normalise("I am a b").text == "i am a b"
    assert normalise("The best deal").text == "the best deal"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_index_map_points_into_the_original(text: str) -> None:
    norm = normalise(text)
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    previous = 0
    for i, char in enumerate(norm.text):
        start, end = norm.starts[i], norm.ends[i]
        assert 0 <= start < end <= len(text)
        assert start >= previous  # order is kept
        previous = start
        folded = "".join(fold_char(c) for c in text[start:end])
        # a digit or symbol standing for a letter inside a word is read as that letter
        assert char in folded or char in {LEET[c] for c in folded if c in LEET}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_any_normalised_span_maps_to_a_valid_original_span(text: str, a: int, b: int) -> None:
    norm = normalise(text)
    lo, hi = sorted((min(a, len(norm.text)), min(b, len(norm.text))))
    start, end = norm.to_original(lo, hi)
    assert 0 <= start <= end <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Lu", "Ll", "Nd", "Zs"]), max_size=30))
def test_normalisation_is_idempotent_on_letters(text: str) -> None:
    once = normalise(text).text
    assert normalise(once).text == normalise(unicodedata.normalize("NFKC", once)).text
