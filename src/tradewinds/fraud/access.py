"""Who may read the invalid-traffic reports (see ``tradewinds.auth.access``).

The report reads like the Overview: a role without finance.read sees the click counts and
invalid rates and not the spend or the wasted spend."""

from __future__ import annotations

from tradewinds.auth.access import report

FRAUD = report(
    "fraud.report",
    title="invalid traffic and wasted spend",
    permission="data.read",
    money={"spend", "wasted_spend"},
    money_labels=("Wasted spend", "Ad spend"),
)
FRAUD_EVIDENCE = report(
    "fraud.evidence",
    title="refund-claim evidence packs (spend and wasted spend)",
    permission="finance.read",
    money={"spend", "wasted_spend"},
)
