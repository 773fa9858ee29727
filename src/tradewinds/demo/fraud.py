"""Demo shop ad clicks, ordinary and invalid, for the Invalid traffic page."""

from __future__ import annotations

WORKSPACES = ("Demo Gift Shop",)


def load(*, workspace_key: str) -> str:
    from tradewinds.demo import retail
    from tradewinds.fraud import demo

    return demo.load(
        workspace_key,
        campaigns=retail.CAMPAIGNS,
        countries=retail.AD_COUNTRIES,
        last_day=retail.LAST_DAY,
    )
