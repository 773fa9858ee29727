"""The Overview says when its ad spend is estimated from a period report."""

from __future__ import annotations

import html

from tests.analytics.fixtures import order
from tradewinds.ingest.service import import_file
from tradewinds.warehouse import open_warehouse

from .browser import login

FILES = ("google_ads_advanced_bid_adjustment_report.csv", "google_ads_landing_page_report.csv")


def test_overview_marks_spend_estimated_from_a_period_report(client, tenants, shared_data):
    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load("orders", [order("o1", "c1", "2025-06-03", "150")])
        for name in FILES:
            import_file(warehouse=wh, path=shared_data / "ad_exports" / name)
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/?from=2025-06-01&to=2025-06-30")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert 'data-testid="estimated-spend"' in text
    assert (
        "Ad spend of 18 May 2025 – 15 Aug 2025 is estimated from a period report: "
        "“Advanced bid adjustment report”"
    ) in text
    assert "30 of them fall in this period" in text
    assert "“Landing page report” (239,123.52 USD) covers the same account and period" in text
    assert "Ad spend (estimated from a period report)" in text  # the trend chart's series
    assert '<option value="google"' in text  # the channel filter offers the report's platform
    before = html.unescape(client.get("/?from=2025-04-01&to=2025-04-30").text)
    assert 'data-testid="estimated-spend"' not in before
