"""A period without orders or ad spend: the Overview says what data exists when."""

from __future__ import annotations

import html
import re

from tests.analytics.fixtures import order, spend
from tradewinds.warehouse import open_warehouse

from .browser import login


def _seed(key: str) -> None:
    with open_warehouse(key) as wh:
        wh.load(
            "orders",
            [order(f"o{i}", f"c{i}", f"2024-03-{1 + i:02d}", "10") for i in range(20)]
            + [order("late", "c9", "2024-04-02", "15")],
        )
        wh.load("ad_spend_daily", [spend("2024-09-05", "meta", "40", "GBP")])


def test_an_empty_period_names_it_and_lists_the_data(client, tenants) -> None:
    _seed(tenants.a.workspace_key)
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/?from=2013-01-01&to=2013-01-31&compare=year")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert 'data-testid="period-empty"' in text
    assert 'data-testid="tiles"' not in text and "—" not in text  # no wall of dashes
    assert "No orders or ad spend in 1 Jan 2013 – 31 Jan 2013" in text
    table = text[text.index('data-testid="coverage"') :]
    orders = table[table.index('data-table="orders"') : table.index('data-table="ad_spend_daily"')]
    assert ">21</td>" in orders and "Mar 2024 – Apr 2024" in orders
    assert 'Mar 2024 <span class="muted">(20)' in orders and "Apr 2024 <span" in orders
    assert 'href="/?from=2024-03-01&to=2024-03-31&compare=year"' in orders  # the month
    # one click: the last 30 days of each table (the comparison kept)
    assert re.search(
        r'data-testid="jump-orders">Show the last 30 days with orders '
        r"\(4 Mar 2024 – 2 Apr 2024\)",
        text,
    )
    assert 'href="/?from=2024-03-04&to=2024-04-02&compare=year"' in text
    assert 'href="/?from=2024-09-05&to=2024-09-05&compare=year"' in text  # ad spend's
    for table_name in ("ad_spend_period", "events", "touchpoints"):
        assert f'data-table="{table_name}"' not in text  # tables without rows are not listed
    jumped = client.get("/?from=2024-03-04&to=2024-04-02")
    assert 'data-testid="tiles"' in jumped.text and 'data-testid="period-empty"' not in jumped.text


def test_spend_without_orders_says_so_beside_the_tiles(client, tenants) -> None:
    _seed(tenants.a.workspace_key)
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    text = html.unescape(client.get("/?from=2024-09-01&to=2024-09-30").text)
    assert 'data-testid="tiles"' in text and 'data-testid="period-empty"' not in text
    note = text[text.index('data-testid="no-orders"') :]
    assert note.startswith('data-testid="no-orders">No orders in 1 Sept 2024 – 30 Sept 2024')
    assert 'href="/?from=2024-03-04&to=2024-04-02"' in note[:600]
    # and the other way round: orders without ad spend
    text = html.unescape(client.get("/?from=2024-03-01&to=2024-03-31").text)
    assert 'data-testid="no-spend">No ad spend in 1 Mar 2024 – 31 Mar 2024' in text
    assert 'href="/?from=2024-09-05&to=2024-09-05"' in text
    # both: no note
    text = client.get("/?from=2024-03-01&to=2024-09-30").text
    assert 'data-testid="no-orders"' not in text and 'data-testid="no-spend"' not in text


def test_a_shop_without_ad_spend_is_told_to_import_a_report(client, tenants) -> None:
    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load("orders", [order("o1", "c1", "2024-03-01", "10")])
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    text = html.unescape(client.get("/?from=2024-03-01&to=2024-03-01").text)
    assert "No ad spend imported yet: import a Google Ads" in text


def test_dates_are_written_in_the_browsers_language(client, tenants) -> None:
    _seed(tenants.a.workspace_key)
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    text = client.get("/?from=2013-01-01&to=2013-01-31", headers={"Accept-Language": "zh-CN"}).text
    assert "2013年1月1日 – 2013年1月31日" in text and "2024年3月" in text
