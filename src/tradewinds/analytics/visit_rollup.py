"""A derived table of storefront visits that answers the funnel and visitor counts without
parsing every event's JSON.

Reading ``events.context`` (campaign source and medium, country, device) costs ~0.25 ms per
thousand events: a 30-day funnel over 10M events spent most of its 300 ms parsing JSON.
The rollup keeps one row per visitor (``anonymous_id``, else ``user_id``), quarter hour
(UTC) and distinct set of those fields, with a bit per funnel step sent in it:

    bucket, who, c_source, c_medium, c_campaign, c_country, c_device, steps

``who`` is a number standing for the visitor (the same number for the same visitor
throughout the rollup), so that counting distinct visitors counts integers, not strings.

Beside it, the session-start rollup (``_session_rollup``) counts the storefront sessions
(``kpis.events_sql(sessions=True)``: ``context.sessionId``, else the visitor; a gap of more
than ``SESSION_GAP_MINUTES``) that start in each quarter hour (UTC) with each set of those
fields, the fields of the session's first event:

    bucket, c_source, c_medium, c_campaign, c_country, c_device, sessions

A session starting in a range is one whose first event lies in it, whatever came before the
range, so the same quarter-hour rule makes its counts exact. Both are rebuilt together and
share one record of the events they were built from.

Every UTC offset in use is a whole number of quarter hours, so a report whose range starts
and ends on quarter hours (every range of whole days in such a zone) counts exactly the
visitors, and each visitor's steps, that the events give: an event lies in the range if
and only if its quarter hour does, and in the same local day, week and month.

The rollup is used only while it matches the events: it stores the warehouse's count of
writes to ``events`` and their row count (``warehouse/writes.py``) and a report reads the
events themselves whenever either has moved on, or when its range does not fall on quarter
hours. Imports and the event drain rebuild it when they finish (:func:`warm`, through
the "rows changed" subscriber in ``analytics/plugin.py``). DuckDB only.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from tradewinds.analytics import dimensions as dims
from tradewinds.analytics import rollup_state

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

log = logging.getLogger("tradewinds.analytics")

TABLE = "_visit_rollup"
SESSIONS = "_session_rollup"
STATE = rollup_state.STATE
BUCKET_SECONDS = 900


def _build_sql() -> str:
    from tradewinds.analytics.funnels import STEPS

    bits = " ".join(f"WHEN '{s}' THEN {1 << i}" for i, s in enumerate(STEPS))
    fields = "c_source, c_medium, c_campaign, c_country, c_device"
    return f"""
CREATE OR REPLACE TABLE {TABLE} AS
SELECT bucket,
       CASE WHEN who IS NOT NULL
            THEN CAST(DENSE_RANK() OVER (ORDER BY who) AS INTEGER) END AS who,
       {fields}, steps
FROM (
  SELECT time_bucket(INTERVAL '{BUCKET_SECONDS} seconds', "timestamp") AS bucket, who,
         {fields}, CAST(BIT_OR(CASE event {bits} ELSE 0 END) AS INTEGER) AS steps
  FROM {dims.events_source(["TRUE"], one_parse=True)}
  GROUP BY bucket, who, {fields}
) AS v
ORDER BY bucket"""


def _sessions_sql() -> str:
    from tradewinds.analytics.metrics import SESSION_GAP_MINUTES

    names = [name for name, _, _ in dims._EVENT_FIELDS]
    paths = ", ".join([*(f"'$.{a}.{b}'" for _, a, b in dims._EVENT_FIELDS), "'$.sessionId'"])
    parsed = ", ".join(f"_c[{i}] AS {name}" for i, name in enumerate(names, start=1))
    fields = ", ".join(names)
    sid = f"COALESCE(_c[{len(names) + 1}], anonymous_id, user_id)"
    return f"""
CREATE OR REPLACE TABLE {SESSIONS} AS
SELECT time_bucket(INTERVAL '{BUCKET_SECONDS} seconds', ts) AS bucket, {fields},
       COUNT(*) AS sessions
FROM (
  SELECT ts, {parsed},
         LAG(ts) OVER (PARTITION BY sid ORDER BY ts, message_id) AS prev_ts
  FROM (SELECT "timestamp" AS ts, message_id, _c, {sid} AS sid FROM (
          SELECT "timestamp", message_id, anonymous_id, user_id,
                 json_extract_string(context, [{paths}]) AS _c FROM events) AS r) AS p
  WHERE sid IS NOT NULL
) AS s
WHERE prev_ts IS NULL OR ts > prev_ts + INTERVAL '{SESSION_GAP_MINUTES} minutes'
GROUP BY bucket, {fields}
ORDER BY bucket"""


def _version(warehouse: Warehouse) -> str:
    # "sessions": built with the session-start rollup; "numbered": visitors are numbers
    # (counting distinct integers, not strings); an older record is out of date
    return f"{rollup_state.table_state_text(warehouse, 'events')}|sessions|numbered"


def _build(warehouse: Warehouse) -> None:
    warehouse.execute(_build_sql())
    warehouse.execute(_sessions_sql())


ROLLUP = rollup_state.Rollup(name=TABLE, label="visit rollup", version=_version, build=_build)
supported = ROLLUP.supported
refresh = ROLLUP.refresh
fresh = ROLLUP.fresh
ensure = ROLLUP.ensure
warm = ROLLUP.warm


def aligned(window: tuple[datetime, datetime], timezone: str) -> bool:
    """Whether a report over ``window`` (naive UTC) in ``timezone`` can read the rollup: its
    ends fall on quarter hours and so does every UTC offset inside it (local days, weeks and
    months then start on quarter hours too)."""
    lo, hi = window
    for t in (lo, hi):
        if t.second or t.microsecond or t.minute % (BUCKET_SECONDS // 60):
            return False
    if timezone == "UTC":
        return True
    return all(offset % BUCKET_SECONDS == 0 for _, offset in dims.offset_segments(timezone, lo, hi))


def usable(warehouse: Warehouse, window: tuple[datetime, datetime], timezone: str) -> bool:
    """The rollup answers exactly for this range now."""
    return aligned(window, timezone) and fresh(warehouse)


def source(where: list[str]) -> str:
    """The rollup's rows matching ``where`` (on alias ``r``, ``r.bucket`` for the time) as
    relation ``e``: ``who``, the ``c_*`` fields of ``dims.EVENTS`` and ``steps``."""
    return f"(SELECT * FROM {TABLE} AS r WHERE {' AND '.join(where)}) AS e"


def session_source(where: list[str]) -> str:
    """The session-start rollup's rows matching ``where`` (as :func:`source`) as relation
    ``e``: the ``c_*`` fields of ``dims.EVENTS`` and ``sessions``."""
    return f"(SELECT * FROM {SESSIONS} AS r WHERE {' AND '.join(where)}) AS e"
