"""An ad report for a date range without a day column -> ``ad_spend_period``.

A Google Ads download such as the landing-page or the advanced bid-adjustment report has a
date-range line ("May 18, 2025 - August 15, 2025") and no ``Day`` column: each row is the
spend of the whole range, broken down by the report's dimension (its first dimension
column: landing page, interaction type, ad group, keyword, device, campaign …). The rows
are stored as they are, for the range, never on one day:

* ``kind = 'row'`` — one row per dimension value (and campaign, where the report has one);
* ``kind = 'account_total'`` — the report's ``Total: Account`` line: the account's spend
  for the period (the sum of the rows when the report has no such line);
* ``kind = 'not_broken_down'`` — the part of the account total that no row covers
  (account total − sum of the rows), so the spend is neither lost nor counted twice.

Other footer lines (``Total: Landing pages``, ``Total: Search``, ``Total: Display`` …) are
sums of the rows or campaign-type subtotals and are not stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from tradewinds.i18n_markers import Text
from tradewinds.ingest.files.ad_rows import ad_period_frame, device_name
from tradewinds.ingest.files.base import Cells, ImportOptions, Parsed
from tradewinds.ingest.files.reading import RawFile, norm
from tradewinds.ingest.spec import empty_frame, table

ACCOUNT_TOTAL = "Total: Account"
_QUOTED_TOTAL = repr(ACCOUNT_TOTAL)
#: report columns that break spend down, by their header (compared lower-case)
BREAKDOWNS = {
    "landing page": "landing_page",
    "expanded landing page": "landing_page",
    "interaction type": "interaction_type",
    "ad group": "ad_group",
    "keyword": "keyword",
    "search keyword": "keyword",
    "search term": "search_term",
    "device": "device",
    "country/territory": "country",
    "ad": "ad",
    "ad name": "ad",
    "campaign": "campaign",
}
_SUMMED = ("impressions", "clicks", "spend", "conversions", "conversion_value")


def breakdown_column(columns: list[str]) -> str:
    """The column a period report breaks its spend down by: the first known dimension
    column, else the report's first column."""
    for column in columns:
        if norm(column) in BREAKDOWNS:
            return column
    return columns[0]


def dimension_name(column: str) -> str:
    return BREAKDOWNS.get(norm(column), "_".join(norm(column).replace("/", " ").split()))


