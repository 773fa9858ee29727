"""The export layouts open in pandas with the column names the vendors document."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from tradewinds.content.export import (
    AMAZON_COLUMNS,
    BOM,
    GOOGLE_COLUMNS,
    META_COLUMNS,
    ExportError,
    ExportOptions,
    export,
    format_for,
)
from tradewinds.content.models import Product, Variant

PRODUCTS = [
    Product(id="SKU-1", title="Trail Runner 2", price="89.90", currency="EUR", brand="Dune"),
    Product(id="SKU-2", title="保温杯 500ml", price="129", currency="CNY", category="kitchen"),
]


def _v(product: str, market: str, platform: str, field: str, text: str, limit: int) -> Variant:
    return Variant(
        product_id=product,
        market=market,
        language={"DE": "de", "JP": "ja", "SA": "ar", "US": "en"}[market],
        platform=platform,
        field=field,
        text=text,
        length=len(text),
        limit=limit,
        unit="width",
        verdict="pass",
    )


def google_variants() -> list[Variant]:
    out = [_v("SKU-1", "DE", "google", "headline", f"Laufschuh Nr. {i}", 30) for i in range(17)]
    out += [
        _v("SKU-1", "DE", "google", "description", f"Leicht und griffig {i}.", 90) for i in range(5)
    ]
    out += [_v("SKU-1", "DE", "google", "path", p, 15) for p in ("laufschuhe", "trail")]
    out += [_v("SKU-2", "JP", "google", "headline", "保温マグ 500ml", 30)]
    out += [_v("SKU-2", "JP", "google", "description", "一日中あたたかい、軽い水筒。", 90)]
    return out


def test_google_ads_editor_csv_has_the_editor_columns_and_a_bom() -> None:
    file = export(
        google_variants(),
        "google",
        products=PRODUCTS,
        options=ExportOptions(
            campaign="Spring {market}", final_url="https://shop.example/{product_id}"
        ),
    )
    assert file.content.startswith(BOM.encode())
    assert file.name.endswith(".csv")
    frame = pd.read_csv(io.BytesIO(file.content), encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == GOOGLE_COLUMNS
    assert "Headline 15" in frame.columns and "Headline 16" not in frame.columns
    assert "Description 4" in frame.columns and "Path 2" in frame.columns
    assert len(frame) == 2  # one ad per product × market
    de = frame.iloc[0]
    assert de["Campaign"] == "Spring DE" and de["Ad group"] == "SKU-1 Trail Runner 2"
    assert de["Ad type"] == "Responsive search ad" and de["Status"] == "Paused"
    assert de["Headline 1"] == "Laufschuh Nr. 0" and de["Headline 15"] == "Laufschuh Nr. 14"
    assert de["Description 4"] == "Leicht und griffig 3."
    assert (de["Path 1"], de["Path 2"]) == ("laufschuhe", "trail")
    assert de["Final URL"] == "https://shop.example/SKU-1"
    jp = frame.iloc[1]
    assert jp["Headline 1"] == "保温マグ 500ml" and jp["Headline 2"] == ""
    assert jp["Description 1"] == "一日中あたたかい、軽い水筒。"


def test_meta_bulk_sheet_makes_one_ad_per_variant() -> None:
    variants = [_v("SKU-1", "SA", "meta", "headline", f"حذاء الجري {i}", 40) for i in range(3)] + [
        _v("SKU-1", "SA", "meta", "primary_text", f"خفيف ومريح، شحن سريع {i}", 125)
        for i in range(2)
    ]
    file = export(variants, "meta", products=PRODUCTS)
    assert file.content.startswith(BOM.encode())
    frame = pd.read_csv(io.BytesIO(file.content), encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == META_COLUMNS
    assert len(frame) == 3
    assert list(frame["Title"]) == ["حذاء الجري 0", "حذاء الجري 1", "حذاء الجري 2"]
    assert list(frame["Body"]) == ["خفيف ومريح، شحن سريع 0", "خفيف ومريح، شحن سريع 1", ""]
    assert set(frame["Ad Status"]) == {"PAUSED"} and set(frame["Countries"]) == {"SA"}
    assert frame["Ad Name"].is_unique


def test_amazon_flat_file_columns_one_file_per_marketplace() -> None:
    variants = [
        _v("SKU-1", "DE", "amazon", "title", "Dune Trail Runner 2 Laufschuh, leicht", 200),
        *[_v("SKU-1", "DE", "amazon", "bullet_point", f"Vorteil {i}", 500) for i in range(6)],
        _v("SKU-1", "US", "amazon", "title", "Dune Trail Runner 2 running shoe", 200),
    ]
    single = export([v for v in variants if v.market == "DE"], "amazon", products=PRODUCTS)
    assert not single.content.startswith(BOM.encode()) and single.name.endswith("-de.txt")
    frame = pd.read_csv(io.BytesIO(single.content), sep="\t", keep_default_na=False)
    assert list(frame.columns) == AMAZON_COLUMNS
    row = frame.iloc[0]
    assert row["item_sku"] == "SKU-1" and row["brand_name"] == "Dune"
    assert row["item_name"] == "Dune Trail Runner 2 Laufschuh, leicht"
    assert row["bullet_point5"] == "Vorteil 4" and row["update_delete"] == "PartialUpdate"

    both = export(variants, "amazon", products=PRODUCTS)
    assert both.media_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(both.content)) as archive:
        names = sorted(archive.namelist())
        assert [n.rsplit("-", 1)[1] for n in names] == ["de.txt", "us.txt"]
        us = pd.read_csv(archive.open(names[1]), sep="\t", keep_default_na=False)
    assert list(us.columns) == AMAZON_COLUMNS and us.iloc[0]["bullet_point1"] == ""


def test_wrong_fields_and_formats_are_refused_with_the_reason() -> None:
    tiktok = [_v("SKU-1", "US", "tiktok", "ad_text", "Run further", 100)]
    with pytest.raises(ExportError, match="Google Ads Editor layout takes the fields"):
        export(tiktok, "google")
    with pytest.raises(ExportError, match="unknown export format 'excel'"):
        export(tiktok, "excel")
    empty = export([], "meta")  # nothing written yet: the header alone
    frame = pd.read_csv(io.BytesIO(empty.content), encoding="utf-8-sig")
    assert list(frame.columns) == META_COLUMNS and frame.empty
    assert format_for("tiktok") is None and format_for("amazon") == "amazon"


def test_commas_quotes_and_line_breaks_survive_the_round_trip() -> None:
    text = 'Leicht, "griffig"\nund schnell'
    file = export([_v("SKU-1", "DE", "google", "description", text, 90)], "google")
    frame = pd.read_csv(io.BytesIO(file.content), encoding="utf-8-sig", keep_default_na=False)
    assert frame.iloc[0]["Description 1"] == text
