"""Exports saved in the encodings storefronts and spreadsheet programs use read as written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tradewinds.ingest.files.base import ImportOptions
from tradewinds.ingest.files.reading import RawFile
from tradewinds.ingest.files.registry import from_mapping
from tradewinds.ingest.spec import rows_from_frame

TEXTS = {
    "shift_jis": "注文番号,商品名,価格\n1001,抹茶ラテ,500\n1002,緑茶ティーバッグ,300\n",
    "gb18030": "订单号,商品名称,价格\n1001,绿茶,50\n1002,乌龙茶礼盒,120\n",
    "big5": "訂單編號,商品名稱,價格\n1001,綠茶,50\n1002,烏龍茶禮盒,120\n",
    "euc_kr": "주문번호,상품명,가격\n1001,녹차,5000\n1002,홍차 선물 세트,12000\n",
    "cp1252": "order_id,product,price\n1001,Camiseta niño – talla M,12,50 €\n1002,Größe,3\n",
}


@pytest.mark.parametrize("encoding", sorted(TEXTS))
def test_legacy_encodings_read_as_written(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"orders_{encoding}.csv"
    path.write_bytes(TEXTS[encoding].encode(encoding))
    raw = RawFile(path)
    assert raw.text == TEXTS[encoding]
    assert raw.head_text == TEXTS[encoding]


def test_utf8_needs_no_detection(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"\xef\xbb\xbf" + TEXTS["shift_jis"].encode("utf-8"))
    assert RawFile(path).text == TEXTS["shift_jis"]


def test_the_head_does_not_cut_a_character_in_two(tmp_path: Path) -> None:
    items = ("抹茶ラテ", "緑茶ティーバッグ", "ほうじ茶", "玄米茶セット", "急須", "湯呑み")
    areas = ("東京都", "大阪府", "北海道", "福岡県")
    rows = (
        f"{1000 + i},{items[i % 6]},{100 + 37 * i % 4000},{areas[i // 3 % 4]}\n"
        for i in range(8000)
    )
    text = "注文番号,商品名,価格,都道府県\n" + "".join(rows)  # > 64 KiB, 2 bytes per character
    path = tmp_path / "big.csv"
    path.write_bytes(text.encode("shift_jis"))
    raw = RawFile(path)
    assert raw.text == text
    assert text.startswith(raw.head_text) and len(raw.head_text) > 30_000
    assert "\ufffd" not in raw.head_text


def test_a_japanese_ad_report_imports_through_a_mapping(tmp_path: Path) -> None:
    mapping = tmp_path / "jp_ads.yaml"
    mapping.write_text(
        "name: jp_ads\nlabel: 日本の広告レポート\ntarget: ad_spend_daily\nplatform: line\n"
        "detect: [日付, キャンペーン, 費用]\ncurrency: JPY\n"
        "fields:\n  date: 日付\n  campaign_name: キャンペーン\n  spend: 費用\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.csv"
    report.write_bytes("日付,キャンペーン,費用\n2024-04-03,春のセール,1200\n".encode("shift_jis"))
    parsed = from_mapping(mapping).parse(RawFile(report), ImportOptions())
    [row] = list(rows_from_frame(parsed.frames["ad_spend_daily"]))
    assert (row["date"], row["campaign_name"], row["spend"]) == (
        date(2024, 4, 3),
        "春のセール",
        Decimal("1200"),
    )
