"""Drill-down pages: each level's figures equal the Overview's for the same period, the
period and the drill keys stay in every link, and a viewer sees no money."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.drill_shop import PERIOD, load_drill_shop

from .browser import login, post_form

# the app DB is not under test: the pages read the warehouse
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _api(client, tenants, **query: str) -> list[dict]:
    params = {"from": "2025-03-01", "to": "2025-03-10", **query}
    got = client.get("/api/v1/metrics", params=params, headers=tenants.a.headers)
    assert got.status_code == 200, got.text
    return got.json()["rows"]


def _tile(html: str, metric: str) -> str:
    found = re.search(
        rf'data-metric="{metric}"><div class="label">[^<]*</div><div class="value">([^<]*)<', html
    )
    assert found, f"no {metric} tile"
    return unescape(found.group(1))


def _hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'data-href="([^"]+)"', html)]


def test_channel_campaign_order_and_back(client, tenants) -> None:
    load_drill_shop(tenants.a.workspace_key)
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    overview = client.get(f"/?{PERIOD}").text
    google = f"/drill/channel?{PERIOD}&channel=google"
    assert google in _hrefs(overview)  # the Overview's channel row leads down
    assert 'data-drill="/drill/channel?' in overview  # and its bars
    assert "/drill/tile?" in unescape(overview)  # and its tiles

    by_channel = {
        r["channel"]: r
        for r in _api(client, tenants, group_by="channel", metrics="spend,revenue,orders")
    }
    page = client.get(google)
    assert page.status_code == 200
    text = page.text
    assert _tile(text, "spend") == "£150.00"
    assert by_channel["google"]["spend"] == 150.0
    assert _tile(text, "revenue") == f"£{by_channel['google']['revenue']:,.2f}" == "£200.00"
    assert _tile(text, "orders") == str(by_channel["google"]["orders"]) == "2"
    campaigns = {
        r["campaign"]: r
        for r in _api(
            client, tenants, group_by="campaign", channel="google", metrics="spend,orders"
        )
    }
    assert campaigns["Brand search"] == {"campaign": "Brand search", "spend": 100.0, "orders": 2}
    brand = f"/drill/campaign?{PERIOD}&channel=google&campaign=Brand+search"
    assert brand in _hrefs(text)
    crumbs = text[text.index('data-testid="breadcrumbs"') :]
    assert f'href="/?{PERIOD}"'.replace("&", "&amp;") in crumbs

    page = client.get(brand).text
    assert _tile(page, "spend") == "£100.00" and _tile(page, "orders") == "2"
    ads = page[page.index('data-testid="drill-ads"') :]
    assert "Brand – exact" in ads and "Text ad A" in ads and "£70.00" in ads
    orders = page[page.index('data-testid="drill-orders"') :]
    assert ">o1<" in orders and ">o2<" in orders and ">o3<" not in orders
    one = f"/drill/order?{PERIOD}&channel=google&campaign=Brand+search&order_id=o1&via=campaign"
    assert one in _hrefs(page)

    page = client.get(one).text
    nav = page[page.index('data-testid="breadcrumbs"') :]
    nav = nav[: nav.index("</nav>")]
    step = r'<li(?: aria-current="page")?[^>]*>(?:<a href="([^"]+)"[^>]*>)?([^<]+)'
    trail = re.findall(step, nav)
    assert [t[1] for t in trail] == ["Overview", "google", "Brand search", "Order o1"]
    assert unescape(trail[1][0]) == google and unescape(trail[2][0]) == brand
    assert "Silk scarf" in page and "£100.00" in page and "postage" in page
    assert 'href="/customers/profile?customer_id=ann"' in page
    touches = page[page.index('data-testid="order-touches"') :]
    assert touches.count("<tr>") == 3  # the heading and ann's two touches
    assert "the Overview credits this one" in touches
    assert client.get(f"/drill/order?{PERIOD}&order_id=nope").status_code == 404


def test_country_tiles_cohorts_and_segments_add_up(client, tenants) -> None:
    load_drill_shop(tenants.a.workspace_key)
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    overview = client.get(f"/?{PERIOD}").text
    france = f"/drill/country?{PERIOD}&country=France"
    assert france in _hrefs(overview)
    by_country = {
        r["country"]: r for r in _api(client, tenants, group_by="country", metrics="revenue,orders")
    }
    page = client.get(france).text
    assert _tile(page, "orders") == str(by_country["France"]["orders"]) == "2"
    assert _tile(page, "revenue") == "£160.00"
    assert ">o1<" in page and ">o3<" in page and ">o2<" not in page
    assert "via=country" in unescape(page)

    total = _api(client, tenants, metrics="revenue,spend,new_customers,orders")[0]
    revenue = client.get(f"/drill/tile?{PERIOD}&metric=revenue").text
    assert _tile(revenue, "revenue") == f"£{total['revenue']:,.2f}" == "£255.00"
    assert revenue.count('data-href="/drill/order?') == total["orders"] == 4
    spend_rows = client.get(f"/drill/tile?{PERIOD}&metric=spend").text
    assert _tile(spend_rows, "spend") == "£170.00" == f"£{total['spend']:,.2f}"
    assert spend_rows.count("<tr>") == 1 + 4  # heading + a row per day, channel and campaign
    new = client.get(f"/drill/tile?{PERIOD}&metric=new_customers").text
    assert _tile(new, "new_customers") == str(total["new_customers"]) == "2"
    listed = new[new.index('data-testid="drill-customers"') :]
    assert "customer_id=ann" in listed and "customer_id=cat" in listed
    assert "customer_id=ben" not in listed  # ben first ordered in February

    cohorts = client.get(f"/api/v1/cohorts?{PERIOD}", headers=tenants.a.headers)
    assert cohorts.status_code == 200
    february = client.get(f"/drill/cohort?{PERIOD}&month=2025-02&k=1").text
    listed = february[february.index('data-testid="drill-cohort"') :]
    assert "customer_id=ben" in listed and "customer_id=ann" not in listed
    assert _tile(february, "orders") == "1" and _tile(february, "revenue") == "£80.00"

    segments = client.get("/customers").text
    sizes = re.findall(
        r'href="(/drill/segment\?segment=[^"]+)" data-testid="segment-members">[^<]*</a></td>'
        r'\s*<td class="num">([\d,]+)</td>',
        segments,
    )
    assert sizes, "the Segments table links each segment to its members"
    link, size = next((h, n) for h, n in sizes if n != "0")
    members = client.get(unescape(link)).text
    listed = members[members.index('data-testid="drill-members"') :]
    assert listed.count('data-href="/customers/profile?customer_id=') == int(size)
    assert client.get("/drill/segment?segment=Nobody").text.count("No customer is in this") == 1

    assert client.get(f"/drill/channel?{PERIOD}").status_code == 422
    assert client.get(f"/drill/tile?{PERIOD}&metric=ghosts").status_code == 422
    assert client.get(f"/drill/country?{PERIOD}&country=France&page=x").status_code == 422
    assert client.get(f"/drill/cohort?{PERIOD}&month=March").status_code == 422

    # a viewer opens the same levels without a money figure
    from tradewinds.auth import users
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        users.create_user(
            session=session,
            email="viewer@alpha.example",
            password="viewer-password-123",
            workspace=session.get(Workspace, tenants.a.workspace_id),
            role="viewer",
            actor="test",
        )
    post_form(client, "/", "/logout", {})
    login(client, "viewer@alpha.example", "viewer-password-123")
    for url in (
        f"/drill/channel?{PERIOD}&channel=google",
        f"/drill/campaign?{PERIOD}&channel=google&campaign=Brand+search",
        f"/drill/country?{PERIOD}&country=France",
        f"/drill/order?{PERIOD}&order_id=o1",
        f"/drill/tile?{PERIOD}&metric=orders",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "£" not in page.text, url
        assert 'data-testid="money-hidden"' in page.text, url
    assert client.get(f"/drill/tile?{PERIOD}&metric=revenue").status_code == 403
    assert client.get(f"/drill/cohort?{PERIOD}&month=2025-02").status_code == 403
