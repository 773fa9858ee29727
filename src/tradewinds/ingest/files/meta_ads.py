"""Meta (Facebook/Instagram) Ads Manager "Export table data" CSV/XLSX -> ``ad_spend_daily``.

The currency is written inside the money column names (``Amount spent (EUR)``); some
header cells contain commas and are quoted (``"CPM (cost per 1,000 impressions) (EUR)"``).
Each row carries ``Reporting starts`` and ``Reporting ends``. A row covering one day is
stored on that day; a row covering a longer period (an export not broken down by day) is
stored once, dated on ``Reporting starts`` — nothing is spread over the days.
Clicks are ``Link clicks`` (falling back to ``Clicks (all)``); conversions are
``Purchases`` (falling back to ``Results``) and their value ``Purchases conversion value``.
"""

from __future__ import annotations

from tradewinds.i18n_markers import N_, Text
from tradewinds.ingest.files.ad_rows import ad_spend_frame, country_code, device_name
from tradewinds.ingest.files.base import Cells, FileFormat, ImportOptions, Parsed, first_matching
from tradewinds.ingest.files.reading import RawFile, Sample, header_score, norm, read_table
from tradewinds.ingest.parsing import currency_in_text
from tradewinds.ingest.spec import FileError

_SIGNATURE = {"reporting starts", "reporting ends", "campaign name", "impressions", "reach"}


class MetaAdsExport(FileFormat):
    name = "meta_ads"
    label = N_("Meta Ads Manager export (Facebook / Instagram ads)")
    tables = ("ad_spend_daily",)
    primary_table = "ad_spend_daily"

    def score(self, sample: Sample) -> float:
        share, row = header_score(sample, _SIGNATURE, max_row=1)
        if row < 0:
            return 0.0
        spent = any(norm(c).startswith("amount spent") for c in sample.rows[row])
        return min(1.0, share * 0.8 + (0.25 if spent else 0.0))

    def parse(self, raw: RawFile, options: ImportOptions) -> Parsed:
        frame = read_table(raw, header_row=0)
        cells = Cells(frame, raw.display_name, options)
        c = cells.col
        spent = first_matching(frame.columns, lambda n: norm(n).startswith("amount spent"))
        if spent is None:
            raise FileError(Text("%(name)s: no 'Amount spent (…)' column", name=raw.display_name))
        code = currency_in_text(spent)
        currency_col = c("Currency")
        if code is None and currency_col is None and options.currency is None:
            raise FileError(
                Text(
                    "%(name)s: the column %(column)s does not name its "
                    "currency; give it with --currency",
                    name=raw.display_name,
                    column=repr(spent),
                )
            )
        value_col = first_matching(
            frame.columns,
            lambda n: norm(n).startswith(
                ("purchases conversion value", "website purchases conversion value")
            ),
        )
        impressions, clicks = c("Impressions"), c("Link clicks", "Clicks (all)")
        conv = c("Purchases", "Website purchases", "Results")
        cells.decimal_sep([impressions, clicks, spent, conv, value_col])
        day = c("Day")
        date = cells.date(day if day is not None else c("Reporting starts"))
        columns = {
            "date": date,
            "account_id": cells.text(c("Account ID")),
            "account_name": cells.text(c("Account name")),
            "campaign_id": cells.text(c("Campaign ID")),
            "campaign_name": cells.text(c("Campaign name")),
            "ad_group_id": cells.text(c("Ad set ID")),
            "ad_group_name": cells.text(c("Ad set name")),
            "ad_id": cells.text(c("Ad ID")),
            "ad_name": cells.text(c("Ad name")),
            "country": country_code(cells.text(c("Country"))),
            "device": device_name(cells.text(c("Impression device", "Device platform"))),
            "impressions": cells.integer(impressions),
            "clicks": cells.integer(clicks),
            "spend": cells.money(spent),
            "conversions": cells.money(conv),
            "conversion_value": cells.money(value_col),
            "currency": cells.currency(currency_col, code),
        }
        out = ad_spend_frame(cells, columns, platform="meta")
        return cells.parsed({"ad_spend_daily": out}, len(frame))
