"""Which currencies convert, over which days, and where their latest rate came from."""

from __future__ import annotations

from tradewinds.markets.fx_bundled import BUNDLED_SOURCE, bundled_coverage
from tradewinds.markets.fx_files import MANUAL_SOURCE
from tradewinds.markets.schemas import CurrencyCoverage, FxStatus

_STATUS_SQL = f"""
WITH c AS (
  SELECT quote AS currency, "date", COALESCE(NULLIF(source, ''), '{MANUAL_SOURCE}') AS source
  FROM fx_rates
  UNION ALL
  SELECT base AS currency, "date", COALESCE(NULLIF(source, ''), '{MANUAL_SOURCE}') AS source
  FROM fx_rates
), span AS (
  SELECT currency, min("date") AS first_day, max("date") AS last_day FROM c GROUP BY currency
)
SELECT s.currency, s.first_day, s.last_day, min(c.source) AS source
FROM span AS s JOIN c ON c.currency = s.currency AND c."date" = s.last_day
GROUP BY s.currency, s.first_day, s.last_day
ORDER BY s.currency
"""


def workspace_status(warehouse: object) -> FxStatus:
    """Coverage of the workspace's ``fx_rates`` (bundled, fetched and imported rates)."""
    rows = warehouse.query(_STATUS_SQL).rows  # type: ignore[attr-defined]
    return FxStatus(
        currencies=[
            CurrencyCoverage(currency=c, first=f, last=last, source=s) for c, f, last, s in rows
        ]
    )


def bundled_status() -> FxStatus:
    """Coverage of the rates shipped inside the install (what every workspace starts with)."""
    frame = bundled_coverage()
    items = [
        CurrencyCoverage(currency=c, first=f, last=last, source=BUNDLED_SOURCE)
        for c, f, last in zip(frame["currency"], frame["first"], frame["last"], strict=True)
    ]
    items.append(
        CurrencyCoverage(
            currency="EUR",
            first=min(i.first for i in items),
            last=max(i.last for i in items),
            source=BUNDLED_SOURCE,
        )
    )
    return FxStatus(currencies=sorted(items, key=lambda i: i.currency))
