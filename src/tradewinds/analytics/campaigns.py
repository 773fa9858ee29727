"""The campaign dimension on the orders side: each order's last ad touch reaches the
campaign of the spend rows (``analytics.campaign_match``), so ROAS and CAC by campaign
divide one campaign's revenue by the same campaign's spend.

Python resolves the few distinct (platform, utm_campaign, campaign id, click day) values
of the window's touches once; the orders query joins that small table (``cm``) to label
each order with the spend's campaign name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.analytics import dimensions as dims
from tradewinds.analytics.campaign_match import TouchMapping
from tradewinds.db.models.campaign_mappings import CampaignMapping

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

NO_DAY = "DATE '1900-01-01'"


def touch_fields_sql(alias: str = "t") -> str:
    """The columns of a touch that decide its campaign (for the ``lt`` subquery)."""
    clicked = (
        f"COALESCE({alias}.gclid, '') || COALESCE({alias}.fbclid, '') || "
        f"COALESCE({alias}.ttclid, '')"
    )
    return (
        f"COALESCE({alias}.campaign_id, '') AS touch_campaign_id, "
        f"CASE WHEN {clicked} <> '' THEN CAST({alias}.occurred_at AS DATE) END "
        "AS touch_day"
    )


JOIN_SQL = (
    "LEFT JOIN cm ON cm.platform = lt.channel AND cm.campaign = COALESCE(lt.campaign, '') "
    "AND cm.campaign_id = lt.touch_campaign_id "
    f"AND COALESCE(cm.day, {NO_DAY}) = COALESCE(lt.touch_day, {NO_DAY})"
)
LABEL_SQL = f"COALESCE(cm.label, lt.campaign, '{dims.NO_TOUCH}')"


def _keys_sql() -> str:
    platform = dims.platform_sql(
        source="t.source", medium="t.medium", gclid="t.gclid", fbclid="t.fbclid", ttclid="t.ttclid"
    )
    return (
        f"SELECT DISTINCT {platform} AS platform, COALESCE(t.campaign, '') AS campaign, "
        f"{touch_fields_sql()} FROM touchpoints AS t "
        "WHERE t.occurred_at >= $touch_start_ts AND t.occurred_at < $end_ts"
    )


def labels(
    keys: pd.DataFrame, spend: pd.DataFrame, mappings: list[Any]
) -> list[tuple[str, str, str, date | None, str]]:
    """(platform, campaign, campaign id, day, label) for every key that reaches a campaign
    (pure)."""
    from tradewinds.analytics.campaign_match import build_catalog, match_one

    catalog = build_catalog(spend)
    table = {(m.platform, m.touch_campaign.strip().casefold()): m.campaign_id for m in mappings}
    out = []
    for platform, campaign, cid, day in keys[
        ["platform", "campaign", "touch_campaign_id", "touch_day"]
    ].itertuples(index=False):
        clicked = day is not None and not pd.isna(day)
        found, _ = match_one(
            catalog=catalog,
            mappings=table,
            platform="" if platform == "unpaid" else str(platform),
            campaign=str(campaign).strip(),
            url_id=str(cid).strip(),
            day=pd.Timestamp(day).date() if clicked else None,
            has_click_id=clicked,
        )
        if found is not None:
            out.append(
                (
                    str(platform),
                    str(campaign),
                    str(cid),
                    pd.Timestamp(day).date() if clicked else None,
                    found.label,
                )
            )
    return out


def _literal(value: object) -> str:
    if value is None:
        return "CAST(NULL AS DATE)"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def cte_sql(rows: list[tuple[str, str, str, date | None, str]]) -> str:
    """``cm``: the resolved labels as a VALUES table (an empty one when none matched)."""
    if not rows:
        return (
            "cm AS (SELECT CAST(NULL AS VARCHAR) AS platform, CAST(NULL AS VARCHAR) AS "
            "campaign, CAST(NULL AS VARCHAR) AS campaign_id, CAST(NULL AS DATE) AS day, "
            "CAST(NULL AS VARCHAR) AS label WHERE 1 = 0)"
        )
    values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    return (
        f"cm AS (SELECT * FROM (VALUES {values}) AS v(platform, campaign, campaign_id, day, label))"
    )


# -- the seller's mappings (app DB) ----------------------------------------------------
def list_mappings(session: Session, *, workspace_id: int) -> list[CampaignMapping]:
    return list(
        session.scalars(
            select(CampaignMapping)
            .where(CampaignMapping.workspace_id == workspace_id)
            .order_by(CampaignMapping.platform, CampaignMapping.touch_campaign)
        )
    )


def as_touch_mappings(rows: Iterable[CampaignMapping]) -> list[TouchMapping]:
    return [TouchMapping(r.platform, r.touch_campaign, r.campaign_id) for r in rows]


def touch_mappings(*, workspace_key: str) -> list[TouchMapping]:
    """The mappings of the workspace whose warehouse is ``workspace_key``."""
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace

    if not workspace_key:  # a warehouse opened outside any workspace (tools, tests)
        return []
    with session_scope() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.key == workspace_key))
        if workspace is None:
            return []
        return as_touch_mappings(list_mappings(session, workspace_id=workspace.id))


def campaign_cte(warehouse: Warehouse, params: dict[str, Any]) -> str:
    """Load once (touch keys, spend campaigns, the workspace's mappings) → ``cm``."""
    sql = _keys_sql()
    keys = warehouse.query_df(sql, {k: params[k] for k in ("touch_start_ts", "end_ts")})
    spend = warehouse.query_df(
        'SELECT "date", platform, campaign_id, campaign_name FROM ad_spend_daily '
        'WHERE "date" >= $first_day AND "date" <= $end_day',
        {"first_day": params["touch_start_ts"].date(), "end_day": params["end_day"]},
    )
    mappings = touch_mappings(workspace_key=getattr(warehouse, "workspace_key", ""))
    return cte_sql(labels(keys, spend, mappings))
