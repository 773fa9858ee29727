"""File importers: one module per export layout, found by :mod:`.registry`."""

from tradewinds.ingest.files.registry import detect, formats, get_format

__all__ = ["detect", "formats", "get_format"]
