"""Keeping the gettext catalogs in step with the pages (``make messages``, ``make catalogs``).

``python -m tradewinds.web.i18n_catalogs update`` extracts every message marked in the
templates, the web package's Python and the navigation (``babel.cfg`` at the repository's
root says where), writes ``locale/messages.pot`` and adds the new messages to each
language's ``messages.po`` (untranslated, for a translator to fill in); ``compile`` writes
the ``.mo`` files the app reads; ``check`` lists what a catalog lacks.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from tradewinds.i18n_markers import DOMAIN, LOCALE_DIR
from tradewinds.web.i18n import DEFAULT_LANGUAGE, LANGUAGES

ROOT = Path(__file__).resolve().parents[3]
# ``_d(name, label, …)`` defines each business figure in analytics/metrics.py: its label
# ``Text("…", name=value)``, ``Plural("…", "…", n)`` (i18n_markers): the services' sentences
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "lazy_gettext": None,
    "_d": (2,),
    "Text": None,
    "Plural": (1, 2),
}
# %(name)s, %s, %d (printf) and {name} (str.format) placeholders
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")


def extract_yaml(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, str]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for YAML shown to users (the navigation, the RFM segments,
    the roles, the compliance rule packs): the values of the keys named in the option
    ``keys`` wherever they occur (in nested mappings and lists, such as a pack's ``rules``),
    every text value of the mappings named in ``values_of``, the keys of those in
    ``keys_of`` (comma-separated lists). Each text is extracted with its whitespace
    normalised (runs of spaces and line breaks as one space, none at either end), as the
    rule packs' loader tidies a folded ``>`` scalar, so the shown text finds its entry."""

    def names(option: str) -> set[str]:
        return {k.strip() for k in options.get(option, "").split(",") if k.strip()}

    wanted, values_of, keys_of = names("keys"), names("values_of"), names("keys_of")

    def walk(node: Any, where: str) -> Iterator[tuple[int, str, str, list[str]]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in wanted and isinstance(value, str) and value.strip():
                    yield 0, "gettext", tidy(value), [f"{where}{key}"]
                    continue
                if key in keys_of and isinstance(value, dict):
                    for name in value:
                        yield 0, "gettext", str(name), [f"{where}{key}"]
                if key in values_of and isinstance(value, dict):
                    for name, text in value.items():
                        if isinstance(text, str) and text.strip():
                            yield 0, "gettext", tidy(text), [f"{where}{key}.{name}"]
                    continue
                yield from walk(value, f"{where}{key}.")
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, where)

    yield from walk(yaml.safe_load(fileobj.read().decode("utf-8")), "")


def tidy(text: str) -> str:
    """``text`` with its whitespace normalised, as shown (``compliance/models.py``)."""
    return " ".join(text.split())


def extract(root: Path = ROOT) -> Catalog:
    """Every message the pages use, as a template catalog."""
    with (root / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(root / "babel.cfg"))
    # the YAML method is also a "babel.extractors" entry point (for pybabel extract)
    method_map = [
        (pattern, extract_yaml if method == "tradewinds_yaml" else method)
        for pattern, method in method_map
    ]
    catalog = Catalog(project="Tradewinds", charset="utf-8", fuzzy=False)
    found = extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",),
        strip_comment_tags=True,
    )  # fmt: skip
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(code: str) -> Catalog:
    with po_path(code).open("rb") as handle:
        return read_po(handle, locale=code)


def write(code: str, catalog: Catalog) -> None:
    path = po_path(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=False, omit_header=False)


def update() -> None:
    template = extract()
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, width=100, omit_header=False)
    for language in LANGUAGES:
        catalog = read(language.code) if po_path(language.code).exists() else None
        if catalog is None:
            catalog = Catalog(locale=language.code, project="Tradewinds", fuzzy=False)
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if language.code == DEFAULT_LANGUAGE:  # English is its own message ids
            for message in catalog:
                if message.id and not any(_forms(message.string)):
                    message.string = message.id
        write(language.code, catalog)


def _forms(string: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return string if isinstance(string, tuple) else (string or "",)


def compile_all() -> list[Path]:
    written = []
    for language in LANGUAGES:
        if not po_path(language.code).exists():
            continue
        catalog = read(language.code)
        mo = po_path(language.code).with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


#: a percent sign that starts no placeholder and is not doubled: it breaks the %-formatting
#: every page message goes through ("（%）" in a label raises "unsupported format character")
_LONE_PERCENT = re.compile(r"%(?!\(\w+\)[sdfr]|[sdf%])")


def lone_percents(text: str) -> int:
    return len(_LONE_PERCENT.findall(text.replace("%%", "")))


def problems(template: Catalog, code: str) -> list[str]:
    """What ``code``'s catalog lacks: untranslated messages and changed placeholders."""
    if not po_path(code).exists():
        return [f"{po_path(code)}: no catalog"]
    catalog = read(code)
    found: list[str] = []
    for message in template:
        if not message.id:
            continue
        translated: Message | None = catalog.get(message.id, message.context)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        strings = translated.string if translated is not None else None
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = strings if isinstance(strings, tuple) else (strings,)
        if translated is None or not all(forms) or translated.fuzzy:
            found.append(f"{code}: not translated: {ids[0]!r} ({where})")
            continue
        for form in forms:
            if lone_percents(form) > lone_percents(ids[0]):
                found.append(
                    f"{code}: a lone % in {form!r} ({where}): write it as a word, or %% where "
                    "the English has placeholders"
                )
            if placeholders(form) != placeholders(ids[-1]) and placeholders(form) != placeholders(
                ids[0]
            ):
                found.append(
                    f"{code}: placeholders differ in {ids[0]!r} ({where}): "
                    f"{placeholders(ids[0])} in English, {placeholders(form)} in {form!r}"
                )
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "compile"
    if command == "update":
        update()
    elif command == "compile":
        for path in compile_all():
            print(f"compiled {path.relative_to(LOCALE_DIR)}")
    elif command == "check":
        template = extract()
        issues = [p for language in LANGUAGES for p in problems(template, language.code)]
        print("\n".join(issues) or "every catalog translates every message")
        return 1 if issues else 0
    else:
        print("usage: python -m tradewinds.web.i18n_catalogs update|compile|check")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
