"""The language a page is written in, and gettext for pages and Python messages.

Catalogs are ``tradewinds/locale/<language>/LC_MESSAGES/messages.po``, compiled to ``.mo``
by ``make install`` / ``make dev-install`` (``python -m tradewinds.web.i18n_catalogs
compile``); a catalog whose ``.mo`` is missing or older than its ``.po`` is compiled in
memory when first used, so a plain ``pip install`` still shows translated pages.

The language of a request, first that applies:

1. the signed-in user's setting (``users.locale``), or the ``tw_lang`` cookie the language
   picker sets (the sign-in pages, before anyone is signed in);
2. the browser's ``Accept-Language``, negotiated with Babel against the languages below;
3. the workspace's default language (``workspaces.locale``);
4. English.

Numbers, money and dates (``web/numbers.py``) follow the browser's locale (``de-AT`` keeps
Austrian formats on a German page); once the user has chosen a language the browser does
not speak (or the page is in the workspace's default language without any Accept-Language),
they follow that language's usual locale, so a page chosen in German never shows British
figures.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from functools import lru_cache
from http.cookies import CookieError, SimpleCookie
from typing import Any

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.support import LazyProxy

from tradewinds.i18n_markers import translations

COOKIE = "tw_lang"
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    code: str  # the catalog's directory under locale/
    name: str  # in its own language, as the picker lists it
    number_locale: str  # the Babel locale for figures when the browser's is another language
    tag: str  # BCP 47, for <html lang>
    rtl: bool = False

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "en_GB", "en"),
    Language("zh_Hans", "简体中文", "zh_Hans_CN", "zh-Hans"),
    Language("zh_Hant", "繁體中文", "zh_Hant_TW", "zh-Hant"),
    Language("ja", "日本語", "ja_JP", "ja"),
    Language("ko", "한국어", "ko_KR", "ko"),
    Language("de", "Deutsch", "de_DE", "de"),
    Language("fr", "Français", "fr_FR", "fr"),
    Language("es", "Español", "es_ES", "es"),
    Language("pt_BR", "Português (Brasil)", "pt_BR", "pt-BR"),
    Language("ar", "العربية", "ar", "ar", rtl=True),
    Language("id", "Bahasa Indonesia", "id_ID", "id"),
    Language("vi", "Tiếng Việt", "vi_VN", "vi"),
    Language("th", "ไทย", "th_TH", "th"),
)
BY_CODE = {language.code: language for language in LANGUAGES}

# Browser tags (lower case, "_" for "-") that name one of the languages above; a tag with a
# region Babel does not find here falls back to its language part (``de_ch`` → ``de``).
_TAGS: dict[str, str] = {language.code.lower(): language.code for language in LANGUAGES}
_TAGS.update(
    {
        "zh": "zh_Hans", "zh_cn": "zh_Hans", "zh_sg": "zh_Hans", "zh_my": "zh_Hans",
        "zh_hans_cn": "zh_Hans", "zh_tw": "zh_Hant", "zh_hk": "zh_Hant", "zh_mo": "zh_Hant",
        "zh_hant_tw": "zh_Hant", "zh_hant_hk": "zh_Hant", "pt": "pt_BR", "in": "id",
    }
)  # fmt: skip


def language_of(code: str | None) -> Language | None:
    """The language a stored setting or cookie names, or None when it names none of ours."""
    if not code:
        return None
    known = BY_CODE.get(code) or BY_CODE.get(_TAGS.get(code.replace("-", "_").lower(), ""))
    return known


def accepted_tags(header: str) -> list[str]:
    """The language tags of an ``Accept-Language`` header as sent (``de-DE``), most wanted
    first (by quality, then order); at most the first 20, none with quality 0 or ``*``."""
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        tag = tag.strip()
        if tag and tag != "*" and quality > 0:
            wanted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(wanted)]


def _preferred(header: str) -> list[str]:
    """The tags of an ``Accept-Language`` header, most wanted first (``de_de``)."""
    return [tag.replace("-", "_").lower() for tag in accepted_tags(header)]


@lru_cache(maxsize=512)
def negotiate(header: str | None) -> str | None:
    """Our language for an ``Accept-Language`` header, or None when it names none of them."""
    if not header:
        return None
    preferred = _preferred(header)
    # Babel tries each tag whole, then its language part; "zh_hant_tw" also as "zh_tw"
    expanded: list[str] = []
    for tag in preferred:
        expanded.append(tag)
        parts = tag.split("_")
        if len(parts) == 3:
            expanded.append(f"{parts[0]}_{parts[2]}")
    found = negotiate_locale(expanded, list(_TAGS), aliases={})
    return _TAGS[found] if found else None


@dataclass
class RequestLanguage:
    """What one request is written in; the page dependencies refine it once the user is known."""

    language: Language
    browser_locale: str  # the number locale the browser's Accept-Language asks for
    accept_language: str
    chosen: bool  # the user or the picker cookie named it (not the browser)

    @property
    def number_locale(self) -> str:
        browser = self.browser_locale
        if not self.chosen and (self.accept_language or self.language.code == DEFAULT_LANGUAGE):
            return browser  # the browser's figures, as before any language was chosen
        if self.accept_language and _same_language(browser, self.language.number_locale):
            return browser
        return self.language.number_locale


def _same_language(one: str, other: str) -> bool:
    try:
        a, b = Locale.parse(one), Locale.parse(other)
    except (UnknownLocaleError, ValueError):
        return False
    if a.language != b.language:
        return False
    if a.language == "zh":  # simplified and traditional are different written languages
        return _script(a) == _script(b)
    return True


def _script(locale: Locale) -> str:
    if locale.script:
        return locale.script
    return "Hant" if locale.territory in {"TW", "HK", "MO"} else "Hans"


_current: ContextVar[RequestLanguage | None] = ContextVar("tradewinds_language", default=None)


def cookie_language(cookie_header: str) -> str | None:
    try:
        jar = SimpleCookie(cookie_header)
    except CookieError:
        return None
    morsel = jar.get(COOKIE)
    known = language_of(morsel.value) if morsel else None
    return known.code if known else None


def start_request(accept_language: str, cookie_header: str, browser_locale: str) -> Token[Any]:
    """Set the request's language from its headers (the app's request middleware calls it,
    before any endpoint, so sync endpoints see it); give the token to :func:`end_request`."""
    from_cookie = cookie_language(cookie_header)
    code = from_cookie or negotiate(accept_language) or DEFAULT_LANGUAGE
    state = RequestLanguage(
        language=BY_CODE[code],
        browser_locale=browser_locale,
        accept_language=accept_language,
        chosen=from_cookie is not None,
    )
    return _current.set(state)


def end_request(token: Token[Any]) -> None:
    _current.reset(token)


def adopt(user_locale: str | None, workspace_locale: str | None) -> None:
    """Once the signed-in user is known: their setting wins; the workspace's default
    applies when neither the picker nor the browser named one of our languages."""
    state = _current.get()
    if state is None:
        return
    user = language_of(user_locale)
    if user is not None:
        state.language, state.chosen = user, True
        return
    workspace = language_of(workspace_locale)
    if workspace is not None and not state.chosen and negotiate(state.accept_language) is None:
        state.language = workspace


def current() -> Language:
    state = _current.get()
    return state.language if state is not None else BY_CODE[DEFAULT_LANGUAGE]


def current_number_locale() -> str | None:
    state = _current.get()
    return state.number_locale if state is not None else None


def gettext(message: str, **variables: Any) -> str:
    """``message`` in the request's language, ``%(name)s`` placeholders filled from
    ``variables`` (the same call as Jinja's newstyle ``_()``)."""
    text = translations(current().code).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """The singular or plural form for ``n`` in the request's language; ``%(num)s`` is ``n``."""
    text = translations(current().code).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def pgettext(context: str, message: str, **variables: Any) -> str:
    text = translations(current().code).pgettext(context, message)
    return text % variables if variables else text


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """A message defined at import time (a module constant), translated when it is shown."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


def template_gettext(message: str) -> str:
    """Jinja's newstyle ``_()`` and ``{% trans %}``: Jinja fills the placeholders itself."""
    return translations(current().code).gettext(message)


def template_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current().code).ngettext(singular, plural, n)


def template_pgettext(context: str, message: str) -> str:
    return translations(current().code).pgettext(context, message)


def install(env: Any) -> None:
    """Give a Jinja environment ``{% trans %}``, ``_()``, ``ngettext()`` and the language."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        template_gettext, template_ngettext, newstyle=True, pgettext=template_pgettext
    )
    env.globals.update(current_language=current, languages=LANGUAGES)


_ = gettext
N_: Callable[[str], str] = str  # marks a message for extraction; translated where shown
