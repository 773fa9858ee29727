"""Small export files built on each vendor's documented layout (or copied from real files).

Values are invented test values (example.com addresses, round numbers); the layouts are
the documented ones, described in ../shared/data/export_headers/NOTES.md and the format
modules' docstrings.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from collections.abc import Callable
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def _csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def google_ads(tmp: Path, bad: bool) -> Path:
    src = SHARED / "ad_exports" / "google_ads_advanced_bid_adjustment_report.csv"
    text = src.read_text(encoding="utf-8-sig")
    if bad:  # the first data row's cost becomes unreadable
        lines = text.splitlines()
        lines[3] = lines[3].replace(",72.04,", ",7x2.04,")
        text = "\n".join(lines) + "\n"
    out = tmp / "google_ads_report.csv"
    out.write_text(text, encoding="utf-8")
    return out


def meta_ads(tmp: Path, bad: bool) -> Path:
    header = [
        "Reporting starts",
        "Reporting ends",
        "Campaign name",
        "Campaign delivery",
        "Attribution setting",
        "Results",
        "Result indicator",
        "Reach",
        "Frequency",
        "Cost per results",
        "Amount spent (EUR)",
        "Impressions",
        "CPM (cost per 1,000 impressions) (EUR)",
        "Link clicks",
        "CPC (cost per link click) (EUR)",
        "CTR (link click-through rate)",
        "Clicks (all)",
        "CTR (all)",
        "CPC (all) (EUR)",
        "Landing page views",
        "Cost per landing page view (EUR)",
    ]
    rows = [
        header,
        [
            "2024-03-01",
            "2024-03-01",
            "Spring sale",
            "active",
            "7-day click",
            "12",
            "actions:offsite_conversion.fb_pixel_purchase",
            "5000",
            "1.2",
            "2.5",
            "1.234,56" if not bad else "1.2x4,56",
            "6000",
            "5,01",
            "150",
            "0,20",
            "2,5",
            "180",
            "3",
            "0,17",
            "120",
            "0,25",
        ],
        [
            "2024-03-02",
            "2024-03-02",
            "Spring sale",
            "active",
            "7-day click",
            "10",
            "actions:offsite_conversion.fb_pixel_purchase",
            "4000",
            "1.1",
            "2.9",
            "29,00",
            "5000",
            "5,80",
            "140",
            "0,21",
            "2,8",
            "160",
            "3,2",
            "0,18",
            "100",
            "0,29",
        ],
    ]
    return _csv(tmp / "meta_export.csv", rows)


def tiktok_ads(tmp: Path, bad: bool) -> Path:
    rows = [
        [
            "stat_time_day",
            "advertiser_id",
            "campaign_id",
            "campaign_name",
            "spend",
            "impressions",
            "clicks",
            "ctr",
            "cpc",
            "cpm",
            "conversion",
            "cost_per_conversion",
            "currency",
        ],
        [
            "2024-05-01 00:00:00",
            "700",
            "1790001",
            "Launch",
            "100.50",
            "20000",
            "300",
            "1.5",
            "0.33",
            "5.02",
            "12",
            "8.37",
            "USD",
        ],
        [
            "2024-05-02 00:00:00",
            "700",
            "1790001",
            "Launch",
            "80.00",
            "15000" if not bad else "fifteen",
            "250",
            "1.6",
            "0.32",
            "5.33",
            "9",
            "8.89",
            "USD",
        ],
    ]
    return _csv(tmp / "tiktok_report.csv", rows)


def amazon_ads(tmp: Path, bad: bool) -> Path:
    header = [
        "Date",
        "Portfolio name",
        "Currency",
        "Campaign Name",
        "Ad Group Name",
        "Targeting",
        "Match Type",
        "Customer Search Term",
        "Impressions",
        "Clicks",
        "Click-Thru Rate (CTR)",
        "Cost Per Click (CPC)",
        "Spend",
        "7 Day Total Sales ",
        "Total Advertising Cost of Sales (ACoS) ",
        "Total Return on Advertising Spend (RoAS)",
        "7 Day Total Orders (#)",
        "7 Day Total Units (#)",
        "7 Day Conversion Rate",
    ]
    rows = [
        header,
        [
            "Jun 01, 2024",
            "Main",
            "USD",
            "SP - Mugs",
            "Mugs exact",
            "mug",
            "EXACT",
            "coffee mug",
            "1,200",
            "30",
            "2.5%",
            "0.80",
            "24.00",
            "120.00",
            "20%",
            "5.00",
            "4",
            "5",
            "13.3%",
        ],
        [
            "Jun 01, 2024",
            "Main",
            "USD",
            "SP - Mugs",
            "Mugs exact",
            "mug",
            "EXACT",
            "tea mug",
            "800",
            "10",
            "1.25%",
            "0.90",
            "9.00" if not bad else "9.0.0",
            "0.00",
            "0%",
            "0.00",
            "0",
            "0",
            "0%",
        ],
    ]
    return _csv(tmp / "sponsored_products_search_term_report.csv", rows)


def shopify_orders(tmp: Path, bad: bool) -> Path:
    header = next(
        csv.reader(
            [(SHARED / "export_headers" / "shopify_orders_export_header.csv").read_text().strip()]
        )
    )
    blank = dict.fromkeys(header, "")

    def row(**kw: str) -> list[str]:
        r = dict(blank)
        for k, v in kw.items():
            r[k.replace("_", " ")] = v
        return [r[h] for h in header]

    def line(name: str, created: str, qty: str, price: str, sku: str, title: str) -> dict:
        return {
            "Name": name,
            "Email": "ana@example.com",
            "Created at": created,
            "Lineitem quantity": qty,
            "Lineitem price": price,
            "Lineitem sku": sku,
            "Lineitem name": title,
        }

    first = line("#1001", "2022-04-06 21:52:40 -0400", "2", "10.00", "MUG-1", "Mug")
    first.update(
        {
            "Financial Status": "paid",
            "Currency": "USD",
            "Subtotal": "30.00",
            "Shipping": "5.00",
            "Taxes": "2.00",
            "Total": "37.00",
            "Discount Amount": "0.00",
            "Accepts Marketing": "yes",
            "Billing Name": "Ana Example",
            "Billing City": "Springfield",
            "Billing Country": "US",
            "Shipping Country": "US",
            "Phone": "+15550100",
        }
    )
    second = line(
        "#1001", "2022-04-06 21:52:40 -0400", "1" if not bad else "one", "10.00", "TEA-1", "Tea"
    )
    third = line("#1002", "2022-04-07 08:00:00 +0200", "1", "12.50", "MUG-1", "Mug")
    third.update(
        {
            "Email": "bo@example.com",
            "Financial Status": "refunded",
            "Currency": "EUR",
            "Subtotal": "12.50",
            "Total": "12.50",
            "Refunded Amount": "12.50",
            "Shipping Country": "DE",
        }
    )
    rows = [header] + [[{**blank, **r}[h] for h in header] for r in (first, second, third)]
    del row
    return _csv(tmp / "orders_export_1.csv", rows)


AMAZON_ORDER_HEADER = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "url",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
]


def amazon_orders(tmp: Path, bad: bool) -> Path:
    def row(oid: str, sku: str, asin: str, qty: str, price: str) -> list[str]:
        v = dict.fromkeys(AMAZON_ORDER_HEADER, "")
        v.update(
            {
                "amazon-order-id": oid,
                "purchase-date": "2024-02-03T10:15:00+00:00",
                "order-status": "Shipped",
                "product-name": f"Item {sku}",
                "sku": sku,
                "asin": asin,
                "quantity": qty,
                "currency": "EUR",
                "item-price": price,
                "item-tax": "1.90",
                "shipping-price": "3.00",
                "ship-country": "DE",
                "sales-channel": "Amazon.de",
                "ship-city": "Berlin",
            }
        )
        return [v[h] for h in AMAZON_ORDER_HEADER]

    rows = [
        AMAZON_ORDER_HEADER,
        row("302-0000001-0000001", "MUG-1", "B000000001", "2", "20.00"),
        row("302-0000001-0000001", "TEA-1", "B000000002", "1", "9.99" if not bad else "x"),
        row("302-0000002-0000002", "MUG-1", "B000000001", "1", "10.00"),
    ]
    return _csv(tmp / "All_Orders_report.txt", rows, delimiter="\t")


EBAY_HEADER = [
    "Sales Record Number",
    "Order Number",
    "Buyer Username",
    "Buyer Name",
    "Buyer Email",
    "Buyer Note",
    "Buyer Address 1",
    "Buyer Address 2",
    "Buyer City",
    "Buyer State",
    "Buyer Zip",
    "Buyer Country",
    "Ship To Name",
    "Ship To Phone",
    "Ship To Address 1",
    "Ship To Address 2",
    "Ship To City",
    "Ship To State",
    "Ship To Zip",
    "Ship To Country",
    "Item Number",
    "Item Title",
    "Custom Label",
    "Sold Via Promoted Listings",
    "Quantity",
    "Sold For",
    "Shipping And Handling",
    "Seller Collected Tax",
    "eBay Collected Tax",
    "Total Price",
    "Payment Method",
    "Sale Date",
    "Paid On Date",
    "Transaction ID",
]


def ebay_orders(tmp: Path, bad: bool) -> Path:
    def row(rec: str, oid: str, item: str, qty: str, price: str, total: str, txn: str):
        v = dict.fromkeys(EBAY_HEADER, "")
        v.update(
            {
                "Sales Record Number": rec,
                "Order Number": oid,
                "Buyer Username": "buyer1",
                "Buyer Name": "Cy Example",
                "Buyer Email": "cy@example.com",
                "Ship To Country": "United States",
                "Item Number": item,
                "Item Title": f"Item {item}",
                "Custom Label": f"SKU-{item}",
                "Quantity": qty,
                "Sold For": price,
                "Shipping And Handling": "$4.00",
                "eBay Collected Tax": "$0.00",
                "Total Price": total,
                "Sale Date": "Mar-15-23",
                "Transaction ID": txn,
            }
        )
        return [v[h] for h in EBAY_HEADER]

    rows = [
        [""],
        EBAY_HEADER,
        row("101", "12-00001-00001", "3001", "1", "$12.99", "$16.99", "9001"),
        row(
            "102", "12-00001-00001", "3002", "2", "$5.00" if not bad else "$5,0,0", "$14.00", "9002"
        ),
        row("103", "12-00002-00002", "3001", "1", "$12.99", "$16.99", "9003"),
        [""],
        ["3 record(s) downloaded,from Mar-01-23 to Mar-31-23"],
    ]
    return _csv(tmp / "eBay-OrdersReport.csv", rows)


def shopee_orders(tmp: Path, bad: bool) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "訂單編號",
            "訂單狀態",
            "訂單成立日期",
            "商品名稱",
            "商品選項貨號",
            "主商品貨號",
            "商品活動價格",
            "數量",
            "買家帳號",
            "收件者姓名",
            "電話號碼",
            "收件地址",
            "訂單總金額",
        ]
    )
    ws.append(
        [
            "240101ABC",
            "已完成",
            "2024-01-01 10:00",
            "馬克杯",
            "MUG-1",
            "MUG",
            "350",
            "2",
            "buyer_tw",
            "王 小明",
            "0912000000",
            "台北市",
            "760",
        ]
    )
    ws.append(
        [
            "240101ABC",
            "已完成",
            "2024-01-01 10:00",
            "茶包",
            "TEA-1",
            "TEA",
            "60" if not bad else "六十",
            "1",
            "buyer_tw",
            "王 小明",
            "0912000000",
            "台北市",
            "760",
        ]
    )
    ws.append(
        [
            "240102XYZ",
            "已完成",
            "2024-01-02 09:30",
            "馬克杯",
            "MUG-1",
            "MUG",
            "350",
            "1",
            "buyer_two",
            "李 大同",
            "0912000001",
            "台中市",
            "410",
        ]
    )
    out = tmp / "Order.all.20240101_20240131.xlsx"
    wb.save(out)
    return out


def online_retail(tmp: Path, bad: bool) -> Path:
    src = SHARED / "online_retail" / "online_retail_non_uk.csv.gz"
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(60)]
    if bad:
        parts = lines[2].split(",")
        parts[3] = "six"
        lines[2] = ",".join(parts)
    out = tmp / "online_retail_sample.csv.gz"
    with gzip.open(out, "wt", encoding="utf-8") as fh:
        fh.writelines(lines)
    return out


SAMPLES: dict[str, Callable[[Path, bool], Path]] = {
    "google_ads": google_ads,
    "meta_ads": meta_ads,
    "tiktok_ads": tiktok_ads,
    "amazon_ads": amazon_ads,
    "shopify_orders": shopify_orders,
    "amazon_orders": amazon_orders,
    "ebay_orders": ebay_orders,
    "shopee_orders": shopee_orders,
    "online_retail": online_retail,
}


def copy(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    return dst
