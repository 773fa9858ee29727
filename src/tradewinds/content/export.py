"""Generated copy in the files the ad platforms and marketplaces import.

Three layouts, each with the column names its tool documents:

* ``google`` — a Google Ads Editor CSV of responsive search ads (Account → Import →
  From file): one row per ad (a product in a market), ``Campaign``, ``Ad group``,
  ``Ad type`` = ``Responsive search ad``, ``Headline 1`` … ``Headline 15``,
  ``Description 1`` … ``Description 4``, ``Path 1``, ``Path 2``, ``Final URL``, ``Status``.
  Editor reads UTF-8 with a byte-order mark (and it keeps Excel from garbling CJK/Arabic).
* ``meta`` — Meta Ads Manager's bulk import sheet (Export & import → Import ads in bulk):
  one row per ad, ``Campaign Name``, ``Campaign Status``, ``Ad Set Name``, ``Ad Set Run
  Status``, ``Countries``, ``Ad Name``, ``Ad Status``, ``Title`` (the headline), ``Body``
  (the primary text), ``Link Description``, ``Link``. UTF-8 with a byte-order mark.
* ``amazon`` — the title and bullet columns of an Amazon inventory flat file (the
  "Text (tab delimited)" upload of Seller Central's category templates), by their
  attribute names: ``feed_product_type``, ``item_sku``, ``update_delete`` (``PartialUpdate``
  changes only the columns given), ``brand_name``, ``item_name``, ``bullet_point1`` …
  ``bullet_point5``, ``generic_keywords``. Tab-separated UTF-8 without a byte-order mark (the
  template's own encoding). A flat file serves one marketplace, so several markets give one
  file each (:func:`amazon_files`).

Sources of the column names: Google Ads Editor Help "CSV file columns" and the Google Ads
API's ``ResponsiveSearchAdInfo`` (15 headlines, 4 descriptions, path1/path2); Meta Business
Help "Import ads in bulk" (the names Ads Manager's own export writes); Amazon Seller Central
"Inventory file templates" (``item_name``, ``bullet_point1..5``). See docs/content-studio.md.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from tradewinds.content.models import Product, Variant

ExportFormat = Literal["google", "meta", "amazon"]
FORMATS: tuple[ExportFormat, ...] = ("google", "meta", "amazon")
BOM = "\ufeff"

GOOGLE_HEADLINES = 15
GOOGLE_DESCRIPTIONS = 4
GOOGLE_COLUMNS: list[str] = [
    "Campaign",
    "Ad group",
    "Ad type",
    *[f"Headline {i}" for i in range(1, GOOGLE_HEADLINES + 1)],
    *[f"Description {i}" for i in range(1, GOOGLE_DESCRIPTIONS + 1)],
    "Path 1",
    "Path 2",
    "Final URL",
    "Status",
]
META_COLUMNS: list[str] = [
    "Campaign Name",
    "Campaign Status",
    "Ad Set Name",
    "Ad Set Run Status",
    "Countries",
    "Ad Name",
    "Ad Status",
    "Title",
    "Body",
    "Link Description",
    "Link",
]
AMAZON_BULLETS = 5
AMAZON_COLUMNS: list[str] = [
    "feed_product_type",
    "item_sku",
    "update_delete",
    "brand_name",
    "item_name",
    *[f"bullet_point{i}" for i in range(1, AMAZON_BULLETS + 1)],
    "generic_keywords",
]

#: the fields of each layout's columns, as the engine names them
GOOGLE_FIELDS = {"headline", "description", "path"}
META_FIELDS = {"headline", "primary_text", "description"}
AMAZON_FIELDS = {"title", "bullet_point", "search_terms"}


class ExportError(ValueError):
    """The variants cannot be written in the asked layout (the message says why)."""


@dataclass(frozen=True)
class ExportOptions:
    """What the files need besides the copy.

    ``campaign`` is the campaign name (``{market}`` is replaced by the market code);
    ``final_url`` the landing page (``{product_id}`` and ``{market}`` filled in); ``status``
    what the new ads start as (paused, so nothing spends before the seller looks)."""

    campaign: str = "Tradewinds {market}"
    final_url: str = ""
    status: Literal["paused", "enabled"] = "paused"
    feed_product_type: str = ""


@dataclass(frozen=True)
class ExportFile:
    name: str
    media_type: str
    content: bytes


def _grouped(variants: Iterable[Variant]) -> dict[tuple[str, str], dict[str, list[Variant]]]:
    """Variants by (product, market), then by field, in the order given."""
    groups: dict[tuple[str, str], dict[str, list[Variant]]] = defaultdict(lambda: defaultdict(list))
    for variant in variants:
        groups[(variant.product_id, variant.market)][variant.field].append(variant)
    return groups


def _texts(by_field: dict[str, list[Variant]], field: str, limit: int) -> list[str]:
    seen: list[str] = []
    for variant in by_field.get(field, []):
        if variant.text not in seen:
            seen.append(variant.text)
        if len(seen) == limit:
            break
    return seen + [""] * (limit - len(seen))


def _csv(columns: Sequence[str], rows: Iterable[Sequence[str]], *, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def _fill(template: str, **values: str) -> str:
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out


def _check_fields(variants: Sequence[Variant], wanted: set[str], layout: str) -> None:
    """Refuse variants none of which belong in the layout (an empty list gives the header
    alone: a job that has written nothing yet)."""
    if variants and not any(v.field in wanted for v in variants):
        have = ", ".join(sorted({v.field for v in variants}))
        raise ExportError(
            f"the {layout} layout takes the fields {', '.join(sorted(wanted))}; "
            f"these variants are of {have}"
        )


def _titles(products: Iterable[Product] | None) -> dict[str, Product]:
    return {p.id: p for p in products or ()}


def google_ads_editor(
    variants: Sequence[Variant],
    *,
    products: Iterable[Product] | None = None,
    options: ExportOptions = ExportOptions(),
) -> str:
    """A Google Ads Editor CSV (text; write it as UTF-8 with BOM, :func:`export`)."""
    _check_fields(variants, GOOGLE_FIELDS, "Google Ads Editor")
    known = _titles(products)
    status = "Paused" if options.status == "paused" else "Enabled"
    rows = []
    for (product_id, market), by_field in _grouped(variants).items():
        product = known.get(product_id)
        group = f"{product_id} {product.title}" if product else product_id
        paths = _texts(by_field, "path", 2)
        rows.append(
            [
                _fill(options.campaign, market=market),
                group[:255],
                "Responsive search ad",
                *_texts(by_field, "headline", GOOGLE_HEADLINES),
                *_texts(by_field, "description", GOOGLE_DESCRIPTIONS),
                *paths,
                _fill(options.final_url, product_id=product_id, market=market),
                status,
            ]
        )
    return _csv(GOOGLE_COLUMNS, rows)


def meta_bulk_sheet(
    variants: Sequence[Variant],
    *,
    products: Iterable[Product] | None = None,
    options: ExportOptions = ExportOptions(),
) -> str:
    """Meta's bulk import sheet: the n-th headline, primary text and description make ad n."""
    _check_fields(variants, META_FIELDS, "Meta bulk import")
    known = _titles(products)
    status = "PAUSED" if options.status == "paused" else "ACTIVE"
    rows = []
    for (product_id, market), by_field in _grouped(variants).items():
        product = known.get(product_id)
        titles = [v.text for v in by_field.get("headline", [])]
        bodies = [v.text for v in by_field.get("primary_text", [])]
        links = [v.text for v in by_field.get("description", [])]
        ads = max(len(titles), len(bodies), len(links))
        ad_set = f"{product_id} {product.title}" if product else product_id
        for i in range(ads):
            rows.append(
                [
                    _fill(options.campaign, market=market),
                    status,
                    f"{ad_set} · {market}"[:400],
                    status,
                    market,
                    f"{product_id} {market} {i + 1}",
                    status,
                    titles[i] if i < len(titles) else "",
                    bodies[i] if i < len(bodies) else "",
                    links[i] if i < len(links) else "",
                    _fill(options.final_url, product_id=product_id, market=market),
                ]
            )
    return _csv(META_COLUMNS, rows)


