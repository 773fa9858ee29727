"""Every main page in Chinese, Arabic and German, as Chromium shows it: the page says which
language and direction it is in, and no English word of the interface is left on it."""

from __future__ import annotations

import re
from functools import cache

import pytest

from tests.analytics.fixtures import order, spend
from tests.e2e.conftest import (  # noqa: F401  (fixtures)
    browser,
    live_server,
    seed_owner,
    shots,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EMAIL = "owner@ruyi.example"
PAGES = [
    "/",
    "/data",
    "/data/rates",
    "/data/sql",
    "/data/sources",
    "/data/events",
    "/attribution",
    "/attribution/campaigns",
    "/customers",
    "/customers/profile",
    "/customers/search?q=demo",
    "/customers/exports",
    "/customers/recommendations",
    "/customers/lookalikes",
    "/compliance",
    "/compliance/packs",
    "/compliance/own-packs",
    "/content",
    "/markets?year=2026",
    "/markets/vat?on=2025-07-01",
    "/markets/landed?price=129&currency=EUR&to=DE&to=GB&to=US&on=2025-03-03",
    "/markets/tax",
    "/budget",
    "/experiments",
    "/fraud",
    "/settings",
    "/settings/members",
    "/settings/roles",
    "/settings/api-keys",
    "/settings/security",
]
# browser locale -> (catalog, <html lang>, <html dir>)
LANGUAGES = {
    "zh-CN": ("zh_Hans", "zh-Hans", "ltr"),
    "ar": ("ar", "ar", "rtl"),
    "de-DE": ("de", "de", "ltr"),
}
# names that stay as they are in every language
BRANDS = {"Meta", "TikTok", "Google Ads", "Amazon", "Amazon Ads", "Shopify", "Shopee", "eBay"}
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%|\{\w+\}")
# the page's words without what users typed or imported: templates mark user data dir="auto";
# code, charts (their titles are headings outside them) and hidden text are left out too
VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[dir=auto], code, script, style, noscript, '
    + '.js-plotly-plot, '
    + '[hidden], .sr-only, option:not(:checked)').forEach(el => el.remove());
  document.body.appendChild(copy); copy.style.position = 'absolute';
  const text = copy.innerText; copy.remove();
  return document.title + '\\n' + text;
}"""


@cache
def english_fragments(code: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The English words of every message ``code`` translates differently, as patterns."""
    from tradewinds.web.i18n_catalogs import extract, read

    catalog = read(code)
    # words the language itself uses ("Export" in German, "CSV" everywhere) are not English left
    own = "\n".join(
        "\n".join(m.string) if isinstance(m.string, tuple) else m.string for m in catalog if m.id
    )
    found: dict[str, re.Pattern[str]] = {}
    for message in extract():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = catalog.get(ids[0])
        strings = translated.string if translated is not None else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        for english in ids:
            if english in strings:
                continue  # the same in both languages (ROAS, utm_campaign, Markov)
            text = re.sub(r"<[^>]+>", " ", english)
            for piece in PLACEHOLDER.split(text):
                piece = " ".join(piece.split()).strip(" .,:;()–—-…")
                if len(piece) < 4 or not re.search(r"[A-Za-z]{3}", piece):
                    continue
                pattern = re.compile(r"(?<![\w-])" + re.escape(piece) + r"(?![\w-])")
                if not pattern.search(own):
                    found[piece] = pattern
    return tuple(found.items())


def english_left(text: str, code: str) -> list[str]:
    """Each English fragment found, with the words around it."""
    left = []
    for piece, pattern in english_fragments(code):
        if piece in BRANDS:
            continue
        if match := pattern.search(text):
            around = text[max(match.start() - 30, 0) : match.end() + 30].replace("\n", " ")
            left.append(f"{piece!r} in …{around}…")
    return left


def _seed() -> None:
    from datetime import date, timedelta

    from tradewinds.warehouse import open_warehouse

    key = seed_owner("Ruyi 如意", email=EMAIL)
    days = [date(2011, 6, 1) + timedelta(days=k) for k in range(0, 180, 2)]
    with open_warehouse(key) as wh:
        wh.load(
            "orders",
            [
                order(f"o{k}", f"c{k % 30}", d.isoformat(), str(20 + k % 9),
                      country=("GB", "DE", "FR")[k % 3])
                for k, d in enumerate(days)
            ],
        )  # fmt: skip
        wh.load("ad_spend_daily", [spend(d.isoformat(), "meta", "7", "GBP") for d in days])


def test_english_is_found_when_it_is_left(live_server, browser) -> None:  # noqa: F811
    """The check itself: an English message on a German page is reported."""
    assert english_left("Bei Tradewinds anmelden", "de") == []
    assert any("'Sign in to Tradewinds'" in f for f in english_left("Sign in to Tradewinds", "de"))
    assert any("'Import history'" in f for f in english_left("Übersicht · Import history", "de"))


@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_every_page_in_the_browsers_language(live_server, browser, shots, locale) -> None:  # noqa: F811
    code, lang, direction = LANGUAGES[locale]
    _seed()
    base = live_server.url
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale=locale)
    page.goto(f"{base}/login")
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == direction
    assert english_left(page.evaluate(VISIBLE_TEXT), code) == [], "/login"
    sign_in(page, base, EMAIL)
    left: dict[str, list[str]] = {}
    for path in PAGES:
        page.goto(f"{base}{path}")
        page.wait_for_selector("main")
        assert page.get_attribute("html", "lang") == lang, path
        assert page.get_attribute("html", "dir") == direction, path
        if found := english_left(page.evaluate(VISIBLE_TEXT), code):
            left[path] = found
    assert not left, f"English left on {locale} pages: {left}"

    page.goto(f"{base}/")
    page.wait_for_selector("#chart-trend .main-svg")
    nav = page.locator("#nav").bounding_box()
    main = page.locator("#main").bounding_box()
    if direction == "rtl":  # the navigation on the right, the figures still left to right
        assert nav["x"] > main["x"]
        value = page.locator("[data-metric=revenue] .value")
        assert value.evaluate("el => getComputedStyle(el).direction") == "ltr"
    else:
        assert nav["x"] < main["x"]
    page.screenshot(path=str(shots / f"i18n-{code}-overview-1440.png"), full_page=True)
    page.goto(f"{base}/customers")
    page.screenshot(path=str(shots / f"i18n-{code}-customers-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in (("/", "overview"), ("/data", "data")):
        page.goto(f"{base}{path}")
        page.wait_for_selector("main")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone in {locale} ({width}px)"
        page.screenshot(path=str(shots / f"i18n-{code}-{name}-390.png"), full_page=True)


def test_the_picker_changes_the_language(live_server, browser) -> None:  # noqa: F811
    _seed()
    base = live_server.url
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-GB")
    sign_in(page, base, EMAIL)
    page.goto(f"{base}/data?x=1")
    assert page.get_attribute("html", "lang") == "en"
    page.select_option("[data-testid=language] select", "ar")  # submits on change
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    assert page.url.endswith("/data?x=1")
    assert page.locator("h1").inner_text() == "البيانات"
    page.goto(f"{base}/settings")
    assert page.get_attribute("html", "lang") == "ar"  # kept for the next pages
