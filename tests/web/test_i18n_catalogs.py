"""Every message the pages mark for translation is translated in all 13 catalogs, with the
same placeholders as the English."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from tradewinds.web import i18n
from tradewinds.web.i18n_catalogs import extract, placeholders, problems


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract()


def test_the_pages_templates_python_and_navigation_are_extracted(template: Catalog) -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    assert len(ids) > 400
    # one message from each source babel.cfg names
    assert "Sign in to Tradewinds" in ids  # a template
    assert "Models disagree on the top channel: compare them below before moving budget." in ids
    assert "Abandoned-cart and win-back journeys by email, SMS and webhook." in ids  # navigation
    assert "Champions" in ids and "analyst" in ids  # RFM segments, roles
    assert "Average order value" in ids  # the figures' labels
    assert "%(rows)s row" in ids  # a {% trans %} block with a plural


@pytest.mark.parametrize("code", [language.code for language in i18n.LANGUAGES])
def test_catalog_translates_every_message(template: Catalog, code: str) -> None:
    found = problems(template, code)
    assert not found, f"{len(found)} problems in {code}:\n" + "\n".join(found[:40])


def test_placeholders_are_compared_as_written() -> None:
    assert placeholders("%(rows)s rows in %(currency)s, {name} and %d") == sorted(
        ["%(rows)s", "%(currency)s", "{name}", "%d"]
    )
    assert placeholders("Importing %(percent)s%%") == ["%(percent)s"]


def test_a_lone_percent_sign_is_counted() -> None:
    from tradewinds.web.i18n_catalogs import lone_percents

    assert lone_percents("今日からの最大変化（%）") == 1
    assert lone_percents("Importing %(percent)s%%") == 0
    assert lone_percents("%s of %d, 50%% off") == 0


def test_a_missing_or_changed_placeholder_is_a_problem(template: Catalog, tmp_path, monkeypatch):
    from tradewinds.web import i18n_catalogs

    catalog = i18n_catalogs.read("de")
    message = catalog.get("Saved: %(saved)s.")
    assert message is not None
    message.string = "Gespeichert: %(gespeichert)s."
    untranslated = catalog.get("Overview")
    assert untranslated is not None
    untranslated.string = ""
    monkeypatch.setattr(i18n_catalogs, "LOCALE_DIR", tmp_path)
    i18n_catalogs.write("de", catalog)
    found = problems(template, "de")
    assert any("placeholders differ in 'Saved: %(saved)s.'" in p for p in found), found
    assert any("not translated: 'Overview'" in p for p in found), found
