"""Which currencies convert, over which days, and where their rates came from.

``source`` is where a currency's latest rate came from; ``sources`` lists every source of
its rates in the order of their first day — the renminbi of a fresh install reads
``"source": "ecb-bundled", "sources": ["fed-h10", "ecb-bundled"]``: the Fed's rates until
the ECB quoted it, the ECB's since.
"""

from __future__ import annotations

from tradewinds.markets.fx_bundled import BUNDLED_SOURCE, bundled_coverage
from tradewinds.markets.fx_files import MANUAL_SOURCE
from tradewinds.markets.schemas import CurrencyCoverage, FxStatus

_RATES_CTE = f"""
WITH c AS (
  SELECT quote AS currency, "date", COALESCE(NULLIF(source, ''), '{MANUAL_SOURCE}') AS source
  FROM fx_rates
  UNION ALL
  SELECT base AS currency, "date", COALESCE(NULLIF(source, ''), '{MANUAL_SOURCE}') AS source
  FROM fx_rates
)"""

_STATUS_SQL = f"""{_RATES_CTE}, span AS (
  SELECT currency, min("date") AS first_day, max("date") AS last_day FROM c GROUP BY currency
)
SELECT s.currency, s.first_day, s.last_day, min(c.source) AS source
FROM span AS s JOIN c ON c.currency = s.currency AND c."date" = s.last_day
GROUP BY s.currency, s.first_day, s.last_day
ORDER BY s.currency
"""

_SOURCES_SQL = f"""{_RATES_CTE}
SELECT currency, source, min("date") AS first_day FROM c GROUP BY currency, source
ORDER BY currency, first_day, source
"""


def workspace_status(warehouse: object) -> FxStatus:
    """Coverage of the workspace's ``fx_rates`` (bundled, fetched and imported rates)."""
    rows = warehouse.query(_STATUS_SQL).rows  # type: ignore[attr-defined]
    sources: dict[str, list[str]] = {}
    for currency, source, _first in warehouse.query(_SOURCES_SQL).rows:  # type: ignore[attr-defined]
        sources.setdefault(currency, []).append(source)
    return FxStatus(
        currencies=[
            CurrencyCoverage(currency=c, first=f, last=last, source=s, sources=sources.get(c, [s]))
            for c, f, last, s in rows
        ]
    )


def bundled_status() -> FxStatus:
    """Coverage of the rates shipped inside the install (what every workspace starts with)."""
    frame = bundled_coverage()
    items = [
        CurrencyCoverage(currency=c, first=f, last=last, source=s, sources=list(all_sources))
        for c, f, last, s, all_sources in zip(
            frame["currency"],
            frame["first"],
            frame["last"],
            frame["source"],
            frame["sources"],
            strict=True,
        )
    ]
    items.append(
        CurrencyCoverage(
            currency="EUR",
            first=min(i.first for i in items),
            last=max(i.last for i in items),
            source=BUNDLED_SOURCE,
            sources=sorted(
                {s for i in items for s in i.sources},
                key=lambda s: min(i.first for i in items if s in i.sources),
            ),
        )
    )
    return FxStatus(currencies=sorted(items, key=lambda i: i.currency))
