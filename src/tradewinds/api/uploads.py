"""Receiving an upload: a multipart body streamed straight to files, within the limits.

The body is read as it arrives and each file part is written to its own file in a folder of
the data directory; the request is refused as soon as it passes the size limit for one
upload (before the rest is read) or brings more files than allowed, and the folder is
removed whatever ends the request early. The API's upload and the Data page's upload form
both use :func:`receive_upload`.
"""

from __future__ import annotations

import codecs
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from tradewinds.errors import InvalidInput
from tradewinds.ingest.limits import (
    UploadLimits,
    UploadTooLarge,
    limits,
    size_text,
    too_many_files,
)

FieldCheck = Callable[[str, str], None]
#: the largest form field that is not a file (a format name, a CSRF token)
MAX_FIELD_BYTES = 64 * 1024
MAX_FIELDS = 50


@dataclass
class ReceivedFile:
    name: str
    path: Path
    size: int = 0
    sha256: str = ""


@dataclass
class ReceivedUpload:
    """The fields and files of one upload; the files are in ``folder`` until moved."""

    folder: Path
    fields: dict[str, str] = field(default_factory=dict)
    files: list[ReceivedFile] = field(default_factory=list)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _too_large(limit: int, name: str | None) -> UploadTooLarge:
    what = f"{name} goes past" if name else "this upload is larger than"
    return UploadTooLarge(
        f"{what} the {size_text(limit)} one upload may hold (all its files together); "
        "upload fewer or smaller files at a time, or import large files with "
        "`tradewinds import` on the server",
        details={"field": "files", "file": name, "limit_bytes": limit},
    )


def is_multipart(content_type: str) -> bool:
    return parse_options_header(content_type)[0] == b"multipart/form-data"


class _Receiver:
    """python-multipart callbacks that write file parts to disk and keep small fields."""

    def __init__(
        self,
        folder: Path,
        file_field: str,
        lim: UploadLimits,
        charset: str,
        check_field: FieldCheck | None = None,
    ) -> None:
        self.folder, self.file_field, self.lim, self.charset = folder, file_field, lim, charset
        self.check_field = check_field
        self.upload = ReceivedUpload(folder)
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._field: str | None = None
        self._value = bytearray()
        self._file: ReceivedFile | None = None
        self._out: BinaryIO | None = None
        self._digest = hashlib.sha256()
        self._skip = False

    @property
    def current_name(self) -> str | None:
        return self._file.name if self._file else None

    def _text(self, raw: bytes) -> str:
        return raw.decode(self.charset, errors="replace")

    def on_part_begin(self) -> None:
        self._disposition, self._field, self._file, self._skip = b"", None, None, False
        self._value = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]
        if len(self._header_value) > MAX_FIELD_BYTES:
            raise InvalidInput("a part of the upload has a header that is far too long")

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._field = self._text(options.get(b"name", b""))
        if b"filename" not in options:
            if len(self.upload.fields) >= MAX_FIELDS:
                raise InvalidInput(f"an upload form has at most {MAX_FIELDS} fields")
            return
        name = self._text(options[b"filename"]).strip()
        if self._field != self.file_field or not name:
            self._skip = True  # an empty file input, or a file in a field nobody reads
            return
        if len(self.upload.files) >= self.lim.max_upload_files:
            raise too_many_files(self.lim.max_upload_files)
        from tradewinds.ingest.history import safe_name

        position = len(self.upload.files) + 1
        self._file = ReceivedFile(name, self.folder / f"{position:02d}-{safe_name(name)}")
        self.upload.files.append(self._file)
        self._digest = hashlib.sha256()
        self._out = self._file.path.open("wb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._skip:
            return
        if self._file is not None and self._out is not None:
            self._out.write(chunk)
            self._digest.update(chunk)
            self._file.size += len(chunk)
            return
        self._value.extend(chunk)
        if len(self._value) > MAX_FIELD_BYTES:
            raise InvalidInput(
                f"the form field {self._field!r} is too long", details={"field": self._field}
            )

    def on_part_end(self) -> None:
        if self._file is not None and self._out is not None:
            self._out.close()
            self._out = None
            self._file.sha256 = self._digest.hexdigest()
            self._file = None
        elif self._field and not self._skip:
            value = self._text(bytes(self._value))
            if self.check_field is not None:
                self.check_field(self._field, value)
            self.upload.fields.setdefault(self._field, value)

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None


async def receive_upload(
    request: Request,
    *,
    folder: Path,
    file_field: str = "files",
    lim: UploadLimits | None = None,
    check_field: FieldCheck | None = None,
) -> ReceivedUpload:
    """Stream a ``multipart/form-data`` body into ``folder`` (created here, removed on any
    refusal): 413 past ``max_upload_bytes``, 422 past ``max_upload_files``.

    ``check_field(name, value)`` sees each plain field as soon as it has arrived and may
    raise to end the request there (the Data page checks its CSRF token so)."""
    lim = lim or limits()
    content_type = request.headers.get("content-type", "")
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not is_multipart(content_type) or not boundary:
        raise InvalidInput(
            "send the files as multipart/form-data, one `files` part per file",
            details={"field": "files"},
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > lim.max_upload_bytes:
        raise _too_large(lim.max_upload_bytes, None)
    charset = params.get(b"charset", b"utf-8").decode("latin-1")
    try:
        charset = codecs.lookup(charset).name
    except LookupError:
        charset = "latin-1"
    folder.mkdir(parents=True, exist_ok=True)
    receiver = _Receiver(folder, file_field, lim, charset, check_field)
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": receiver.on_part_begin,
            "on_part_data": receiver.on_part_data,
            "on_part_end": receiver.on_part_end,
            "on_header_field": receiver.on_header_field,
            "on_header_value": receiver.on_header_value,
            "on_header_end": receiver.on_header_end,
            "on_headers_finished": receiver.on_headers_finished,
        },
    )
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > lim.max_upload_bytes:
                raise _too_large(lim.max_upload_bytes, receiver.current_name)
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        receiver.close()
        receiver.upload.discard()
        raise InvalidInput(
            f"the upload is not a well-formed multipart/form-data body ({exc})",
            details={"field": "files"},
        ) from exc
    except BaseException:
        receiver.close()
        receiver.upload.discard()
        raise
    receiver.close()
    return receiver.upload
