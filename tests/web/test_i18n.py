"""The page's language: the user's setting, then Accept-Language, then the workspace's
default, then English; figures follow it; the picker keeps the choice."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from tradewinds.db.engine import session_scope
from tradewinds.db.models.tenancy import User, Workspace
from tradewinds.web import i18n, numbers

from .browser import login, post_form


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh_Hans"),
        ("zh-TW", "zh_Hant"),
        ("zh-Hant-HK", "zh_Hant"),
        ("zh", "zh_Hans"),
        ("de-AT,de;q=0.9", "de"),
        ("pt-PT", "pt_BR"),
        ("en-GB,en;q=0.9", "en"),
        ("nl-NL,fr;q=0.5", "fr"),
        ("ar-SA", "ar"),
        ("nl-NL", None),
        ("", None),
    ],
)
def test_accept_language_is_negotiated_with_babel(header: str, expected: str | None) -> None:
    assert i18n.negotiate(header) == expected


def _state(header: str, cookie: str = "") -> i18n.RequestLanguage:
    token = i18n.start_request(header, cookie, numbers.negotiate(header))
    try:
        state = i18n._current.get()
        assert state is not None
        return state
    finally:
        i18n.end_request(token)


def test_figures_keep_the_browsers_region_while_it_speaks_the_pages_language() -> None:
    assert _state("de-AT,de;q=0.9").number_locale == "de_AT"
    assert _state("en-GB", "tw_lang=de").number_locale == "de_DE"  # chosen German: German figures
    assert _state("zh-TW", "tw_lang=zh_Hans").number_locale == "zh_Hans_CN"
    assert _state("nl-NL").number_locale == "nl_NL"  # no page language: the browser's figures
    assert _state("", "tw_lang=ar").number_locale == "ar"
    assert _state("", "tw_lang=klingon").language.code == "en"  # a cookie naming none of ours


def test_pages_default_to_english_left_to_right(client) -> None:
    page = client.get("/login").text
    assert '<html lang="en" dir="ltr">' in page and "Sign in to Tradewinds" in page
    assert "rtl.css" not in page


def test_the_sign_in_page_follows_the_browser(client) -> None:
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert '<html lang="zh-Hans" dir="ltr">' in chinese and "登录 Tradewinds" in chinese
    arabic = client.get("/login", headers={"Accept-Language": "ar"}).text
    assert '<html lang="ar" dir="rtl">' in arabic and "/static/rtl.css" in arabic
    german = client.get("/login", headers={"Accept-Language": "de-DE"}).text
    assert '<html lang="de" dir="ltr">' in german and "Bei Tradewinds anmelden" in german


def test_the_picker_keeps_the_choice_for_the_user(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    response = post_form(client, "/settings", "/language", {"language": "de", "next": "/settings"})
    assert response.status_code == 303 and response.headers["location"] == "/settings"
    assert "tw_lang=de" in response.headers["set-cookie"]
    with session_scope() as session:
        user = session.scalars(sa.select(User).where(User.email == tenants.a.owner_email)).one()
        assert user.locale == "de"
    # the user's setting wins over the browser, also in a browser without the cookie
    client.cookies.delete("tw_lang")
    page = client.get("/settings", headers={"Accept-Language": "zh-CN"}).text
    assert '<html lang="de" dir="ltr">' in page and "Arbeitsbereich" in page
    assert 'value="de" lang="de" selected' in page  # the picker shows the choice


def test_the_picker_refuses_a_language_it_does_not_offer(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    response = post_form(client, "/settings", "/language", {"language": "xx", "next": "/"})
    assert response.status_code == 422
    assert "language: xx is not one of the languages offered" in html.unescape(response.text)


def test_anonymous_choice_is_a_cookie(client) -> None:
    response = post_form(client, "/login", "/language", {"language": "ja", "next": "/login"})
    assert response.status_code == 303
    page = client.get("/login").text
    assert '<html lang="ja" dir="ltr">' in page


def test_workspace_default_applies_when_the_browser_names_none_of_ours(client, tenants) -> None:
    with session_scope() as session:
        workspace = session.scalars(
            sa.select(Workspace).where(Workspace.key == tenants.a.workspace_key)
        ).one()
        workspace.locale = "fr"
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    assert '<html lang="fr"' in client.get("/settings", headers={"Accept-Language": "nl"}).text
    # the browser's own language, when it is one of ours, comes first
    assert '<html lang="de"' in client.get("/settings", headers={"Accept-Language": "de"}).text


def test_workspace_default_is_set_in_the_settings(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    response = post_form(
        client, "/settings", "/settings",
        {"currency": "GBP", "timezone": "Europe/London", "locale": "ko"},
    )  # fmt: skip
    assert response.status_code == 200
    with session_scope() as session:
        workspace = session.scalars(
            sa.select(Workspace).where(Workspace.key == tenants.a.workspace_key)
        ).one()
        assert workspace.locale == "ko"
    refused = post_form(
        client, "/settings", "/settings",
        {"currency": "GBP", "timezone": "Europe/London", "locale": "tlh"},
    )  # fmt: skip
    assert refused.status_code == 422  # said in the workspace's new default language
    assert '<html lang="ko"' in refused.text
    assert "언어: tlh은(는) 제공되는 언어가 아닙니다" in html.unescape(refused.text)
