from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tradewinds.compliance.pii import find_cards, find_emails, find_phones, luhn_valid


def _luhn_complete(body: str) -> str:
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("unreachable")


@given(st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_luhn_completion_is_valid_and_one_digit_change_is_not(body: str) -> None:
    number = _luhn_complete(body)
    assert luhn_valid(number)
    changed = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not luhn_valid(changed)


def test_known_test_card_numbers() -> None:
    assert luhn_valid("4111111111111111")
    assert luhn_valid("5555555555554444")
    assert not luhn_valid("4111111111111112")
    assert not luhn_valid("")
    assert not luhn_valid("41x1")


def test_cards_in_text_with_separators_and_fullwidth_digits() -> None:
    text = "pay 4111-1111-1111-1111 or ５５５５５５５５５５５５４４４４"
    spans = list(find_cards(text))
    assert [text[a:b] for a, b in spans] == [
        "4111-1111-1111-1111",
        "５５５５５５５５５５５５４４４４",
    ]
    assert list(find_cards("order 1234 5678 9012 3456 now")) == []  # not Luhn-valid
    assert list(find_cards("0000 0000 0000 0000")) == []  # all one digit


def test_emails() -> None:
    text = "write to anna.k+shop@example.co.uk, not @handle"
    assert [text[a:b] for a, b in find_emails(text)] == ["anna.k+shop@example.co.uk"]


def test_phones_national_and_international() -> None:
    text = "Ruf an: 030 12345678 oder +1 415 555 0134"
    found = [text[a:b] for a, b in find_phones(text, ["DE"])]
    assert "030 12345678" in found and "+1 415 555 0134" in found
    assert list(find_phones("Only 19.99 for 2 mugs, 30% off", ["US"])) == []
