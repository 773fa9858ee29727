"""Who may read the customer reports (see ``tradewinds.auth.access``).

Without finance.read: segment sizes and shares, clusters, rule counts, lookalikes and
recommendations stay; revenue, average order value, CLV and the monetary RFM score go.
CLV is money through and through and is refused. A rule that filters on a money field is
refused too (counting ``revenue > 500`` would reveal revenue one question at a time).
"""

from __future__ import annotations

from tradewinds.auth.access import report

MONEY_RULE_FIELDS = frozenset({"revenue", "aov", "clv", "m"})

RFM = report("audiences.rfm", title="RFM segments", money={"revenue", "monetary"})
CLUSTERS = report(
    "audiences.clusters",
    title="customer clusters",
    # the plain-language description quotes the typical member's spend
    money={"revenue", "aov", "monetary", "description"},
)
SEGMENT = report("audiences.segment", title="rule segments")
SAVED_SEGMENTS = report("audiences.saved_segments", title="saved segments")
CLV = report(
    "audiences.clv",
    title="customer lifetime value",
    money={"clv", "total_clv", "revenue", "gamma_gamma"},
    without_finance="refuse",
)
LOOKALIKES = report(
    "audiences.lookalikes",
    title="lookalike audiences",
    money={"total spent", "average order value"},
)
RECOMMENDATIONS = report("audiences.recommendations", title="product recommendations")
CUSTOMER = report(
    "audiences.customer",
    title="a customer's profile",
    money={
        "revenue",
        "aov",
        "clv",
        "m",
        "total",
        "subtotal",
        "shipping",
        "tax",
        "discount",
        "refunded",
    },
)
CUSTOMERS_PAGE = report(
    "audiences.customers_page",
    title="the Customers page",
    money={"revenue", "aov", "clv", "monetary", "description"},
    money_labels=("Predicted 12-month value",),
)
EXPORTS = report(
    "audiences.exports",
    title="audience exports",
    permission="audiences.export",
)


def rule_fields(text: str) -> set[str]:
    """The fields a segment rule reads (empty when it does not parse: the report says why)."""
    from tradewinds.audiences.rules import RuleError, _leaves, parse_rule

    try:
        return {leaf.field for leaf in _leaves(parse_rule(text))}
    except RuleError:
        return set()
