"""The two entry points for files: ``validate`` (at upload) and ``extract`` (in the worker).

``validate`` is called at upload: it reads the file once and refuses it with a
``FileRejected`` error if it is empty, too large, not of an accepted kind
(``Options.kinds``), does not open as what it is, is encrypted, or breaks the
page, pixel or zip-bomb limits. The checks themselves run in a child process
borrowed from ``isolate.POOL`` (``isolate=True``, the default), under the time
limit and without any process-wide lock, so a file crafted to be slow to parse
delays nobody else's upload. It never extracts text (PDF: open and count pages;
.docx: zip directory and python-docx open; text: one strict decode; image:
frame count, pixel limits, one decode; OFD: package, structure and pages;
.doc/.wps: the OLE directory; LibreOffice is not run at upload).

``extract`` returns the text. By default (``isolate=True``) it runs in a child
process that is killed when ``Limits.extraction_timeout_s`` passes, so a file
that hangs or crashes a parser cannot take the caller down. Starting that
process costs a few hundred milliseconds, so a long-running worker should keep
one ``Extractor`` (see ``isolate.py``) and call ``Extractor.extract`` for each
job. ``isolate=False`` extracts in the calling thread, for tests, benchmarks
and trusted files; there the time limit is only checked between PDF pages.

``extract(..., ocr=True)`` also recognises pages without a text layer (scanned
PDF pages, image uploads, image-only OFD pages; see ``ocr_pages``), with
``progress(done, total)`` per page. The result's ``page_texts`` says per page
where its text came from (``text-layer``, ``ocr`` or ``none``), the OCR
confidence, and why a page's OCR failed (the other pages are kept).

A source is a path (``str`` or ``os.PathLike``), the file's bytes, or a binary
stream; a stream is read from its current position and rewound to it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from .detect import Detected, detect
from .errors import StoreError, TooLarge
from .extract_docx import extract_docx, open_docx
from .extract_pdf import check_pdf
from .extract_text import extract_text
from .limits import DEFAULT_LIMITS, Limits
from .options import DEFAULT_OPTIONS, Kind, Options

if TYPE_CHECKING:
    from .isolate import Progress

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO
PageSource = Literal["text-layer", "ocr", "none"]


@dataclass(frozen=True)
class FileInfo:
    """What ``validate`` found out about an acceptable file."""

    kind: Kind
    size: int
    pages: int | None
    encoding: str | None
    subtype: str | None = None
    """The image format (``jpeg``, ``png``, ``tiff``) of an image."""

    @property
    def media_type(self) -> str:
        """The media type to serve the original file with."""
        return Detected(self.kind, self.encoding, self.subtype).media_type


@dataclass(frozen=True)
class PageText:
    """One page's text: from the text layer, from OCR (with its confidence, 0–1), or none.

    ``error`` says why OCR of this page failed (the page then has no text).
    """

    number: int
    text: str
    source: PageSource
    confidence: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class Extraction:
    """A file's text. ``pages`` is set for paged kinds; ``encoding`` for text files.

    ``needs_ocr`` says pages whose text is only an image remain unrecognised (all
    of them when ``text`` is empty); after ``extract(ocr=True)`` it is false.
    ``truncated`` says the text was cut at ``Limits.max_text_chars``.
    ``page_texts`` has one entry per page of paged kinds (empty for .docx and
    text); ``annotations`` is the text of OFD annotations, kept out of ``text``.
    """

    kind: Kind
    text: str
    pages: int | None
    needs_ocr: bool
    encoding: str | None
    truncated: bool = False
    page_texts: tuple[PageText, ...] = ()
    annotations: str = ""

    @property
    def ocr_pages(self) -> list[int]:
        """Numbers of the pages whose text came from OCR."""
        return [page.number for page in self.page_texts if page.source == "ocr"]

    @property
    def failed_pages(self) -> dict[int, str]:
        """Pages whose OCR failed, with the reason."""
        return {page.number: page.error for page in self.page_texts if page.error}


def validate(
    source: Source,
    limits: Limits = DEFAULT_LIMITS,
    options: Options = DEFAULT_OPTIONS,
    *,
    isolate: bool = True,
) -> FileInfo:
    """Check that a file is acceptable without extracting its text (in a pooled child
    process unless ``isolate=False``)."""
    if isolate:
        from .isolate import POOL

        with POOL.borrow(limits, options) as extractor:
            return extractor.validate(source, limits)
    return validate_bytes(read_source(source, limits), limits, options)


def validate_bytes(data: bytes, limits: Limits, options: Options = DEFAULT_OPTIONS) -> FileInfo:
    """The checks of ``validate`` on the file's bytes, in this thread (the child calls it)."""
    if len(data) > limits.max_upload_bytes:
        raise TooLarge(f"more than {limits.max_upload_bytes} bytes")
    detected = detect(data, options)
    pages = None
    if detected.kind == "pdf":
        pages = check_pdf(data, limits)
    elif detected.kind == "docx":
        open_docx(data, limits)
    elif detected.kind == "image":
        from .images import check_image

        pages = check_image(data, limits).frames
    elif detected.kind == "ofd":
        from .ofd_reader import read_ofd

        pages = len(read_ofd(data, limits).pages)
    elif detected.kind == "text":
        extract_text(data, detected.encoding or "utf-8")
    return FileInfo(detected.kind, len(data), pages, detected.encoding, detected.subtype)


def extract(
    source: Source,
    limits: Limits = DEFAULT_LIMITS,
    *,
    isolate: bool = True,
    options: Options = DEFAULT_OPTIONS,
    ocr: bool = False,
    progress: Progress | None = None,
) -> Extraction:
    """Extract a file's text; see the module docstring for ``isolate`` and ``ocr``."""
    if isolate:
        from .isolate import Extractor

        with Extractor(limits, options) as extractor:
            return extractor.extract(source, limits, ocr=ocr, progress=progress)
    return extract_bytes(read_source(source, limits), limits, options=options, ocr=ocr,
                         progress=progress)


def extract_bytes(
    data: bytes,
    limits: Limits,
    deadline: float | None = None,
    *,
    options: Options = DEFAULT_OPTIONS,
    ocr: bool = False,
    progress: Progress | None = None,
) -> Extraction:
    """Extract from the file's bytes in this thread (what ``extract(isolate=False)`` does)."""
    from .extract_pages import extract_paged

    if deadline is None:
        deadline = time.monotonic() + limits.extraction_timeout_s
    detected = detect(data, options)
    if detected.kind in ("pdf", "image", "ofd"):
        paged = extract_paged(detected.kind, data, limits, options, deadline, ocr, progress)
        return _finish(detected.kind, paged.text, limits, pages=len(paged.pages),
                       needs_ocr=paged.needs_ocr, page_texts=paged.pages,
                       annotations=paged.annotations)
    if detected.kind == "docx":
        return _finish("docx", extract_docx(data, limits), limits)
    if detected.kind == "doc":
        from .office import convert

        converted = convert(data, "doc", "docx", soffice=options.soffice, limits=limits,
                            isolate_network=options.isolate_network)
        return _finish("doc", extract_docx(converted, limits), limits)
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
    page_texts: tuple[PageText, ...] = (),
    annotations: str = "",
) -> Extraction:
    truncated = len(text) > limits.max_text_chars
    if truncated:
        text = text[: limits.max_text_chars]
    return Extraction(kind, text, pages, needs_ocr, encoding, truncated, page_texts,
                      annotations[: limits.max_text_chars])
