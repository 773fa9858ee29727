"""How much an upload and a compressed export may hold, and reading archives within it.

A compressed file is read as a stream with a running count of the bytes it expands to:
past ``max_uncompressed_bytes`` (all members of a zip together), or past
``ratio_checked_after_bytes`` while expanding more than ``max_compression_ratio`` times its
compressed size, it is refused with a message naming the file and the limit. Zip files are
checked on their directory first (declared sizes, nested archives) so that a zip declaring
absurd sizes is refused before anything is extracted; Python's zip reader never returns
more than a member declares. Workbooks (``.xlsx``) are zip files too and get the same
checks before a spreadsheet reader opens them.

Every limit is a ``TRADEWINDS_*`` environment variable (see docs/importing.md).
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from tradewinds.errors import InvalidInput, TradewindsError
from tradewinds.i18n_markers import Text
from tradewinds.ingest.spec import FileError

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
CHUNK = MIB

#: member names that are archives themselves (a workbook inside a zip is allowed and checked)
NESTED_ARCHIVES = (
    ".zip",
    ".gz",
    ".tgz",
    ".gzip",
    ".bz2",
    ".xz",
    ".zst",
    ".7z",
    ".rar",
    ".tar",
    ".lz4",
    ".lzma",
    ".z",
)
_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"


class UploadLimits(BaseSettings):
    """The limits; each one is read from the environment (``TRADEWINDS_MAX_UPLOAD_BYTES`` …)."""

    model_config = SettingsConfigDict(env_prefix="TRADEWINDS_", extra="ignore")

    max_upload_bytes: int = Field(GIB, ge=1, description="one upload request, all files")
    max_upload_files: int = Field(20, ge=1, description="files in one upload request")
    max_request_bytes: int = Field(
        16 * MIB, ge=1024, description="any other request body (forms, JSON)"
    )
    max_uncompressed_bytes: int = Field(
        GIB, ge=1, description="what one compressed file (all zip members) may expand to"
    )
    max_compression_ratio: float = Field(
        100, gt=1, description="expanded / compressed size allowed past the threshold below"
    )
    ratio_checked_after_bytes: int = Field(
        8 * MIB, ge=0, description="expanded bytes after which the ratio is checked"
    )
    max_line_bytes: int = Field(MIB, ge=1024, description="longest line of a text export")


def limits() -> UploadLimits:
    """The limits in force now (read afresh, so a changed environment applies at once)."""
    return UploadLimits()


def size_text(n: float) -> str:
    """``1073741824`` -> ``'1 GiB'``, ``5242880`` -> ``'5 MiB'``, ``1536`` -> ``'1.5 KiB'``."""
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{int(n)} bytes"


class UploadTooLarge(TradewindsError):
    """An upload refused for its size (413): the request, or what a file expands to."""

    status_code = 413
    code = "too_large"


def too_many_files(limit: int) -> InvalidInput:
    return InvalidInput(
        Text(
            "at most %(limit)s files in one upload; this one has more. Upload the rest separately",
            limit=str(limit),
        ),
        details={"field": "files", "limit": limit},
    )


class ArchiveRefused(FileError):
    """A compressed file that expands too far, too fast, or holds another archive."""


def _too_big(name: str, lim: UploadLimits) -> ArchiveRefused:
    return ArchiveRefused(
        Text(
            "%(name)s expands past %(limit)s (the limit for one "
            "file once uncompressed); split it or upload it uncompressed",
            name=name,
            limit=size_text(lim.max_uncompressed_bytes),
        )
    )


def _too_dense(name: str, lim: UploadLimits) -> ArchiveRefused:
    return ArchiveRefused(
        Text(
            "%(name)s expands more than %(ratio)s times its compressed size "
            "(the limit once past %(after)s), which exports "
            "never do; it looks like a decompression bomb. Upload the export itself, "
            "uncompressed",
            name=name,
            ratio=format(lim.max_compression_ratio, "g"),
            after=size_text(lim.ratio_checked_after_bytes),
        )
    )


class _Meter:
    """Running count of expanded and compressed bytes against the limits."""

    def __init__(self, name: str, lim: UploadLimits) -> None:
        self.name, self.lim = name, lim
        self.expanded = 0

    def add(self, n: int, compressed: int) -> None:
        self.expanded += n
        lim = self.lim
        if self.expanded > lim.max_uncompressed_bytes:
            raise _too_big(self.name, lim)
        if (
            self.expanded > lim.ratio_checked_after_bytes
            and self.expanded > lim.max_compression_ratio * max(compressed, 1)
        ):
            raise _too_dense(self.name, lim)


def gzip_chunks(
    path: Path, name: str, lim: UploadLimits | None = None, *, stop_after: int | None = None
) -> Iterator[bytes]:
    """The expanded bytes of a gzip file in chunks, refusing a bomb while expanding.

    ``stop_after`` ends the stream early (after about that many expanded bytes), for a
    quick check of an upload before it is queued.
    """
    lim = lim or limits()
    meter = _Meter(name, lim)
    try:
        with path.open("rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as gz:
            first = True
            while chunk := gz.read(CHUNK):
                if first and chunk[:2] == _GZIP_MAGIC:
                    raise ArchiveRefused(_nested(name, Text("another gzip stream")))
                first = False
                meter.add(len(chunk), raw.tell())
                yield chunk
                if stop_after is not None and meter.expanded >= stop_after:
                    return
    except (OSError, EOFError, zlib.error) as exc:
        raise FileError(
            Text("%(name)s is not a readable gzip file: %(detail)s", name=name, detail=str(exc))
        ) from exc


def _nested(name: str, inner: Text) -> Text:
    return Text(
        "%(name)s holds %(inner)s; archives inside archives are not read. Unpack it and "
        "upload the export itself",
        name=name,
        inner=inner,
    )


def _another_archive(member: str) -> Text:
    return Text("another archive (%(member)s)", member=member)


def check_zip_directory(
    zf: zipfile.ZipFile, name: str, lim: UploadLimits | None = None, *, workbook: bool = False
) -> None:
    """Refuse a zip (or workbook) from its directory alone: nested archives, the declared
    sizes of all members together, and their declared compression ratio."""
    lim = lim or limits()
    members = [i for i in zf.infolist() if not i.is_dir()]
    if not workbook:
        nested = [i.filename for i in members if i.filename.lower().endswith(NESTED_ARCHIVES)]
        if nested:
            raise ArchiveRefused(_nested(name, _another_archive(nested[0])))
    declared = sum(i.file_size for i in members)
    packed = sum(i.compress_size for i in members)
    if declared > lim.max_uncompressed_bytes:
        raise _too_big(name, lim)
    if declared > lim.ratio_checked_after_bytes and declared > lim.max_compression_ratio * max(
        packed, 1
    ):
        raise _too_dense(name, lim)


def zip_member_bytes(
    zf: zipfile.ZipFile, member: str, name: str, lim: UploadLimits | None = None
) -> bytes:
    """One member's bytes, counted while they are expanded (after the directory check)."""
    lim = lim or limits()
    check_zip_directory(zf, name, lim)
    info = zf.getinfo(member)
    meter = _Meter(name, lim)
    parts: list[bytes] = []
    with zf.open(info) as fh:
        while chunk := fh.read(CHUNK):
            meter.add(len(chunk), info.compress_size)
            parts.append(chunk)
    data = b"".join(parts)
    if data[:2] == _GZIP_MAGIC or (
        data[:4] == _ZIP_MAGIC and not member.lower().endswith((".xlsx", ".xlsm"))
    ):
        raise ArchiveRefused(_nested(name, _another_archive(member)))
    return data


