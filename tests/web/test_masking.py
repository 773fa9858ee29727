"""Masking personal data on pages that list many people."""

from __future__ import annotations

from tradewinds.web.masking import mask_digits, mask_email, mask_name, mask_text


def test_emails_keep_their_first_letter_and_domain():
    assert mask_email("ann.smith@example.com") == "a••••••••@example.com"
    assert mask_email("a@b.co") == "a••@b.co"


def test_phone_and_card_numbers_keep_their_last_digits():
    assert mask_digits("+44 20 7946 0958") == "+•• •• •••• •958"
    text = mask_text("call +49 30 12345678, card 4111 1111 1111 1111, order 12347")
    assert text == "call +•• •• •••••678, card •••• •••• •••• 1111, order 12347"


def test_free_text_without_personal_data_is_unchanged():
    assert mask_text("anon-7f3c") == "anon-7f3c"
    assert mask_text("user 12347 wrote ann@example.com") == "user 12347 wrote a••@example.com"
    assert mask_text(None) is None and mask_text("") == ""


def test_names_become_first_name_and_initial():
    assert mask_name("Ann", "Smith") == "Ann S."
    assert mask_name(None, "Smith") == "S." and mask_name("Ann", None) == "Ann"