def amazon_flat_file(
    variants: Sequence[Variant],
    *,
    products: Iterable[Product] | None = None,
    options: ExportOptions = ExportOptions(),
) -> str:
    """The title/bullet columns of an Amazon flat file for one marketplace (tab-separated)."""
    _check_fields(variants, AMAZON_FIELDS, "Amazon flat-file")
    markets = sorted({v.market for v in variants})
    if len(markets) > 1:
        raise ExportError(
            f"an Amazon flat file serves one marketplace; these variants are for "
            f"{', '.join(markets)} (use amazon_files for one file each)"
        )
    known = _titles(products)
    rows = []
    for (product_id, _market), by_field in _grouped(variants).items():
        product = known.get(product_id)
        category = options.feed_product_type or (product.category if product else "") or ""
        rows.append(
            [
                category,
                product_id,
                "PartialUpdate",
                (product.brand if product else "") or "",
                _texts(by_field, "title", 1)[0],
                *_texts(by_field, "bullet_point", AMAZON_BULLETS),
                _texts(by_field, "search_terms", 1)[0],
            ]
        )
    return _csv(AMAZON_COLUMNS, rows, delimiter="\t")


def amazon_files(
    variants: Sequence[Variant],
    *,
    products: Iterable[Product] | None = None,
    options: ExportOptions = ExportOptions(),
) -> dict[str, str]:
    """One flat file per marketplace: market code → the file's text."""
    by_market: dict[str, list[Variant]] = defaultdict(list)
    for variant in variants:
        if variant.field in AMAZON_FIELDS:
            by_market[variant.market].append(variant)
    if not by_market:
        _check_fields(variants, AMAZON_FIELDS, "Amazon flat-file")
        return {"all": amazon_flat_file([], products=products, options=options)}
    products = list(products or ())
    return {
        market: amazon_flat_file(found, products=products, options=options)
        for market, found in sorted(by_market.items())
    }


