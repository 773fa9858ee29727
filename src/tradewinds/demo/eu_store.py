"""Demo EU store: a cross-border shop in euros, so the second demo workspace has data.

Its orders are real: the non-UK invoice lines of UCI Online Retail shipped in
``demo/data/`` (46,431 lines to 37 countries, priced in GBP, so every report converts them
to the workspace's EUR). Its ad spend is synthetic, made as the gift shop's is
(``retail.ad_spend_rows``) with a smaller budget aimed at continental markets, with the
ECB reference rates every workspace has; touchpoints come from ``attribution.demo`` in EUR.
"""

from __future__ import annotations

import time

from tradewinds.demo import retail

WORKSPACES = ("Demo EU Store",)
COUNTRIES = {"DE": 0.32, "FR": 0.28, "NL": 0.12, "ES": 0.10, "BE": 0.10, "IE": 0.08}
DAILY_BUDGET_GBP = 380.0


def load(*, workspace_key: str) -> str:
    """Load the EU store into ``workspace_key``'s warehouse (idempotent)."""
    from tradewinds.attribution.demo import journey_rows
    from tradewinds.warehouse import open_warehouse

    started = time.monotonic()
    rates = retail.fx_rows()
    with open_warehouse(workspace_key) as warehouse:
        spend = retail.ad_spend_rows(
            rates=rates,
            seed=retail.SEED + 10,
            budget_gbp=DAILY_BUDGET_GBP,
            countries=COUNTRIES,
            shop="Demo EU store",
        )
        warehouse.load("ad_spend_daily", spend)
        have = int(
            warehouse.query(
                "SELECT COUNT(*) FROM orders WHERE storefront = 'online_retail'"
            ).scalar()
        )
        if have:
            note = f"orders already loaded ({have:,} invoices)"
        else:
            lines = retail.import_orders(warehouse, workspace_key, [retail.PACKAGED])
            note = f"Online Retail non-UK orders imported ({lines:,} invoice lines)"
        journeys = journey_rows(
            customers=400, end=retail.LAST_DAY, days=90, currency="EUR", seed=12
        )
        for table in ("identities", "touchpoints", "orders"):
            warehouse.load(table, journeys[table])
        spend_rows = warehouse.count("ad_spend_daily")
    took = time.monotonic() - started
    return (
        f"EU store demo: {note}; {spend_rows:,} ad-spend rows, ECB rates, "
        f"{len(journeys['touchpoints']):,} touchpoints in {took:.0f} s"
    )
