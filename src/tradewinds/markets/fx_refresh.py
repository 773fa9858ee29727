"""One round of the daily ECB fetch: download once, add the new rates to every workspace."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from tradewinds.markets.fx_fetch import fetch_ecb

log = logging.getLogger("tradewinds.markets")


@dataclass
class FetchRound:
    url: str
    error: str = ""
    days: list[str] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)  # workspace key -> new rates
    failed: list[str] = field(default_factory=list)


def fetch_for_all_workspaces(url: str | None = None) -> FetchRound:
    """Fetch the ECB file (``url`` or ``TRADEWINDS_FX_DAILY_URL``) and store it in every
    workspace. Never raises for a network problem or one broken workspace: they are logged
    and reported in the result."""
    from tradewinds.config import get_settings
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.markets.fx_fetch import store_fetched
    from tradewinds.tasks import exclusive
    from tradewinds.warehouse import open_warehouse

    target = url if url is not None else get_settings().fx_daily_url
    done = FetchRound(url=target)
    if not target:
        done.error = "fetching is turned off (TRADEWINDS_FX_DAILY_URL is empty)"
        return done
    fetched = fetch_ecb(target)
    if not fetched.ok:
        done.error = fetched.error
        return done
    done.days = [d.isoformat() for d in fetched.days]
    with session_scope() as session:
        keys = [ws.key for ws in session.scalars(select(Workspace).order_by(Workspace.id))]
    for key in keys:
        try:
            with exclusive(f"warehouse:{key}"), open_warehouse(key) as warehouse:
                done.added[key] = store_fetched(warehouse, fetched.rates)
        except Exception:  # one workspace's warehouse must not stop the others
            log.exception("storing the fetched ECB rates in %s failed; retrying next round", key)
            done.failed.append(key)
    if any(done.added.values()):
        log.info(
            "ECB rates of %s added to %d workspace(s)",
            ", ".join(done.days),
            sum(1 for n in done.added.values() if n),
        )
    return done
