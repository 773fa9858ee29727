"""How each report dimension is read from each source table.

Three sides feed the KPIs: ad spend (``ad_spend_daily``), orders (``orders``, with the
channel, campaign and device of the customer's last ad touch from ``touchpoints``) and
storefront events (``events``). A dimension a side does not have is shown as ``(n/a)`` on
that side's rows, and a filter on it leaves that side unfiltered.
"""

from __future__ import annotations

NOT_APPLICABLE = "(n/a)"
NO_TOUCH = "(no ad touch)"
TOUCH_LOOKBACK_DAYS = 30

_PAID_MEDIUMS = (
    "cpc", "ppc", "paid", "paid_social", "paidsocial", "paid-social", "cpm", "display",
    "sem", "paidsearch", "paid_search",
)


def platform_sql(*, source: str, medium: str, gclid: str = "NULL", fbclid: str = "NULL",
                 ttclid: str = "NULL") -> str:
    """The ad platform a touch came from (google, meta, tiktok, amazon), 'unpaid' otherwise."""
    mediums = ", ".join(f"'{m}'" for m in _PAID_MEDIUMS)
    paid = f"(lower(COALESCE({medium}, '')) IN ({mediums}))"
    src = f"lower(COALESCE({source}, ''))"
    return (
        f"(CASE WHEN COALESCE({gclid}, '') <> '' OR ({src} IN ('google', 'adwords', "
        f"'google_ads') AND {paid}) THEN 'google' "
        f"WHEN COALESCE({fbclid}, '') <> '' OR ({src} IN ('facebook', 'fb', 'instagram', "
        f"'ig', 'meta') AND {paid}) THEN 'meta' "
        f"WHEN COALESCE({ttclid}, '') <> '' OR ({src} = 'tiktok' AND {paid}) THEN 'tiktok' "
        f"WHEN {src} IN ('amazon', 'amazon_ads') AND {paid} THEN 'amazon' "
        f"WHEN {paid} AND {src} <> '' THEN {src} "
        f"ELSE 'unpaid' END)"
    )


SPEND = {
    "channel": "a.platform",
    "campaign": "COALESCE(NULLIF(a.campaign_name, ''), a.campaign_id)",
    "country": "a.country",
    "ad_country": "a.country",
    "device": "a.device",
}
ORDERS = {
    "channel": f"COALESCE(lt.channel, '{NO_TOUCH}')",
    "campaign": f"COALESCE(lt.campaign, '{NO_TOUCH}')",
    "country": "o.country",
    "customer_country": "o.country",
    "storefront": "o.storefront",
    "device": f"COALESCE(lt.device, '{NO_TOUCH}')",
}
TOUCH_DIMENSIONS = frozenset({"channel", "campaign", "device"})
EVENTS = {
    "channel": platform_sql(source="e.c_source", medium="e.c_medium"),
    "campaign": "e.c_campaign",
    "country": "e.c_country",
    "customer_country": "e.c_country",
    "device": "e.c_device",
}


def events_source(where: list[str]) -> str:
    """``events`` rows matching ``where`` (on alias ``r``), JSON fields read once each."""
    return (
        "(SELECT r.event, r.\"timestamp\", COALESCE(r.anonymous_id, r.user_id) AS who, "
        "r.context->'campaign'->>'source' AS c_source, "
        "r.context->'campaign'->>'medium' AS c_medium, "
        "r.context->'campaign'->>'name' AS c_campaign, "
        "r.context->'location'->>'country' AS c_country, "
        "r.context->'device'->>'type' AS c_device "
        f"FROM events AS r WHERE {' AND '.join(where)}) AS e"
    )


TIME = {
    "day": "CAST({col} AS DATE)",
    "week": "CAST(date_trunc('week', {col}) AS DATE)",
    "month": "CAST(date_trunc('month', {col}) AS DATE)",
}


def expr(side: dict[str, str], name: str, *, time_column: str) -> str:
    if name in TIME:
        return TIME[name].format(col=time_column)
    return side.get(name, f"'{NOT_APPLICABLE}'")
