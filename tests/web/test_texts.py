"""The services' sentences shown in the page's language and number formats."""

from __future__ import annotations

from datetime import date

import pytest

from tradewinds.audiences.clusters import _describe, _name
from tradewinds.i18n_markers import Money, Percent, Plural, Text
from tradewinds.web import i18n
from tradewinds.web.texts import country, translate


@pytest.fixture
def german():
    token = i18n.start_request("de-DE", "", "de_DE")
    yield
    i18n.end_request(token)


@pytest.fixture
def chinese():
    token = i18n.start_request("zh-CN", "", "zh_Hans_CN")
    yield
    i18n.end_request(token)


def test_a_cluster_is_named_and_described_in_the_pages_language(german) -> None:
    name = _name({"recency_days": -1.0, "orders": 1.0, "aov": 1.0, "revenue": 0.0})
    assert name == "Recent repeat buyers, big baskets"  # the English stays for the API
    assert translate(name) == "Aktive Wiederkäufer, große Warenkörbe"
    medians = {"recency_days": 12.0, "orders": 3.0, "revenue": 1500.5, "aov": 50.25}
    described = translate(_describe(medians, medians, 1234, 0.5))
    assert described.startswith("1.234 Kunden (50%). Typisches Mitglied:")  # German figures
    assert "1.500,50" in described


def test_values_follow_the_pages_formats(german) -> None:
    text = Text(
        "Ad spend of %(start)s – %(end)s is estimated from a period report: "
        "“%(report)s” (%(total)s for the %(platform)s account, spread evenly over its "
        "%(days)s days; %(in_window)s of them fall in this period).",
        start=date(2011, 6, 1),
        end=date(2011, 6, 30),
        report="Landing page report",
        total=Money(1234.5, "GBP"),
        platform="google",
        days=30,
        in_window=10,
    )
    shown = translate(text)
    assert shown.startswith("Die Werbeausgaben vom 1. Juni 2011 – 30. Juni 2011")
    assert "1.234,50\xa0£ für das google-Konto" in shown
    assert "Landing page report" in shown  # the report's own name is data


def test_a_message_the_catalog_lacks_and_data_are_shown_as_they_are(german) -> None:
    assert translate(Text("Nothing like %(x)s", x=Percent(0.5))) == "Nothing like 50%"
    assert translate("Ruyi 如意 summer sale") == "Ruyi 如意 summer sale"
    assert translate("(no ad touch)") == "(kein Werbekontakt)"  # a marked constant
    assert translate(None) == ""
    assert translate(Plural("%(num)s row", "%(num)s rows", 3)) == "3 rows"


def test_countries_use_babels_names_in_the_pages_language(german, chinese) -> None:
    assert country("Germany") == "德国"
    assert country("(unknown)") == "（未知）"
    assert country("Atlantis") == "Atlantis"


def test_without_a_request_the_english_is_shown() -> None:
    assert translate(Text("Recent")) == "Recent"
    assert country("Germany") == "Germany"
