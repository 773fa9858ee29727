"""Amazon Ads Sponsored Products reports (CSV/XLSX) -> ``ad_spend_daily``.

Read from the report layout downloaded in the Amazon Ads console (search-term,
campaign, advertised-product reports) as well as the v3 reporting API's camelCase
columns. Names are compared without surrounding spaces, so ``7 Day Total Sales `` (with the
trailing space Amazon writes) and the older ``ACoS``/``RoAS`` spellings are both read.
Rows (search terms, targets) are added up per day, campaign and ad group. ``Date`` is used
when present; a report with only ``Start Date``/``End Date`` is stored once per row,
dated on ``Start Date``. Conversions are ``7 Day Total Orders (#)`` and their value
``7 Day Total Sales``.
"""

from __future__ import annotations

from tradewinds.i18n_markers import N_
from tradewinds.ingest.files.ad_rows import ad_spend_frame, country_code
from tradewinds.ingest.files.base import Cells, FileFormat, ImportOptions, Parsed
from tradewinds.ingest.files.reading import RawFile, Sample, norm, read_table

_CONSOLE = {
    "campaign name",
    "impressions",
    "clicks",
    "spend",
    "7 day total sales",
    "7 day total orders (#)",
    "ad group name",
    "cost per click (cpc)",
}
_ACOS = {"total advertising cost of sales (acos)", "total return on advertising spend (roas)"}
_API = {"campaignname", "impressions", "clicks", "cost", "sales7d", "purchases7d", "date"}


class AmazonAdsReport(FileFormat):
    name = "amazon_ads"
    label = N_("Amazon Ads Sponsored Products report")
    tables = ("ad_spend_daily",)
    primary_table = "ad_spend_daily"

    def score(self, sample: Sample) -> float:
        best = 0.0
        for row in sample.rows[:2]:
            names = {norm(c) for c in row}
            console = len(names & _CONSOLE) / len(_CONSOLE) + (0.2 if names & _ACOS else 0.0)
            api = len(names & _API) / len(_API)
            best = max(best, min(1.0, console), api * 0.95)
        return best

    def parse(self, raw: RawFile, options: ImportOptions) -> Parsed:
        frame = read_table(raw, header_row=0)
        cells = Cells(frame, raw.display_name, options)
        c = cells.col
        impressions, clicks = c("Impressions"), c("Clicks")
        spend = c("Spend", "cost", "Total Spend")
        conv = c("7 Day Total Orders (#)", "purchases7d", "14 Day Total Orders (#)")
        value = c("7 Day Total Sales", "sales7d", "14 Day Total Sales")
        cells.decimal_sep([impressions, clicks, spend, conv, value])
        columns = {
            "date": cells.date(c("Date", "date", "Start Date", "startDate")),
            "account_name": cells.text(c("Portfolio name")),
            "campaign_id": cells.text(c("campaignId", "Campaign ID")),
            "campaign_name": cells.text(c("Campaign Name", "campaignName")),
            "ad_group_id": cells.text(c("adGroupId", "Ad Group ID")),
            "ad_group_name": cells.text(c("Ad Group Name", "adGroupName")),
            "country": country_code(cells.text(c("Country", "countryCode"))),
            "impressions": cells.integer(impressions),
            "clicks": cells.integer(clicks),
            "spend": cells.money(spend),
            "conversions": cells.money(conv),
            "conversion_value": cells.money(value),
            "currency": cells.currency(c("Currency", "campaignBudgetCurrencyCode")),
        }
        columns["ad_group_id"] = columns["ad_group_id"].where(
            columns["ad_group_id"].notna(), columns["ad_group_name"]
        )
        out = ad_spend_frame(cells, columns, platform="amazon")
        return cells.parsed({"ad_spend_daily": out}, len(frame))
