"""The mapping-driven importer: user mappings, validation, locales, compressed files."""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tradewinds.ingest.files.base import ImportOptions
from tradewinds.ingest.files.generic import Mapping, shipped_mappings
from tradewinds.ingest.files.reading import RawFile
from tradewinds.ingest.files.registry import detect, from_mapping
from tradewinds.ingest.spec import FileError, rows_from_frame

MAPPING = """
name: shop_ads
label: A shop's own daily ad report
target: ad_spend_daily
platform: newsletter
detect: [Tag, Kanal, Kosten, Klicks]
delimiter: ";"
currency: EUR
fields:
  date: Tag
  campaign_name: Kanal
  clicks: Klicks
  spend: Kosten
"""


def _mapping(tmp_path: Path, text: str = MAPPING) -> Path:
    path = tmp_path / "shop_ads.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_mapping_with_comma_decimals_and_day_first_dates(tmp_path: Path) -> None:
    data = tmp_path / "report.csv"
    data.write_text(
        "Tag;Kanal;Kosten;Klicks\n03.04.2024;Frühling;1.234,50;1.200\n"
        "25.04.2024;Frühling;99,95;80\n31.04.2024;Frühling;1,00;1\n",
        encoding="utf-8",
    )
    fmt = from_mapping(_mapping(tmp_path))
    parsed = fmt.parse(RawFile(data), ImportOptions())
    rows = list(rows_from_frame(parsed.frames["ad_spend_daily"]))
    assert [(r["date"], r["spend"], r["clicks"]) for r in rows] == [
        (date(2024, 4, 3), Decimal("1234.5"), 1200),
        (date(2024, 4, 25), Decimal("99.95"), 80),
    ]
    assert rows[0]["platform"] == "newsletter" and rows[0]["currency"] == "EUR"
    [error] = parsed.errors
    assert (error.row, error.field, error.reason) == (
        4,
        "Tag",
        "the date 31.04.2024 does not exist",
    )


def test_invalid_mapping_is_explained(tmp_path: Path) -> None:
    broken = MAPPING.replace("currency: EUR", "currency: EURO").replace("spend: Kosten", "")
    with pytest.raises(FileError, match="mapping .* is not valid"):
        Mapping.load(_mapping(tmp_path, broken))


def test_shipped_online_retail_mapping_is_detected_inside_a_zip(
    shared_data: Path, tmp_path: Path
) -> None:
    assert "online_retail" in [m.name for m in shipped_mappings()]
    import gzip

    with gzip.open(shared_data / "online_retail" / "online_retail_non_uk.csv.gz", "rt") as fh:
        head = "".join(next(fh) for _ in range(30))
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("online_retail.csv", head)
    raw = RawFile(archive)
    fmt = detect(raw)
    assert fmt.name == "online_retail"
    parsed = fmt.parse(raw, ImportOptions())
    assert parsed.rows_read == 29 and not parsed.errors
    customers = parsed.frames["customers"]["customer_id"].tolist()
    assert all(c.startswith("online_retail:") and not c.endswith(".0") for c in customers)
