"""The importing guide shown under Data → Supported exports, in the page's language: each
translation keeps the English guide's structure (its headings, tables and code blocks),
and a language without one falls back to the English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tradewinds.web import i18n
from tradewinds.web.routes.data import GUIDE, guide_file

from .browser import login

TRANSLATED = sorted(GUIDE.parent.glob(f"{GUIDE.stem}.*{GUIDE.suffix}"))


def structure(text: str) -> dict[str, object]:
    """What a translation must keep: heading levels in order, the format names in the
    headings (``google_ads``), the code blocks as written, and the tables' shapes."""
    fences = re.findall(r"^```.*?^```", text, flags=re.M | re.S)
    body = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    headings = re.findall(r"^(#{1,6}) (.*)$", body, flags=re.M)
    rows = [line.count("|") for line in body.splitlines() if line.startswith("|")]
    return {
        "levels": [len(marks) for marks, _ in headings],
        "codes in headings": [re.findall(r"`[^`]+`", title) for _, title in headings],
        "code blocks": fences,
        "table rows": rows,
    }


def test_every_language_of_the_interface_has_the_guide() -> None:
    codes = {path.name.split(".")[1] for path in TRANSLATED}
    assert codes == set(i18n.BY_CODE) - {i18n.DEFAULT_LANGUAGE}


@pytest.mark.parametrize("path", TRANSLATED, ids=lambda p: p.name)
def test_a_translation_keeps_the_guides_structure(path: Path) -> None:
    english, translated = structure(GUIDE.read_text()), structure(path.read_text())
    for part, value in english.items():
        assert translated[part] == value, f"{path.name}: {part} differ from {GUIDE.name}"


def test_the_page_language_picks_the_file_and_falls_back_to_english(tmp_path) -> None:
    english = tmp_path / "importing.md"
    english.write_text("# Importing\n")
    (tmp_path / "importing.de.md").write_text("# Importieren\n")
    assert guide_file("de", english) == tmp_path / "importing.de.md"
    assert guide_file("th", english) == english
    assert guide_file("en", english) == english


def test_the_supported_exports_page_shows_the_guide_of_the_pages_language(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    german = client.get("/data/guide", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert german.status_code == 200
    assert "Werbeausgaben und Bestellungen aus Dateien importieren" in german.text
    arabic = client.get("/data/guide", headers={"Accept-Language": "ar"})
    assert "استيراد الإنفاق الإعلاني والطلبات من الملفات" in arabic.text
    english = client.get("/data/guide", headers={"Accept-Language": "en-GB"})
    assert "Importing ad spend and orders from files" in english.text
