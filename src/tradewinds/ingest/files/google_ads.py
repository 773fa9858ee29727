"""Google Ads UI report download (CSV) -> ``ad_spend_daily``.

Layout of a report downloaded from the Google Ads web interface::

    Campaign report                         <- title line
    "May 18, 2025 - August 15, 2025"        <- date range (or "All time")
    Campaign,Currency code,Impr.,Clicks,Cost,Conversions,Conv. value,...
    Brand,USD,"1,414,877",113944,199874.74,6296.18,...
    Total: Account,,USD,...                 <- footer: the account's total for the range

Numbers above 999 are quoted with thousands separators, percentages read ``6.20%`` and
missing values `` --``. When the report has a ``Day`` (or ``Date``) column every row keeps
its day in ``ad_spend_daily``. When it has none, the report is a *period report*: its rows
are the spend of the whole date range, broken down by the report's first dimension column
(landing page, interaction type, keyword …), and go to ``ad_spend_period`` as such — see
``period_report.py``; nothing is dated on one day.
"""

from __future__ import annotations

import re

import pandas as pd

from tradewinds.i18n_markers import N_, Text
from tradewinds.ingest import parsing
from tradewinds.ingest.files.ad_rows import ad_spend_frame, country_code, device_name
from tradewinds.ingest.files.base import Cells, FileFormat, ImportOptions, Parsed
from tradewinds.ingest.files.period_report import period_report
from tradewinds.ingest.files.reading import RawFile, Sample, find_column, norm, read_table
from tradewinds.ingest.spec import FileError, empty_frame, table

_METRICS = {
    "impr.",
    "impressions",
    "clicks",
    "cost",
    "currency code",
    "avg. cpc",
    "ctr",
    "conversions",
    "conv. value",
    "interactions",
    "avg. cost",
    "avg. cpm",
}
_DIMENSIONS = {
    "campaign",
    "campaign id",
    "day",
    "ad group",
    "landing page",
    "device",
    "country/territory",
    "interaction type",
    "keyword",
    "search term",
}
_RANGE = re.compile(r"^\s*(.+?\d{4})\s*[-–]\s*(.+?\d{4})\s*$")


class GoogleAdsReport(FileFormat):
    name = "google_ads"
    label = N_("Google Ads report (CSV downloaded from the Google Ads interface)")
    tables = ("ad_spend_daily", "ad_spend_period")
    primary_table = "ad_spend_daily"

    def _header_row(self, rows: list[list[str]]) -> int | None:
        for i, row in enumerate(rows[:4]):
            names = {norm(c) for c in row}
            if len(names & _METRICS) >= 2 and ("cost" in names or "impr." in names):
                return i
        return None

    def score(self, sample: Sample) -> float:
        i = self._header_row(sample.rows)
        if i is None:
            return 0.0
        names = {norm(c) for c in sample.rows[i]}
        framed = i == 2 and all(len([c for c in r if c.strip()]) == 1 for r in sample.rows[:2])
        if framed:  # title line and date-range line above the header: Google's download
            return min(1.0, 0.7 + 0.1 * min(len(names & _METRICS), 3))
        return 0.65 if "impr." in names else 0.4

    def parse(self, raw: RawFile, options: ImportOptions) -> Parsed:
        sample = Sample.of(raw, 6)
        header = self._header_row(sample.rows)
        if header is None:
            raise FileError(
                Text("%(name)s: no Google Ads report header found", name=raw.display_name)
            )
        date_range = _date_range(sample.rows[header - 1] if header >= 1 else [])
        frame = read_table(raw, header_row=header, delimiter=",")
        if find_column(frame, "Day", "Date") is not None:
            return self._daily(raw, options, frame)
        if date_range is None:
            raise FileError(
                Text(
                    "%(name)s covers no fixed date range ('All time'?) and has no Day "
                    "column; download it for a date range or segmented by Day",
                    name=raw.display_name,
                )
            )
        title = _title(sample.rows[header - 2] if header >= 2 else [], raw)
        return period_report(raw, options, frame, date_range, title)

    def _daily(self, raw: RawFile, options: ImportOptions, frame: pd.DataFrame) -> Parsed:
        label = frame[frame.columns[0]].astype(str).str.strip()
        frame = frame[~label.str.startswith("Total:")].reset_index(drop=True)
        cells = Cells(frame, raw.display_name, options)
        c = cells.col
        impressions, clicks = c("Impr.", "Impressions"), c("Clicks", "Interactions")
        cost, conv = c("Cost"), c("Conversions", "Conv.")
        value = c("Conv. value", "Total conv. value")
        cells.decimal_sep([impressions, clicks, cost, conv, value])
        campaign = cells.text(c("Campaign"))
        if c("Campaign") is None:
            campaign = pd.Series(["All campaigns"] * len(frame), dtype="object")
        columns = {
            "date": cells.date(c("Day", "Date")),
            "account_id": cells.text(c("Customer ID", "Account ID")),
            "account_name": cells.text(c("Account", "Account name")),
            "campaign_id": cells.text(c("Campaign ID")),
            "campaign_name": campaign,
            "ad_group_id": cells.text(c("Ad group ID")),
            "ad_group_name": cells.text(c("Ad group")),
            "ad_id": cells.text(c("Ad ID")),
            "country": country_code(cells.text(c("Country/Territory", "Country"))),
            "device": device_name(cells.text(c("Device"))),
            "impressions": cells.integer(impressions),
            "clicks": cells.integer(clicks),
            "spend": cells.money(cost),
            "conversions": cells.money(conv),
            "conversion_value": cells.money(value),
            "currency": cells.currency(c("Currency code", "Currency")),
        }
        if columns["campaign_id"].isna().all() and c("Campaign") is None:
            columns["campaign_id"] = pd.Series([""] * len(frame), dtype="object")
        out = ad_spend_frame(cells, columns, platform="google")
        period = empty_frame(table("ad_spend_period"))
        return cells.parsed({"ad_spend_daily": out, "ad_spend_period": period}, len(frame))


def _title(row: list[str], raw: RawFile) -> str:
    cells = [c.strip() for c in row if c.strip()]
    return cells[0] if len(cells) == 1 else raw.path.stem


def _date_range(row: list[str]) -> tuple[object, object] | None:
    if len(row) != 1:
        return None
    m = _RANGE.match(row[0])
    if not m:
        return None
    try:
        return parsing.parse_month_name_date(m.group(1)), parsing.parse_month_name_date(m.group(2))
    except parsing.ParseError:
        return None
