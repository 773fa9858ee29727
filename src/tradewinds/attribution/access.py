"""Who may read attribution (see ``tradewinds.auth.access``).

Without finance.read the report keeps the conversions each channel is credited with and
the journeys, and loses attributed revenue, spend, ROAS and CPA.
"""

from __future__ import annotations

from tradewinds.auth.access import report

ATTRIBUTION = report(
    "attribution",
    title="attribution",
    money={
        "total_value",
        "total_spend",
        "value",
        "spend",
        "roas",
        "cpa",
        "revenue",
        # the period's revenue beside the part credited (``analytics.metrics`` coverage)
        "revenue_in_period",
        "revenue_credited",
        "revenue_not_credited",
        "store_roas",
        "credited_roas",
        "roas_note",
    },
    money_labels=("Revenue", "Ad spend", "Blended ROAS", "ROAS"),
)
CAMPAIGN_MAPPINGS = report("attribution.campaign_mappings", title="the campaign mapping")
