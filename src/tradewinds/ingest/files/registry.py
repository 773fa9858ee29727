"""Every supported export layout, and recognising a file's layout from its header."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from tradewinds.i18n_markers import Text
from tradewinds.ingest.files.amazon_ads import AmazonAdsReport
from tradewinds.ingest.files.amazon_orders import AmazonOrderReport
from tradewinds.ingest.files.base import FileFormat
from tradewinds.ingest.files.ebay_orders import EbayOrdersReport
from tradewinds.ingest.files.generic import MappedFile, Mapping, shipped_mappings
from tradewinds.ingest.files.google_ads import GoogleAdsReport
from tradewinds.ingest.files.meta_ads import MetaAdsExport
from tradewinds.ingest.files.reading import RawFile, Sample
from tradewinds.ingest.files.shopee_orders import ShopeeOrdersExport
from tradewinds.ingest.files.shopify_orders import ShopifyOrdersExport
from tradewinds.ingest.files.tiktok_ads import TikTokAdsReport
from tradewinds.ingest.hints import FORMAT_HINT, MAPPING_HINT, hint
from tradewinds.ingest.spec import FileError

#: below this score a file is not taken for a format
MIN_SCORE = 0.6


@lru_cache(maxsize=1)
def formats() -> tuple[FileFormat, ...]:
    """Built-in formats, then the mappings shipped with Tradewinds."""
    built_in: list[FileFormat] = [
        GoogleAdsReport(),
        MetaAdsExport(),
        TikTokAdsReport(),
        AmazonAdsReport(),
        ShopifyOrdersExport(),
        AmazonOrderReport(),
        EbayOrdersReport(),
        ShopeeOrdersExport(),
    ]
    return tuple(built_in + [MappedFile(m) for m in shipped_mappings()])


def format_names() -> list[str]:
    return [f.name for f in formats()]


def get_format(name: str) -> FileFormat:
    for f in formats():
        if f.name == name:
            return f
    raise FileError(
        Text(
            "unknown format %(name)s; supported formats: %(formats)s %(hint)s",
            name=repr(name),
            formats=", ".join(format_names()),
            hint=hint(MAPPING_HINT),
        )
    )


def from_mapping(path: Path) -> FileFormat:
    return MappedFile(Mapping.load(path))


def scores(raw: RawFile) -> list[tuple[float, FileFormat]]:
    sample = Sample.of(raw)
    return sorted(((f.score(sample), f) for f in formats()), key=lambda x: -x[0])


def detect(raw: RawFile) -> FileFormat:
    """The best-scoring format for the file, or a FileError listing what is supported."""
    ranked = scores(raw)
    best_score, best = ranked[0]
    if best_score < MIN_SCORE:
        raise FileError(
            Text(
                "%(name)s: the header matches no supported format. Supported formats: "
                "%(formats)s. %(hint)s (see docs/importing.md)",
                name=raw.display_name,
                formats=", ".join(format_names()),
                hint=hint(FORMAT_HINT),
            )
        )
    return best
