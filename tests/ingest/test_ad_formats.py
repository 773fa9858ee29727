"""Layout details of the ad-report formats beyond the shared conformance suite."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tradewinds.ingest.files.base import ImportOptions
from tradewinds.ingest.files.reading import RawFile
from tradewinds.ingest.files.registry import detect, get_format
from tradewinds.ingest.spec import FileError, rows_from_frame

# the campaign-report header described in ../shared/data/export_headers/NOTES.md
CAMPAIGN_HEADER = (
    "Campaign status,Campaign,Budget,Budget name,Budget type,Currency code,Status,"
    "Status reasons,Optimization score,Campaign type,Avg. CPM,Impr.,Interactions,"
    "Interaction rate,Avg. cost,Cost,Conv. (Platform Comparable),"
    "Cost / Conv. (Platform Comparable),Conv. value / Cost (Platform Comparable),"
    "Bid strategy type,Viewable CTR,Avg. viewable CPM,Viewable impr.,Clicks,Conv. rate,"
    "Conv. value,Conv. value / cost,Conversions,Avg. CPC,Cost / conv."
)
ROW = (
    'Enabled,Brand,50.00,,Daily,EUR,Eligible,,85.2%,Search,12.10,"1,234",90,7.29%,1.10,'
    '99.00, --, --, --,Maximize clicks, --, --,0,88,2.27%,"1,250.00",12.63,2.00,1.13,49.50'
)


def _rows(path: Path) -> list[dict]:
    raw = RawFile(path)
    parsed = detect(raw).parse(raw, ImportOptions())
    assert not parsed.errors, parsed.errors
    return list(rows_from_frame(parsed.frames["ad_spend_daily"]))


def _period_rows(path: Path) -> list[dict]:
    raw = RawFile(path)
    parsed = detect(raw).parse(raw, ImportOptions())
    assert not parsed.errors, parsed.errors
    assert parsed.frames["ad_spend_daily"].empty  # never dated on one day of the range
    return list(rows_from_frame(parsed.frames["ad_spend_period"]))


def test_google_campaign_report_for_a_range(tmp_path: Path) -> None:
    path = tmp_path / "Campaign report.csv"
    path.write_text(
        f'Campaign report\n"March 1, 2024 - March 31, 2024"\n{CAMPAIGN_HEADER}\n'
        f'{ROW}\nTotal: Account,,,,,EUR,,,,,,"1,234",,,,99.00\n'
    )
    row, total = _period_rows(path)
    assert (row["period_start"], row["period_end"]) == (date(2024, 3, 1), date(2024, 3, 31))
    assert (row["kind"], row["dimension"], row["dimension_value"]) == ("row", "campaign", "Brand")
    assert (row["report"], row["campaign_id"], row["impressions"], row["clicks"]) == (
        "Campaign report",
        "Brand",
        1234,
        88,
    )
    assert (row["spend"], row["conversions"], row["conversion_value"], row["currency"]) == (
        Decimal("99"),
        Decimal("2"),
        Decimal("1250"),
        "EUR",
    )
    # the rows cover the whole account total: nothing is left "not broken down"
    assert (total["kind"], total["spend"], total["currency"]) == (
        "account_total",
        Decimal("99"),
        "EUR",
    )


def test_google_breakdown_keeps_what_no_row_covers(tmp_path: Path) -> None:
    path = tmp_path / "Device report.csv"
    path.write_text(
        'Device report\n"May 1, 2024 - May 2, 2024"\nDevice,Currency code,Clicks,'
        "Impr.,Cost\nMobile phones,GBP,10,100,5.00\nComputers,GBP,4,50,2.50\n"
        "Total: Devices,GBP,14,150,7.50\nTotal: Account,GBP,20,200,10.00\n"
    )
    rows = {(r["kind"], r["dimension_value"]): r for r in _period_rows(path)}
    assert set(rows) == {
        ("row", "mobile"),
        ("row", "desktop"),
        ("account_total", ""),
        ("not_broken_down", "(not broken down)"),
    }
    rest = rows["not_broken_down", "(not broken down)"]
    assert (rest["dimension"], rest["spend"], rest["clicks"], rest["impressions"]) == (
        "device",
        Decimal("2.5"),
        6,
        50,
    )
    assert rows["account_total", ""]["spend"] == Decimal("10")


def test_google_all_time_report_needs_days(tmp_path: Path) -> None:
    path = tmp_path / "Campaign report.csv"
    path.write_text(f"Campaign report\nAll time\n{CAMPAIGN_HEADER}\n{ROW}\n")
    with pytest.raises(FileError, match="Day column"):
        _rows(path)
    by_day = tmp_path / "by_day.csv"
    by_day.write_text(
        f"Campaign report\nAll time\nDay,{CAMPAIGN_HEADER}\n2024-03-05,{ROW}\n2024-03-06,{ROW}\n"
    )
    assert [r["date"] for r in _rows(by_day)] == [date(2024, 3, 5), date(2024, 3, 6)]


def test_amazon_console_header_with_trailing_spaces(tmp_path: Path) -> None:
    header = (
        "Start Date,End Date,Portfolio name,Currency,Campaign Name,Ad Group Name,Retailer,"
        "Country,Targeting,Match Type,Customer Search Term,Impressions,Clicks,"
        "Click-Thru Rate (CTR),Cost Per Click (CPC),Spend,7 Day Total Sales ,"
        "Total Advertising Cost of Sales (ACOS) ,Total Return on Advertising Spend (ROAS),"
        "7 Day Total Orders (#),7 Day Total Units (#),7 Day Conversion Rate,"
        "7 Day Advertised SKU Units (#),7 Day Other SKU Units (#),"
        "7 Day Advertised SKU Sales ,7 Day Other SKU Sales "
    )
    line = (
        "05/01/2024,05/31/2024,,GBP,SP Mugs,Exact,Amazon,United Kingdom,mug,EXACT,{term},"
        "100,{clicks},1%,0.50,{spend},{sales},10%,10,1,1,5%,1,0,{sales},0"
    )
    path = tmp_path / "Sponsored_Products_Search_term_report.csv"
    path.write_text(
        "\n".join(
            [
                header,
                line.format(term="mug", clicks=4, spend="2.00", sales="20.00"),
                line.format(term="cup", clicks=6, spend="3.00", sales="0.00"),
            ]
        )
    )
    [row] = _rows(path)  # search terms add up into their ad group
    assert row["date"] == date(2024, 5, 1) and row["country"] == "GB"
    assert (row["clicks"], row["spend"], row["conversion_value"]) == (
        10,
        Decimal("5"),
        Decimal("20"),
    )


def test_format_override_reads_a_file_detection_would_not(tmp_path: Path) -> None:
    path = tmp_path / "tiktok.csv"
    path.write_text(
        "Date,Campaign name,Cost,Impressions,Clicks (destination),Currency\n"
        "2024-05-01,Launch,10.00,1000,20,USD\n"
    )
    with pytest.raises(FileError, match="Supported formats: google_ads"):
        detect(RawFile(path))
    parsed = get_format("tiktok_ads").parse(RawFile(path), ImportOptions())
    [row] = rows_from_frame(parsed.frames["ad_spend_daily"])
    assert (row["spend"], row["clicks"], row["platform"]) == (Decimal("10"), 20, "tiktok")


def test_meta_export_as_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "Reporting starts",
            "Reporting ends",
            "Campaign name",
            "Reach",
            "Impressions",
            "Amount spent (GBP)",
            "Link clicks",
            "Country",
        ]
    )
    ws.append(["2024-03-01", "2024-03-07", "Week", 900, 1200, 45.5, 30, "United Kingdom"])
    path = tmp_path / "Meta-export.xlsx"
    wb.save(path)
    [row] = _rows(path)
    assert row["date"] == date(2024, 3, 1)  # a week-long row is dated on its first day
    assert (row["spend"], row["currency"], row["country"], row["clicks"]) == (
        Decimal("45.5"),
        "GBP",
        "GB",
        30,
    )
