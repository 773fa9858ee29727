"""Figures in the viewer's locale, chosen from the browser's Accept-Language."""

from __future__ import annotations

import pytest

from tests.analytics.fixtures import order
from tradewinds.warehouse import open_warehouse
from tradewinds.web import numbers

from .browser import login


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de_DE"),
        ("fr;q=0.5, de;q=0.9", "de"),  # the higher quality wins, wherever it is
        ("en-US", "en_US"),
        ("xx-YY, *", "en_GB"),  # nothing Babel knows: British English
        ("", "en_GB"),
        ("pt-BR;q=abc, es", "es"),  # a broken quality is skipped, not fatal
    ],
)
def test_negotiate(header: str, locale: str) -> None:
    assert numbers.negotiate(header) == locale


@pytest.mark.parametrize(
    ("locale", "money", "whole", "pct", "count"),
    [
        ("en_GB", "£1,234.50", "€12,346", "12.3%", "1,234,567"),
        ("de_DE", "1.234,50\xa0£", "12.346\xa0€", "12,3%", "1.234.567"),
    ],
)
def test_formats_follow_the_locale(locale, money, whole, pct, count) -> None:
    token = numbers._locale.set(locale)
    try:
        assert numbers.money(1234.5, "GBP") == money
        assert numbers.money(12345.6, "EUR", whole=True) == whole
        assert numbers.percent(0.123) == pct and numbers.number(1234567) == count
        assert numbers.money(None, "GBP") == "" and numbers.number(None) == ""
    finally:
        numbers._locale.reset(token)


@pytest.mark.parametrize(
    ("locale", "count", "money", "month"),
    [
        ("en_GB", "1.7m", "US$1.7m", "Jan 2011"),
        ("en_US", "1.7M", "$1.7M", "Jan 2011"),
        ("zh_CN", "170.4万", "US$170.4万", "2011年1月"),
        ("de_DE", "1,7\xa0Mio.", "1,7\xa0Mio.\xa0$", "Jan. 2011"),
    ],
)
def test_compact_figures_and_months(locale, count, money, month) -> None:
    token = numbers._locale.set(locale)
    try:
        assert numbers.compact(1_703_808) == count
        assert numbers.compact_money(1_703_808, "USD") == money
        assert numbers.month_of("2011-01") == month
        assert numbers.month_of("(none)") == "(none)"  # not a month: as written
        assert numbers.compact(None) == "" and numbers.compact_money(None, "GBP") == ""
    finally:
        numbers._locale.reset(token)


def test_overview_tiles_in_the_browser_language(client, tenants) -> None:
    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load("orders", [order("o1", "c1", "2024-03-01", "1234.5")])
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    german = client.get(
        "/?from=2024-03-01&to=2024-03-01", headers={"Accept-Language": "de-DE,de;q=0.9"}
    ).text
    assert "1.234,50\xa0£" in german
    british = client.get("/?from=2024-03-01&to=2024-03-01").text
    assert "£1,234.50" in british and "1.234,50" not in british
