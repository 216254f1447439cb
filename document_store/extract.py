"""The two entry points for files: ``validate`` (at upload) and ``extract`` (in the worker).

``validate`` runs in the request: it reads the file once and refuses it with a
``FileRejected`` error if it is empty, too large, not really a PDF, .docx or
text file, does not open as what it is, is encrypted, or breaks the page or
zip-bomb limits. It never extracts text, so it stays cheap (PDF: open and count
pages; .docx: zip directory and python-docx open; text: one strict decode).

``extract`` returns the text. By default (``isolate=True``) it runs in a child
process that is killed when ``Limits.extraction_timeout_s`` passes, so a file
that hangs or crashes a parser cannot take the caller down. Starting that
process costs a few hundred milliseconds, so a long-running worker should keep
one ``Extractor`` (see ``isolate.py``) and call ``Extractor.extract`` for each
job. ``isolate=False`` extracts in the calling thread, for tests, benchmarks
and trusted files; there the time limit is only checked between PDF pages.

A source is a path (``str`` or ``os.PathLike``), the file's bytes, or a binary
stream; a stream is read from its current position and rewound to it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .detect import MEDIA_TYPES, Kind, detect
from .errors import StoreError, TooLarge
from .extract_docx import extract_docx, open_docx
from .extract_pdf import check_pdf, extract_pdf
from .extract_text import extract_text
from .limits import DEFAULT_LIMITS, Limits

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO


@dataclass(frozen=True)
class FileInfo:
    """What ``validate`` found out about an acceptable file."""

    kind: Kind
    size: int
    pages: int | None
    encoding: str | None

    @property
    def media_type(self) -> str:
        """The media type to serve the original file with."""
        base = MEDIA_TYPES[self.kind]
        return f"{base}; charset={self.encoding}" if self.encoding else base


@dataclass(frozen=True)
class Extraction:
    """A file's text. ``pages`` is set for PDFs; ``encoding`` for text files.

    ``needs_ocr`` says the PDF has pages whose text is only an image (all of
    them when ``text`` is empty). ``truncated`` says the text was cut at
    ``Limits.max_text_chars``.
    """

    kind: Kind
    text: str
    pages: int | None
    needs_ocr: bool
    encoding: str | None
    truncated: bool = False


def validate(source: Source, limits: Limits = DEFAULT_LIMITS) -> FileInfo:
    """Check that a file is acceptable without extracting its text."""
    data = read_source(source, limits)
    detected = detect(data)
    pages = None
    if detected.kind == "pdf":
        pages = check_pdf(data, limits)
    elif detected.kind == "docx":
        open_docx(data, limits)
    else:
        extract_text(data, detected.encoding or "utf-8")
    return FileInfo(detected.kind, len(data), pages, detected.encoding)


def extract(source: Source, limits: Limits = DEFAULT_LIMITS, *, isolate: bool = True) -> Extraction:
    """Extract a file's text; see the module docstring for ``isolate``."""
    if isolate:
        from .isolate import Extractor

        with Extractor() as extractor:
            return extractor.extract(source, limits)
    return extract_bytes(read_source(source, limits), limits)


def extract_bytes(data: bytes, limits: Limits, deadline: float | None = None) -> Extraction:
    """Extract from the file's bytes in this thread (what ``extract(isolate=False)`` does)."""
    if deadline is None:
        deadline = time.monotonic() + limits.extraction_timeout_s
    detected = detect(data)
    if detected.kind == "pdf":
        pdf = extract_pdf(data, limits, deadline)
        return _finish("pdf", pdf.text, limits, pages=pdf.pages, needs_ocr=pdf.needs_ocr)
    if detected.kind == "docx":
        return _finish("docx", extract_docx(data, limits), limits)
    encoding = detected.encoding or "utf-8"
    return _finish("text", extract_text(data, encoding), limits, encoding=encoding)


def read_source(source: Source, limits: Limits) -> bytes:
    """The file's bytes, refusing more than ``limits.max_upload_bytes`` (``TooLarge``)."""
    maximum = limits.max_upload_bytes
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        data = _read_path(Path(source), maximum)
    else:
        start = source.tell() if source.seekable() else None
        data = source.read(maximum + 1)
        if start is not None:
            source.seek(start)
    if len(data) > maximum:
        raise TooLarge(f"more than {maximum} bytes")
    return data


def _read_path(path: Path, maximum: int) -> bytes:
    try:
        with path.open("rb") as stream:
            if os.fstat(stream.fileno()).st_size > maximum:
                raise TooLarge(f"more than {maximum} bytes")
            return stream.read(maximum + 1)
    except OSError as exc:
        raise StoreError(f"cannot read {path.name}: {exc}") from exc


def _finish(
    kind: Kind,
    text: str,
    limits: Limits,
    *,
    pages: int | None = None,
    needs_ocr: bool = False,
    encoding: str | None = None,
) -> Extraction:
    truncated = len(text) > limits.max_text_chars
    if truncated:
        text = text[: limits.max_text_chars]
    return Extraction(kind, text, pages, needs_ocr, encoding, truncated)
