"""View models of the drill-down pages: each list as a table of formatted cells, each row
leading one level further down. Money columns are left out for a role without
finance figures (the page says why, as every report page does)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tradewinds.analytics.calculations import LABELS, MONEY, PERCENT, RATIO_X
from tradewinds.analytics.drill import AdRow, RowsPage
from tradewinds.analytics.filters import ReportScope
from tradewinds.web import drill_links as links
from tradewinds.web import numbers
from tradewinds.web.i18n import gettext as _


def local_country(name: str) -> str:
    """A country as the page's language names it (``France`` → ``Frankreich``); a name that
    is no ISO country (an export's own spelling) stays as it is."""
    from babel import Locale

    from tradewinds.analytics.filters import country_values

    codes = [c for c in country_values([name]) if len(c) == 2 and c.isalpha() and c.isupper()]
    if not codes:
        return name
    return Locale.parse(numbers.current_locale()).territories.get(codes[0], name)


def figure(metric: str, value: Any, currency: str) -> str:
    """A figure as the Overview writes it (money in the reporting currency)."""
    if value is None:
        return "—"
    if metric in RATIO_X:
        return f"{numbers.number(value, 2)}×"
    if metric in MONEY:
        return numbers.money(value, currency)
    if metric in PERCENT:
        return numbers.percent(value)
    return numbers.number(value)


@dataclass(frozen=True)
class Col:
    """A column: its heading, the row's key, how it is written, whether it is money."""

    heading: str
    key: str
    kind: str = "text"  # text | user (user data: dir=auto) | metric | money | count | day
    money: bool = False


def _cell(col: Col, row: dict[str, Any], currency: str) -> dict[str, Any]:
    value = row.get(col.key)
    if col.kind == "metric":
        return {"text": figure(col.key, value, currency), "raw": value, "num": True}
    if col.kind == "money":
        own = row.get("order_currency") or currency
        text = "—" if value is None else numbers.money(value, own)
        return {"text": text, "raw": value, "num": True}
    if col.kind == "count":
        text = "—" if value is None else numbers.number(value)
        return {"text": text, "raw": value, "num": True}
    text = "" if value is None else str(value)
    return {"text": text, "raw": text, "num": False, "user": col.kind == "user"}


def table(
    *,
    testid: str,
    heading: str,
    cols: list[Col],
    rows: list[dict[str, Any]],
    currency: str,
    finance: bool,
    link: Callable[[dict[str, Any]], str | None] | None = None,
    empty: str = "",
    found: RowsPage | None = None,
    page_href: Callable[[int], str] | None = None,
    note: str = "",
) -> dict[str, Any]:
    """One table of a drill-down page: headings, cells, each row's link, the pager."""
    shown = [c for c in cols if finance or not c.money]
    body = []
    for row in rows:
        cells = [_cell(c, row, currency) for c in shown]
        body.append({"href": link(row) if link else None, "cells": cells})
    pager = None
    if found is not None and page_href is not None and found.pages > 1:
        pager = {
            "page": found.page,
            "pages": found.pages,
            "prev": page_href(found.page - 1) if found.page > 1 else None,
            "next": page_href(found.page + 1) if found.page < found.pages else None,
        }
    return {
        "testid": testid,
        "heading": heading,
        "columns": [{"heading": c.heading, "num": c.kind not in ("text", "user")} for c in shown],
        "rows": body,
        "empty": empty or _("Nothing in this period."),
        "pager": pager,
        "total_rows": found.total_rows if found is not None else len(rows),
        "note": note,
    }


def _metric_cols(metrics: tuple[str, ...], currency: str) -> list[Col]:
    out = []
    for m in metrics:
        heading = _(LABELS[m]) + (f" ({currency})" if m in MONEY and m not in RATIO_X else "")
        out.append(Col(heading, m, "metric", m in MONEY))
    return out


def campaigns_table(
    report: Any, scope: ReportScope, channel: str, currency: str, finance: bool
) -> dict[str, Any]:
    cols = [Col(_("Campaign"), "campaign", "user"), *_metric_cols(report.metrics, currency)]
    return table(
        testid="drill-campaigns",
        heading=_("Campaigns"),
        cols=cols,
        rows=report.rows,
        currency=currency,
        finance=finance,
        link=lambda r: links.campaign(scope, channel, r["campaign"]),
    )


def ads_table(rows: list[AdRow], currency: str, finance: bool) -> dict[str, Any]:
    cols = [
        Col(_("Ad group"), "ad_group", "user"),
        Col(_("Ad"), "ad", "user"),
        Col(f"{_(LABELS['spend'])} ({currency})", "spend", "metric", True),
        Col(_(LABELS["impressions"]), "impressions", "metric"),
        Col(_(LABELS["clicks"]), "clicks", "metric"),
    ]
    return table(
        testid="drill-ads",
        heading=_("Ad groups and ads"),
        cols=cols,
        rows=[vars(r) for r in rows],
        currency=currency,
        finance=finance,
        empty=_("The imported ad reports do not break this campaign down by ad group or ad."),
    )


def orders_table(
    found: RowsPage,
    scope: ReportScope,
    currency: str,
    finance: bool,
    *,
    via: str,
    page_href: Callable[[int], str],
    extra: dict[str, str] | None = None,
) -> dict[str, Any]:
    cols = [
        Col(_("Order"), "order", "user"),
        Col(_("Date"), "day"),
        Col(_("Customer"), "customer", "user"),
        Col(_("Country"), "country", "user"),
        Col(_("Storefront"), "storefront", "user"),
        Col(f"{_(LABELS['revenue'])} ({currency})", "revenue", "metric", True),
        Col(f"{_(LABELS['product_revenue'])} ({currency})", "product_revenue", "metric", True),
    ]
    keys = extra or {}
    return table(
        testid="drill-orders",
        heading=_("Orders"),
        cols=cols,
        rows=found.rows,
        currency=currency,
        finance=finance,
        link=lambda r: links.order(scope, r["order"], via=via, **keys),
        found=found,
        page_href=page_href,
    )


def spend_table(
    found: RowsPage, currency: str, finance: bool, page_href: Callable[[int], str]
) -> dict[str, Any]:
    cols = [
        Col(_("Day"), "day"),
        Col(_("Channel"), "channel", "user"),
        Col(_("Campaign"), "campaign", "user"),
        *_metric_cols(("spend", "impressions", "clicks"), currency),
    ]
    return table(
        testid="drill-spend",
        heading=_("Ad spend rows"),
        cols=cols,
        rows=found.rows,
        currency=currency,
        finance=finance,
        found=found,
        page_href=page_href,
    )


def customers_table(
    found: RowsPage, currency: str, finance: bool, page_href: Callable[[int], str]
) -> dict[str, Any]:
    rows = [{**r, "new_text": _("new") if r.get("new") else _("returning")} for r in found.rows]
    cols = [
        Col(_("Customer"), "customer", "user"),
        Col(_("First order"), "new_text"),
        *_metric_cols(("orders", "revenue"), currency),
    ]
    return table(
        testid="drill-customers",
        heading=_("Customers"),
        cols=cols,
        rows=rows,
        currency=currency,
        finance=finance,
        link=lambda r: links.profile(r["customer"]),
        found=found,
        page_href=page_href,
    )


def cohort_table(
    found: RowsPage, currency: str, finance: bool, page_href: Callable[[int], str]
) -> dict[str, Any]:
    return table(
        testid="drill-cohort",
        heading=_("Customers"),
        cols=[
            Col(_("Customer"), "customer", "user"),
            *_metric_cols(("orders", "revenue"), currency),
        ],
        rows=found.rows,
        currency=currency,
        finance=finance,
        link=lambda r: links.profile(r["customer"]),
        found=found,
        page_href=page_href,
    )


def sums(found_sums: dict[str, Any], currency: str, finance: bool) -> list[dict[str, str]]:
    """The list's totals as tiles (each equals the figure on the Overview)."""
    out = []
    for m, value in found_sums.items():
        if m not in LABELS or (m in MONEY and not finance):
            continue
        label = _(LABELS[m]) + (f" ({currency})" if m in MONEY and m not in RATIO_X else "")
        out.append({"metric": m, "label": label, "value": figure(m, value, currency)})
    return out
