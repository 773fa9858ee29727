"""The date-range control (web/periods.py): the URL's preset, days and comparison, the
period in words, and the pages that show the control."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tradewinds.analytics.periods import DataDays
from tradewinds.attribution import demo
from tradewinds.errors import InvalidInput
from tradewinds.warehouse import open_warehouse
from tradewinds.web import numbers, periods

from .browser import login

DAYS = DataDays(first=date(2010, 12, 1), last=date(2011, 12, 9), reference=date(2011, 12, 9))


def test_nothing_in_the_url_is_the_last_30_days() -> None:
    got = periods.read({}, days=DAYS)
    assert (got.start, got.end, got.preset, got.compare) == (
        date(2011, 11, 10),
        date(2011, 12, 9),
        "last_30_days",
        "",
    )
    assert got.query() == {"preset": "last_30_days"}
    assert periods.read({}, days=DAYS, default_compare="previous").compare == "previous"


def test_a_preset_wins_over_the_days_and_custom_days_are_kept() -> None:
    got = periods.read(
        {"preset": "last_month", "from": "2011-01-01", "to": "2011-01-02"}, days=DAYS
    )
    assert (got.start, got.end) == (date(2011, 11, 1), date(2011, 11, 30))
    custom = periods.read(
        {"from": ["2011-03-01"], "to": ["2011-03-31"], "compare": "year"}, days=DAYS
    )
    assert custom.preset == "custom" and custom.compare == "year"
    assert (custom.compare_start, custom.compare_end) == (date(2010, 3, 1), date(2010, 3, 31))
    assert custom.query() == {
        "preset": "custom",
        "from": "2011-03-01",
        "to": "2011-03-31",
        "compare": "year",
    }
    # a custom period without an end ends on the reference day
    open_end = periods.read({"preset": "custom", "from": "2011-12-01"}, days=DAYS)
    assert (open_end.start, open_end.end) == (date(2011, 12, 1), date(2011, 12, 9))
    # "none" (what the control sends) turns a page's default comparison off
    assert periods.read({"compare": "none"}, days=DAYS, default_compare="previous").compare == ""


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2011-02-31"}, "from"),
        ({"to": "9 Dec"}, "to"),
        ({"from": "2011-12-09", "to": "2011-12-01"}, "from"),
        ({"preset": "fortnight"}, "preset"),
        ({"compare": "decade"}, "compare"),
        ({"from": "2000-01-01", "to": "2011-12-01"}, "from"),
    ],
)
def test_bad_input_names_the_field(query: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        periods.read(query, days=DAYS)
    assert caught.value.details == {"field": field}


def test_comparison_with_no_data_or_part_of_it() -> None:
    # 10 Nov – 9 Dec 2010 holds 9 days of data (from 1 Dec): partial, not empty
    partial = periods.read({"preset": "last_30_days", "compare": "year"}, days=DAYS)
    assert partial.compare_partial and not partial.compare_empty
    assert partial.compare_days_with_data == 9
    before_data = periods.read(
        {"preset": "custom", "from": "2010-12-01", "to": "2010-12-31", "compare": "previous"},
        days=DAYS,
    )
    assert before_data.compare_empty and not before_data.compare_partial
    days = periods.words(date(2010, 10, 31), date(2010, 11, 30))
    assert periods.no_data_text(before_data) == f"no data in the comparison period ({days})"
    full = periods.read({"preset": "last_7_days", "compare": "previous"}, days=DAYS)
    assert not full.compare_empty and not full.compare_partial


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en_GB", "10 Nov – 9 Dec 2011"),
        ("zh_Hans_CN", "2011年11月10日 – 12月9日"),
        ("de_DE", "10. Nov. – 9. Dez. 2011"),
    ],
)
def test_the_period_in_words(locale: str, text: str) -> None:
    token = numbers._locale.set(locale)
    try:
        got = periods.words(date(2011, 11, 10), date(2011, 12, 9))
    finally:
        numbers._locale.reset(token)
    assert re.sub(r"\s", " ", got) == text


END = date(2024, 6, 30)


def _words(text: str) -> str:
    return re.sub(r"[\u2009\u202f\xa0]", " ", text)


def test_pages_that_report_on_a_period_show_the_control(client, tenants) -> None:
    rows = demo.journey_rows(customers=120, end=END, days=60, currency="GBP", seed=5)
    with open_warehouse(tenants.a.workspace_key) as warehouse:
        for table in ("identities", "touchpoints", "orders", "ad_spend_daily"):
            warehouse.load(table, rows[table])
    last = max(o["ordered_at"] for o in rows["orders"]).date()
    login(client, tenants.a.owner_email, tenants.a.owner_password)

    # no period in the URL: the last 30 days ending on the last day with orders, in the
    # boxes, the page title and the heading
    page = client.get("/attribution")
    assert page.status_code == 200
    text = _words(page.text)
    start = date.fromordinal(last.toordinal() - 29)
    assert f'name="from" value="{start.isoformat()}"' in text
    assert f'name="to" value="{last.isoformat()}"' in text
    assert '<option value="last_30_days" selected>' in text
    title = re.search(r"<title>(.*?)</title>", text).group(1)
    assert _words(title) == f"Attribution · {_words(periods.words(start, last))} · Tradewinds"
    assert 'data-testid="period-words"' in text and 'data-testid="tile-change"' not in text

    # comparison on: headline figures and each channel against the previous 7 days
    page = client.get("/attribution?preset=last_7_days&compare=previous")
    text = page.text
    assert page.status_code == 200
    assert text.count('data-testid="tile-change"') == 8
    assert 'data-testid="comparison-table"' in text
    assert '<option value="previous" selected>' in text
    assert "vs " in text

    # a comparison period before the first order says so instead of a percentage
    page = client.get("/attribution?preset=all_time&compare=year")
    assert "no data in the comparison period (" in page.text
    assert 'data-testid="tile-change"' not in page.text
    overview = client.get("/?preset=all_time&compare=year")
    assert overview.text.count('data-testid="no-comparison-data"') >= 5
    assert "compared with the same days a year before" in overview.text

    # the Overview's presets and its comparison off
    month = client.get("/?preset=last_month&compare=none")
    assert month.status_code == 200
    first_of = last.replace(day=1)
    prev_end = date.fromordinal(first_of.toordinal() - 1)
    assert f'name="from" value="{prev_end.replace(day=1).isoformat()}"' in month.text
    assert f'name="to" value="{prev_end.isoformat()}"' in month.text
    assert '<option value="none" selected>' in month.text
    assert "compared with" not in month.text

    # Customers: the period's customer figures compared with the previous period
    customers = client.get("/customers?preset=last_30_days&compare=previous")
    assert customers.status_code == 200
    assert 'data-testid="period-tiles"' in customers.text
    assert 'data-testid="tile-change"' in customers.text
    assert 'data-testid="period-control"' in customers.text

    # pages that do not report on a period have no date boxes
    for path in ("/data", "/settings", "/customers/exports"):
        other = client.get(path, follow_redirects=True)
        assert other.status_code == 200, path
        assert 'data-testid="period-control"' not in other.text, path

    # bad input is a clear error naming the field
    bad = client.get("/attribution?from=2024-02-31")
    assert bad.status_code == 422 and "from: '2024-02-31' is not a date" in bad.text
    assert client.get("/?preset=fortnight").status_code == 422
