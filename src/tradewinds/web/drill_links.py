"""The addresses of the drill-down pages: every level keeps the period and the filters in
its query string (``?from=&to=`` plus the drill keys), so reloading or sharing a link shows
the same view, and every level knows its breadcrumbs back to the Overview."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from tradewinds.analytics.filters import ReportScope
from tradewinds.web.i18n import gettext as _

#: the filters of the Overview a drill-down keeps
KEPT_FILTERS = ("channel", "country", "campaign")
#: the Overview's charts and tables whose bars and rows lead one level down
OVERVIEW_LEVELS = {"channels": "channel", "countries": "country", "cohorts": "cohort"}


def period(scope: ReportScope) -> dict[str, str]:
    return {"from": scope.start.isoformat(), "to": scope.end.isoformat()}


def kept(scope: ReportScope, *, without: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The query of ``scope``: its period, then each kept filter's values."""
    pairs = list(period(scope).items())
    for name in KEPT_FILTERS:
        if name in without:
            continue
        pairs += [(name, v) for v in scope.filter_values(name)]
    return pairs


def href(path: str, scope: ReportScope, **keys: Any) -> str:
    """``path`` with ``scope``'s period and filters, ``keys`` replacing those of their name
    (a key of ``None`` is left out)."""
    pairs = [(k, v) for k, v in kept(scope) if k not in keys]
    pairs += [(k, str(v)) for k, v in keys.items() if v is not None and v != ""]
    return f"{path}?{urlencode(pairs)}"


def overview(scope: ReportScope, without: tuple[str, ...] = ()) -> str:
    """The Overview of ``scope``'s period and filters, less the drill keys ``without``."""
    return f"/?{urlencode(kept(scope, without=('campaign', *without)))}"


def channel(scope: ReportScope, name: str) -> str:
    return href("/drill/channel", scope, channel=name, campaign=None)


def campaign(scope: ReportScope, channel_name: str, name: str) -> str:
    return href("/drill/campaign", scope, channel=channel_name, campaign=name)


def country(scope: ReportScope, name: str) -> str:
    return href("/drill/country", scope, country=name)


def tile(scope: ReportScope, metric: str) -> str:
    return href("/drill/tile", scope, metric=metric)


def tile_from_overview(scope: ReportScope, metric: str) -> str:
    """What a KPI tile opens: the rows behind its figure ("" for a figure without rows)."""
    from tradewinds.analytics.drill import TILE_LISTS

    return tile(scope, metric) if metric in TILE_LISTS else ""


def cohort(scope: ReportScope, month: str, months_since: int = 0) -> str:
    return href("/drill/cohort", scope, month=month, k=months_since)


def order(scope: ReportScope, order_id: str, **via: Any) -> str:
    return href("/drill/order", scope, order_id=order_id, **via)


def profile(customer_id: str) -> str:
    return f"/customers/profile?{urlencode({'customer_id': customer_id})}"


def segment(name: str, *, per_market: bool = False) -> str:
    pairs = [("segment", name)] + ([("per_market", "1")] if per_market else [])
    return f"/drill/segment?{urlencode(pairs)}"


def from_overview(kind: str, scope: ReportScope, value: Any = None) -> str:
    """What a bar or row of the Overview's ``kind`` chart or table opens ("" for none);
    without ``value``, the address the chart's script completes with the bar's key."""
    level = OVERVIEW_LEVELS.get(kind)
    if level is None:
        return ""
    if value is None:  # the base the chart's script adds ``&channel=…`` to
        return href(f"/drill/{level}", scope, **{level: None, "campaign": None})
    if level == "cohort":
        return cohort(scope, str(value))
    if level == "channel":
        return channel(scope, str(value))
    return country(scope, str(value))


Crumb = tuple[str, str]


def trail(scope: ReportScope, level: str, query: dict[str, str], *, label: str = "") -> list[Crumb]:
    """The way back from a level to the Overview (Overview › channel › campaign › order),
    each step a label and its address; the last step is the page itself. ``level`` is the
    page (channel, campaign, country, tile, cohort, order); an order's ``via`` says which
    list it was opened from. ``label``: the tile's or the cohort cell's name."""
    path = query.get("via", "") if level == "order" else level
    # back on the Overview, the key this way down added is no filter of it
    added = {"channel": ("channel",), "campaign": ("channel",), "country": ("country",)}
    out: list[Crumb] = [(_("Overview"), overview(scope, added.get(path, ())))]
    chan = query.get("channel", "")
    if path in ("channel", "campaign") and chan:
        out.append((chan, channel(scope, chan)))
        if path == "campaign" and query.get("campaign"):
            out.append((query["campaign"], campaign(scope, chan, query["campaign"])))
    elif path == "country" and query.get("country"):
        out.append((query["country"], country(scope, query["country"])))
    elif path == "tile" and query.get("metric"):
        out.append((label or query["metric"], tile(scope, query["metric"])))
    elif path == "cohort" and query.get("month"):
        out.append((label or query["month"], href("/drill/cohort", scope, month=query["month"])))
    if level == "order" and query.get("order_id"):
        name = _("Order %(order)s", order=query["order_id"])
        out.append((name, order(scope, query["order_id"], via=query.get("via"))))
    return out
