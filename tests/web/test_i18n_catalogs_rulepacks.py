"""The compliance rule packs' words are extracted as the loader tidies them, and every
catalog translates each of them (a missing one fails the catalog check)."""

from __future__ import annotations

import io

import pytest
from babel.messages.catalog import Catalog

from tradewinds.compliance.loader import builtin_packs
from tradewinds.web import i18n
from tradewinds.web.i18n_catalogs import extract, extract_yaml, problems

FOLDED = b"""\
id: demo
title: Demo pack
description: >
  First line of a folded
  description.
rules:
  - id: one
    message: >
      A message written over
      two lines.
    nested:
      - message: "  A message   inside a list  "
  - id: two
    message: Plain message.
    fields: [description, title]
"""


def _shown() -> set[str]:
    """Every title, description and rule message the packs show, as the loader tidies them."""
    words: set[str] = set()
    for pack in builtin_packs().values():
        words.update(w for w in (pack.title, pack.description) if w)
        words.update(rule.message for rule in pack.rules)
    return words


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract()


def test_the_extractor_reads_nested_rules_and_folded_scalars() -> None:
    found = [
        message
        for _, _, message, _ in extract_yaml(
            io.BytesIO(FOLDED), None, None, {"keys": "title, description, message"}
        )
    ]
    assert found == [
        "Demo pack",
        "First line of a folded description.",  # no line break, no trailing newline
        "A message written over two lines.",
        "A message inside a list",
        "Plain message.",
    ]  # a list of field names under `fields` is not text to translate


def test_every_pack_title_description_and_message_is_extracted(template: Catalog) -> None:
    ids = {m.id for m in template if isinstance(m.id, str)}
    shown = _shown()
    assert len(shown) > 100
    assert not shown - ids, sorted(shown - ids)[:5]
    # a folded `>` message reads as the loader tidies it
    number_one = builtin_packs()["global"].rules[0].message
    assert "\n" not in number_one and number_one in ids


@pytest.mark.parametrize(
    "code", [language.code for language in i18n.LANGUAGES if language.code != "en"]
)
def test_every_catalog_translates_what_the_packs_show(code: str) -> None:
    from tradewinds.web.i18n_catalogs import read

    catalog = read(code)
    missing = [w for w in _shown() if catalog.get(w) is None or not catalog.get(w).string]
    assert not missing, f"{code} lacks {len(missing)}: {missing[:3]}"


def test_a_missing_rule_message_fails_the_catalog_check(template, tmp_path, monkeypatch) -> None:
    from tradewinds.web import i18n_catalogs

    message = builtin_packs()["uk"].rules[0].message
    catalog = i18n_catalogs.read("zh_Hans")
    assert catalog.get(message) is not None
    catalog.delete(message)
    monkeypatch.setattr(i18n_catalogs, "LOCALE_DIR", tmp_path)
    i18n_catalogs.write("zh_Hans", catalog)
    found = problems(template, "zh_Hans")
    assert len(found) == 1 and f"not translated: '{message[:30]}" in found[0], found
    assert "rulepacks/uk.yaml" in found[0]
