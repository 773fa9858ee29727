"""Who may read the budget reports (see ``tradewinds.auth.access``): fitted curves,
plans, what-ifs and the forward plan are money through and through (spend, revenue,
ROI), so they need finance.read."""

from __future__ import annotations

from tradewinds.auth.access import report

MONEY = {
    "contribution",
    "roi",
    "spend",
    "allocation",
    "expected",
    "current",
    "revenue",
    "budget",
    "profit",
}

BUDGET = report(
    "budget.plan",
    title="media-mix response curves and budget plans",
    permission="finance.read",
    money=MONEY,
)
