"""Who may read the analytics reports (see ``tradewinds.auth.access``).

Money metrics are those of ``calculations.MONEY``: a role without finance.read reads the
counts and rates of the Overview and of ``/metrics`` and is refused the money ones; cohorts,
channel LTV and period reports are money throughout and need finance.read.
"""

from __future__ import annotations

from tradewinds.analytics.calculations import MONEY
from tradewinds.auth.access import report

# Read when a role without finance.read asks /metrics for no metric in particular.
MONEY_FREE_DEFAULT = ("orders", "customers", "conversion_rate")

OVERVIEW = report(
    "analytics.overview",
    title="the Overview dashboard",
    money=MONEY,
)
METRICS = report("analytics.metrics", title="KPIs", money=MONEY)
FUNNELS = report("analytics.funnels", title="funnels")
COHORTS = report(
    "analytics.cohorts",
    title="acquisition cohorts (LTV, CAC, payback)",
    permission="finance.read",
    money={"revenue", "spend", "ltv", "cac"},
)
CHANNEL_LTV = report(
    "analytics.channel_ltv",
    title="lifetime value by channel",
    permission="finance.read",
    money={"ltv", "spend", "cac"},
)
PERIOD_REPORTS = report(
    "analytics.period_reports",
    title="period ad-spend reports",
    permission="finance.read",
    money={"spend", "conversion_value", "total"},
)
TAX = report(
    "analytics.tax",
    title="tax by market and net revenue after tax",
    permission="finance.read",
    money={"net_revenue", "tax", "tax_recorded", "tax_estimated", "net_after_tax", "sales"},
)