def export(
    variants: Sequence[Variant],
    fmt: str,
    *,
    products: Iterable[Product] | None = None,
    options: ExportOptions = ExportOptions(),
    stem: str = "tradewinds-content",
) -> ExportFile:
    """The download for ``fmt``: bytes in the encoding the tool expects, a file name and
    its media type (an Amazon export for several markets is a ZIP of one file each)."""
    products = list(products or ())
    if fmt == "google":
        text = google_ads_editor(variants, products=products, options=options)
        return ExportFile(f"{stem}-google-ads-editor.csv", "text/csv", (BOM + text).encode())
    if fmt == "meta":
        text = meta_bulk_sheet(variants, products=products, options=options)
        return ExportFile(f"{stem}-meta-bulk-import.csv", "text/csv", (BOM + text).encode())
    if fmt == "amazon":
        files = amazon_files(variants, products=products, options=options)
        if len(files) == 1:
            ((market, text),) = files.items()
            name = f"{stem}-amazon-{market.lower()}.txt"
            return ExportFile(name, "text/tab-separated-values", text.encode())
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for market, text in files.items():
                archive.writestr(f"{stem}-amazon-{market.lower()}.txt", text.encode())
        return ExportFile(f"{stem}-amazon.zip", "application/zip", buffer.getvalue())
    raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


_PLATFORM_FORMAT: dict[str, ExportFormat] = {"google": "google", "meta": "meta", "amazon": "amazon"}


def format_for(platform: str) -> ExportFormat | None:
    """The export layout of a platform's copy (TikTok has no bulk copy sheet: None)."""
    return _PLATFORM_FORMAT.get(platform)
