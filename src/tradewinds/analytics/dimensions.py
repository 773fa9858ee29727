"""How each report dimension is read from each source table.

Three sides feed the KPIs: ad spend (``ad_spend_daily``), orders (``orders``, with the
channel, campaign and device of the customer's last ad touch from ``touchpoints``) and
storefront events (``events``). A dimension a side does not have is shown as ``(n/a)`` on
that side's rows, and a filter on it leaves that side unfiltered.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tradewinds.i18n_markers import N_

NOT_APPLICABLE = "(n/a)"
NO_TOUCH = N_("(no ad touch)")
TOUCH_LOOKBACK_DAYS = 30

_PAID_MEDIUMS = (
    "cpc",
    "ppc",
    "paid",
    "paid_social",
    "paidsocial",
    "paid-social",
    "cpm",
    "display",
    "sem",
    "paidsearch",
    "paid_search",
)


def platform_sql(
    *, source: str, medium: str, gclid: str = "NULL", fbclid: str = "NULL", ttclid: str = "NULL"
) -> str:
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
    # row keys of the drill-down lists (``drill.py``), not dimensions a report groups by
    "order": "o.order_id",
    "ordered_at": "o.ordered_at",
    "customer": "o.customer_id",
}
TOUCH_DIMENSIONS = frozenset({"channel", "campaign", "device"})
EVENTS = {
    "channel": platform_sql(source="e.c_source", medium="e.c_medium"),
    "campaign": "e.c_campaign",
    "country": "e.c_country",
    "customer_country": "e.c_country",
    "device": "e.c_device",
}


_EVENT_FIELDS = (
    ("c_source", "campaign", "source"),
    ("c_medium", "campaign", "medium"),
    ("c_campaign", "campaign", "name"),
    ("c_country", "location", "country"),
    ("c_device", "device", "type"),
)


def events_source(
    where: list[str], *, one_parse: bool = False, extra: tuple[tuple[str, str], ...] = ()
) -> str:
    """``events`` rows matching ``where`` (on alias ``r``), JSON fields read once each.

    ``one_parse`` (DuckDB only) reads all the fields with one parse of ``context`` per event
    instead of one per field; the values are the same. ``extra``: more ``(name, SQL on r)``
    columns (not with ``one_parse``).
    """
    more = "".join(f", {sql} AS {name}" for name, sql in extra)
    if one_parse and not extra:
        paths = ", ".join(f"'$.{a}.{b}'" for _, a, b in _EVENT_FIELDS)
        fields = ", ".join(
            f"_c[{i}] AS {name}" for i, (name, _, _) in enumerate(_EVENT_FIELDS, start=1)
        )
        return (
            f'(SELECT event, "timestamp", who, {fields} FROM ('
            'SELECT r.event, r."timestamp", COALESCE(r.anonymous_id, r.user_id) AS who, '
            f"json_extract_string(r.context, [{paths}]) AS _c "
            f"FROM events AS r WHERE {' AND '.join(where)}) AS _r) AS e"
        )
    fields = ", ".join(f"r.context->'{a}'->>'{b}' AS {name}" for name, a, b in _EVENT_FIELDS)
    return (
        '(SELECT r.event, r."timestamp", COALESCE(r.anonymous_id, r.user_id) AS who, '
        f"{fields}{more} FROM events AS r WHERE {' AND '.join(where)}) AS e"
    )


def local_time(column: str, timezone: str, within: tuple[datetime, datetime] | None = None) -> str:
    """SQL: a stored (naive UTC) timestamp as the wall-clock time in ``timezone``.

    The same expression on DuckDB and PostgreSQL; UTC needs no conversion. With ``within``
    (naive UTC bounds holding the rows that matter), times inside it are shifted by the
    zone's UTC offsets there (one CASE branch per offset change): about 8x cheaper than
    ``AT TIME ZONE`` on DuckDB. Times outside it still get ``AT TIME ZONE``.
    """
    if timezone == "UTC":
        return column
    zone = timezone.replace("'", "")  # validated IANA names; never quotes
    exact = f"(({column} AT TIME ZONE 'UTC') AT TIME ZONE '{zone}')"
    if within is None:
        return exact
    lo, hi = within
    segments = offset_segments(zone, lo, hi)
    if len(segments) > 40:  # decades of changes: not worth a long CASE
        return exact
    branches = [
        f"WHEN {column} < TIMESTAMP '{lo.isoformat(sep=' ')}' OR {column} >= "
        f"TIMESTAMP '{hi.isoformat(sep=' ')}' THEN {exact}"
    ]
    for until, offset in segments[:-1]:
        branches.append(
            f"WHEN {column} < TIMESTAMP '{until.isoformat(sep=' ')}' "
            f"THEN {column} + INTERVAL '{offset} seconds'"
        )
    return f"(CASE {' '.join(branches)} ELSE {column} + INTERVAL '{segments[-1][1]} seconds' END)"


def offset_segments(timezone: str, lo: datetime, hi: datetime) -> list[tuple[datetime, int]]:
    """``timezone``'s UTC offset (seconds) between naive UTC ``lo`` and ``hi``, as (until,
    offset) pairs: each offset holds up to ``until`` (the last pair's ``until`` is ``hi``)."""
    zone = ZoneInfo(timezone)

    def offset(t: datetime) -> int:
        return int(t.replace(tzinfo=UTC).astimezone(zone).utcoffset().total_seconds())

    out: list[tuple[datetime, int]] = []
    day = timedelta(days=1)
    t, current = lo, offset(lo)
    while t < hi:
        nxt = min(t + day, hi)
        if offset(nxt) != current:  # a change within (t, nxt]: find its second
            a, b = t, nxt
            while b - a > timedelta(seconds=1):
                mid = a + (b - a) / 2
                mid = mid.replace(microsecond=0)
                if mid <= a:
                    break
                a, b = (mid, b) if offset(mid) == current else (a, mid)
            out.append((b, current))
            current = offset(b)
            t = b
            continue
        t = nxt
    out.append((hi, current))
    return out


def local_day(column: str, timezone: str, within: tuple[datetime, datetime] | None = None) -> str:
    """SQL: the day in ``timezone`` of a stored timestamp."""
    return f"CAST({local_time(column, timezone, within)} AS DATE)"


TIME = {
    "day": "CAST({col} AS DATE)",
    "week": "CAST(date_trunc('week', {col}) AS DATE)",
    "month": "CAST(date_trunc('month', {col}) AS DATE)",
}


def expr(side: dict[str, str], name: str, *, time_column: str) -> str:
    if name in TIME:
        return TIME[name].format(col=time_column)
    return side.get(name, f"'{NOT_APPLICABLE}'")