def read_gzip(path: Path, name: str, lim: UploadLimits | None = None) -> bytes:
    return b"".join(gzip_chunks(path, name, lim))


def check_workbook(source: bytes | Path, name: str, lim: UploadLimits | None = None) -> None:
    """Refuse a workbook whose parts (sheets, shared strings) expand too far or too fast."""
    stream: BinaryIO | Path = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with zipfile.ZipFile(stream) as zf:
            check_zip_directory(zf, name, lim, workbook=True)
    except zipfile.BadZipFile as exc:
        raise FileError(Text("%(name)s is not a readable XLSX workbook", name=name)) from exc


def check_upload(path: Path, name: str, lim: UploadLimits | None = None) -> None:
    """A quick look at an uploaded file before it is queued: refuse a zip or workbook from
    its directory and a gzip from its first megabytes (the import checks the whole file)."""
    lim = lim or limits()
    lower = name.lower()
    with path.open("rb") as fh:
        head = fh.read(4)
    if lower.endswith(".gz") and head[:2] == _GZIP_MAGIC:
        for _ in gzip_chunks(path, name, lim, stop_after=2 * lim.ratio_checked_after_bytes):
            pass
    elif head == _ZIP_MAGIC:
        try:
            with zipfile.ZipFile(path) as zf:
                check_zip_directory(zf, name, lim, workbook=lower.endswith((".xlsx", ".xlsm")))
        except zipfile.BadZipFile as exc:
            raise FileError(Text("%(name)s is not a readable zip file", name=name)) from exc
