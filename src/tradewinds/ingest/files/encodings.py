"""Which encoding an uploaded text file is in, when it is not UTF-8 or UTF-16.

UTF-8 (with or without a byte-order mark) is tried first and strictly; UTF-16 is found by
its byte-order mark or its zero bytes (``RawFile.utf16``). Anything else is detected by
charset-normalizer:

* a multi-byte encoding it finds is used as it is — Shift_JIS/CP932 from Japanese
  storefronts, GB18030/GBK and Big5 from Chinese ones, EUC-KR/CP949 from Korean ones;
* a single-byte guess is replaced by Windows-1252 whenever the bytes are valid
  Windows-1252: spreadsheet programs in Western markets save CSV in it, and on short
  exports charset-normalizer often names a neighbour (Windows-1250 for a Spanish file
  turns ``ñ`` into ``ń``). Bytes that are not Windows-1252 keep the guess.

Nothing detected at all: Windows-1252 with unknown bytes replaced, as before.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes
from charset_normalizer.utils import is_multi_byte_encoding

WESTERN = "cp1252"
#: detection reads the first MiB (whole lines): it took 3 s on a 21 MB export read whole
SAMPLE = 1 << 20


def legacy_encoding(data: bytes) -> str:
    """The encoding of ``data``, which is neither UTF-8 nor UTF-16 (Python codec name)."""
    sample = data[:SAMPLE]
    if len(data) > SAMPLE and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]
    best = from_bytes(sample).best()
    if best is None:
        return WESTERN
    if is_multi_byte_encoding(best.encoding):
        return best.encoding
    try:
        data.decode(WESTERN)
    except UnicodeDecodeError:
        return best.encoding
    return WESTERN


def decode(data: bytes, encoding: str) -> str:
    """The whole text; bytes the encoding cannot read become U+FFFD."""
    return data.decode(encoding, errors="replace")


def decode_head(data: bytes, encoding: str, limit: int) -> str:
    """The text of the first ``limit`` bytes, without a character cut at the boundary."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(data[:limit], final=False)
