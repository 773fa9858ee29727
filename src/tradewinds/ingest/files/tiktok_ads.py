"""TikTok Ads report -> ``ad_spend_daily``.

No genuine TikTok Ads Manager download was available to us; this reader follows the
documented reporting-API metric and dimension names, which TikTok's exports and most
connectors reuse: ``stat_time_day``, ``campaign_id``, ``campaign_name``, ``adgroup_id``,
``adgroup_name``, ``ad_id``, ``ad_name``, ``country_code``, ``spend``, ``impressions``,
``clicks``, ``conversion``, ``total_complete_payment_rate`` … plus ``currency`` when present
(otherwise give ``--currency``). Title-cased variants (``Campaign name``, ``Cost``,
``Date``) are accepted too.
"""

from __future__ import annotations

from tradewinds.i18n_markers import N_
from tradewinds.ingest.files.ad_rows import ad_spend_frame, country_code, device_name
from tradewinds.ingest.files.base import Cells, FileFormat, ImportOptions, Parsed
from tradewinds.ingest.files.reading import RawFile, Sample, header_score, read_table

_SIGNATURE = {"stat_time_day", "spend", "impressions", "clicks", "campaign_name", "campaign_id"}


class TikTokAdsReport(FileFormat):
    name = "tiktok_ads"
    label = N_("TikTok Ads report (reporting-API column names)")
    tables = ("ad_spend_daily",)
    primary_table = "ad_spend_daily"

    def score(self, sample: Sample) -> float:
        share, row = header_score(sample, _SIGNATURE, max_row=1)
        if row < 0 or "stat_time_day" not in {c.strip().lower() for c in sample.rows[row]}:
            return share * 0.5
        return min(1.0, 0.3 + share)

    def parse(self, raw: RawFile, options: ImportOptions) -> Parsed:
        frame = read_table(raw, header_row=0)
        cells = Cells(frame, raw.display_name, options)
        c = cells.col
        impressions, clicks = c("impressions"), c("clicks", "Clicks (destination)")
        spend, conv = c("spend", "Cost"), c("conversion", "conversions")
        value = c("total_complete_payment_rate", "complete_payment_value", "total_purchase_value")
        cells.decimal_sep([impressions, clicks, spend, conv, value])
        columns = {
            "date": cells.date(c("stat_time_day", "Date", "By Day")),
            "account_id": cells.text(c("advertiser_id")),
            "account_name": cells.text(c("advertiser_name")),
            "campaign_id": cells.text(c("campaign_id", "Campaign ID")),
            "campaign_name": cells.text(c("campaign_name", "Campaign name")),
            "ad_group_id": cells.text(c("adgroup_id", "Ad group ID")),
            "ad_group_name": cells.text(c("adgroup_name", "Ad group name")),
            "ad_id": cells.text(c("ad_id", "Ad ID")),
            "ad_name": cells.text(c("ad_name", "Ad name")),
            "country": country_code(cells.text(c("country_code", "Country"))),
            "device": device_name(cells.text(c("platform", "Device"))),
            "impressions": cells.integer(impressions),
            "clicks": cells.integer(clicks),
            "spend": cells.money(spend),
            "conversions": cells.money(conv),
            "conversion_value": cells.money(value),
            "currency": cells.currency(c("currency", "Currency")),
        }
        out = ad_spend_frame(cells, columns, platform="tiktok")
        return cells.parsed({"ad_spend_daily": out}, len(frame))