def period_report(
    raw: RawFile,
    options: ImportOptions,
    frame: pd.DataFrame,
    period: tuple[dt.date, dt.date],
    title: str,
) -> Parsed:
    """Rows, account total and the not-broken-down remainder of one period report."""
    label = frame[frame.columns[0]].astype(str).str.strip()
    totals = (label == ACCOUNT_TOTAL).to_numpy()
    first_total = totals.argmax() if totals.any() else -1
    keep = ~label.str.startswith("Total:").to_numpy()
    if first_total >= 0:
        keep[first_total] = True
    frame = frame[keep].reset_index(drop=True)
    is_total = (frame[frame.columns[0]].astype(str).str.strip() == ACCOUNT_TOTAL).to_numpy()
    cells = Cells(frame, raw.display_name, options)
    c = cells.col
    impressions, clicks = c("Impr.", "Impressions"), c("Clicks", "Interactions")
    cost, conv = c("Cost"), c("Conversions", "Conv.")
    value = c("Conv. value", "Total conv. value")
    cells.decimal_sep([impressions, clicks, cost, conv, value])
    data_columns = [col for col in frame.columns if col != "__line__"]
    by = breakdown_column(data_columns)
    dimension = dimension_name(by)
    values = cells.text(by)
    if dimension == "device":
        values = device_name(values)
    campaign = cells.text(c("Campaign"))
    campaign_id = cells.text(c("Campaign ID"))
    campaign_id = campaign_id.where(campaign_id.notna(), campaign).where(
        campaign.notna() | campaign_id.notna(), ""
    )
    currency = cells.currency(c("Currency code", "Currency"))
    account_id = cells.text(c("Customer ID", "Account ID"))
    account_name = cells.text(c("Account", "Account name"))
    metrics = {
        "impressions": cells.integer(impressions),
        "clicks": cells.integer(clicks),
        "spend": cells.money(cost),
        "conversions": cells.money(conv),
        "conversion_value": cells.money(value),
    }
    cells.reject(
        values.isna().to_numpy() & ~is_total & ~cells.bad,
        by,
        Text(
            "a %(column)s is required (the column the report breaks spend down by)",
            column=by.lower(),
        ),
    )
    good = ~cells.bad
    rows = good & ~is_total
    n_rows = int((~is_total).sum())
    first_account = account_id[rows].dropna()
    first_name = account_name[rows].dropna()
    common = {
        "period_start": period[0],
        "period_end": period[1],
        "report": title,
        "account_id": first_account.iloc[0] if len(first_account) else "",
        "account_name": first_name.iloc[0] if len(first_name) else None,
    }
    row_currency = currency[rows].dropna()
    default_currency = row_currency.iloc[0] if len(row_currency) else None
    parts = [_part(rows, "row", dimension, values, campaign_id, campaign, currency, metrics)]
    notes: list[str] = [
        Text(
            "no Day column: the %(rows)s rows by %(column)s are the spend of "
            "%(start)s – %(end)s as a whole, stored as a period report; "
            "dashboards spread it evenly over its %(days)s days",
            rows=str(n_rows),
            column=by.lower(),
            start=period[0],
            end=period[1],
            days=str((period[1] - period[0]).days + 1),
        )
    ]
    row_sums = {k: v[rows].sum() for k, v in metrics.items()}
    if (is_total & good).any():
        i = int(is_total.argmax())
        total = {k: v.iloc[i] for k, v in metrics.items()}
        total_currency = currency.iloc[i] if pd.notna(currency.iloc[i]) else default_currency
    else:
        total, total_currency = dict(row_sums), default_currency
        notes.append(
            Text(
                "no %(total)s line: the account's spend for the period is the sum of the rows",
                total=_QUOTED_TOTAL,
            )
        )
    if total_currency is not None:
        parts.append(_single("account_total", "", "", total_currency, total))
        rest = {k: _minus(total[k], row_sums[k]) for k in _SUMMED}
        spend_rest = rest["spend"]
        if pd.notna(spend_rest) and spend_rest < 0:
            notes.append(
                Text(
                    "the rows add up to more than %(total)s "
                    "(%(rows)s > %(spend)s %(currency)s): they overlap, so no spend is left over",
                    total=_QUOTED_TOTAL,
                    rows=_money(row_sums["spend"]),
                    spend=_money(total["spend"]),
                    currency=total_currency,
                )
            )
        elif any(pd.notna(v) and v > 0 for v in rest.values()):
            parts.append(
                _single(
                    "not_broken_down",
                    dimension,
                    "(not broken down)",
                    total_currency,
                    {k: max(v, 0) if pd.notna(v) else v for k, v in rest.items()},
                )
            )
            notes.append(
                Text(
                    "%(total)s %(spend)s %(currency)s is the "
                    "account's spend for the period; %(rest)s of it "
                    "is in no row and is kept as 'not broken down'",
                    total=_QUOTED_TOTAL,
                    spend=_money(total["spend"]),
                    currency=total_currency,
                    rest=_money(spend_rest or 0),
                )
            )
    columns = {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in parts[0]}
    n = len(columns["kind"])
    for name, value in common.items():
        columns[name] = pd.Series([value] * n, dtype="object")
    out = ad_period_frame(columns, platform="google", source=f"file:{raw.display_name}")
    read = n_rows + int(is_total.any())
    frames = {"ad_spend_daily": empty_frame(table("ad_spend_daily")), "ad_spend_period": out}
    return cells.parsed(frames, read, notes, primary_table="ad_spend_period")


def _part(
    mask: object,
    kind: str,
    dimension: str,
    values: pd.Series,
    campaign_id: pd.Series,
    campaign: pd.Series,
    currency: pd.Series,
    metrics: dict[str, pd.Series],
) -> dict[str, pd.Series]:
    pick = pd.Series(mask)
    out = {
        "kind": pd.Series([kind] * int(pick.sum()), dtype="object"),
        "dimension": pd.Series([dimension] * int(pick.sum()), dtype="object"),
        "dimension_value": values[pick.to_numpy()],
        "campaign_id": campaign_id[pick.to_numpy()],
        "campaign_name": campaign[pick.to_numpy()],
        "currency": currency[pick.to_numpy()],
    }
    out.update({k: v[pick.to_numpy()] for k, v in metrics.items()})
    return {k: v.reset_index(drop=True) for k, v in out.items()}


def _single(
    kind: str, dimension: str, value: str, currency: str, metrics: dict[str, object]
) -> dict[str, pd.Series]:
    out = {
        "kind": kind,
        "dimension": dimension,
        "dimension_value": value,
        "campaign_id": "",
        "campaign_name": None,
        "currency": currency,
    }
    series = {k: pd.Series([v], dtype="object") for k, v in out.items()}
    series.update({k: pd.Series([metrics[k]], dtype="Int64") for k in _SUMMED})
    return series


def _minus(total: object, part: object) -> object:
    if total is None or pd.isna(total):
        return pd.NA
    return total - (0 if part is None or pd.isna(part) else part)


def _money(units: object) -> str:
    """Money units (10**-4) as the report writes them: ``249,214.39``."""
    return f"{Decimal(int(units)).scaleb(-4):,.2f}"
