"""PDF checks and text extraction with pypdfium2.

The product brief names pdfplumber, but on our fixtures pypdfium2's
``get_text_range`` reads the text layer 34x faster and matches the source
exactly, where pdfplumber interleaves lines of wrapped table cells
(MEASUREMENTS.md). pypdfium2 is pdfplumber's own PDF engine, so this adds no
dependency; pdfplumber stays available for layout work (tables, positions),
and its parser, pdfminer, explains the files PDFium refuses to open.

All of this runs in the child process of ``isolate`` (never in a request
thread). PDFium is not thread-safe, so every call into it holds a lock of that
child (OCR threads in the child do not touch PDFium). When PDFium refuses a
file, the lock is released before pdfminer diagnoses it, and the diagnosis has
``Limits.diagnosis_timeout_s``: a crafted file that keeps pdfminer busy (issue
15: 200,000 objects without an xref, 52 s) is then called damaged.

A PDF with pages but no text layer is not an error: the result says
``needs_ocr``. Any page without text that carries an image also sets
``needs_ocr`` (a scanned signature page inside a typed document) and is listed
in ``ocr_pages``.
"""

from __future__ import annotations

import io
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from .errors import CorruptPdf, EncryptedPdf, ExtractionTimeout, TooManyPages, ZeroPages
from .limits import Limits
from .textnorm import join_visual_lines

PDFIUM_LOCK = threading.RLock()
"""Held around every PDFium call in this (child) process."""

_EOF_WINDOW = 1024


@dataclass(frozen=True)
class PdfText:
    """Text layer of a PDF after line joining."""

    text: str
    pages: int
    needs_ocr: bool
    page_texts: tuple[str, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    """Pages (from 1) without text that carry an image, or all pages when none has text."""


@contextmanager
def open_pdf(data: bytes, limits: Limits | None = None) -> Iterator[pdfium.PdfDocument]:
    """Open a PDF held in memory, translating PDFium's failures into our errors."""
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise CorruptPdf("the PDF has no end-of-file marker (truncated?)")
    refused = None
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
                raise EncryptedPdf() from None
            refused = str(exc)
        if refused is None:
            try:
                yield document
            finally:
                document.close()
            return
    budget = limits.diagnosis_timeout_s if limits is not None else 10.0
    raise _diagnose(data, refused, budget)


class _DiagnosisTimeout(BaseException):
    """Raised by the timer inside pdfminer (a BaseException, so pdfminer cannot swallow it)."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread only; elsewhere no limit, and the
    parent's kill remains the bound)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
            signal, "setitimer"):
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _DiagnosisTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _diagnose(
    data: bytes, pdfium_message: str, budget: float
) -> CorruptPdf | EncryptedPdf | ZeroPages:
    """Ask pdfminer (pdfplumber's parser) why PDFium refused a file, within ``budget`` s.

    PDFium refuses a PDF with an empty page tree as if it were broken; pdfminer
    opens it and counts zero pages. Only files PDFium cannot open come here,
    so pdfminer is imported only then. No lock is held meanwhile.
    """
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        with _time_limit(budget):
            document = PDFDocument(PDFParser(io.BytesIO(data)))
            has_page = next(iter(PDFPage.create_pages(document)), None) is not None
    except _DiagnosisTimeout:
        return CorruptPdf(f"PDFium cannot open the file ({pdfium_message}) and pdfminer "
                          f"found no structure within {budget:g} seconds")
    except PDFEncryptionError:
        return EncryptedPdf()
    except Exception:  # pdfminer failing too confirms the file is broken
        has_page = True
    if not has_page:
        return ZeroPages()
    return CorruptPdf(f"PDFium cannot open the file: {pdfium_message}")


def check_page_count(document: pdfium.PdfDocument, limits: Limits) -> int:
    """The page count, or ``ZeroPages`` / ``TooManyPages``."""
    pages = len(document)
    if pages == 0:
        raise ZeroPages()
    if pages > limits.max_pdf_pages:
        raise TooManyPages(f"{pages} pages; at most {limits.max_pdf_pages} are accepted")
    return pages


def check_pdf(data: bytes, limits: Limits) -> int:
    """Validate a PDF cheaply (opens, not encrypted, page limits); return its page count."""
    with open_pdf(data, limits) as document:
        return check_page_count(document, limits)


def extract_pdf(data: bytes, limits: Limits, deadline: float | None = None) -> PdfText:
    """Read the text layer of every page; ``deadline`` is a ``time.monotonic()`` value."""
    page_texts: list[str] = []
    scanned: list[int] = []
    with open_pdf(data, limits) as document:
        pages = check_page_count(document, limits)
        for index in range(pages):
            if deadline is not None and time.monotonic() > deadline:
                raise ExtractionTimeout(f"stopped at page {index + 1} of {pages}")
            text, has_image = _read_page(document, index)
            page_texts.append(join_visual_lines(text) if text.strip() else "")
            if not text.strip() and has_image:
                scanned.append(index + 1)
    text = join_visual_lines("\n".join(page for page in page_texts if page))
    if not text:
        scanned = list(range(1, pages + 1))
    return PdfText(text=text, pages=pages, needs_ocr=bool(scanned) or not text,
                   page_texts=tuple(page_texts), ocr_pages=tuple(scanned))


def render_pdf_page(data: bytes, number: int, width: int, limits: Limits) -> Image.Image:
    """Page ``number`` (from 1) rasterised ``width`` pixels wide (RGB)."""
    from .errors import ImageTooLarge, PageNotFound

    with open_pdf(data, limits) as document:
        if not 1 <= number <= len(document):
            raise PageNotFound(f"page {number} of {len(document)}")
        page = document[number - 1]
        try:
            page_width, page_height = page.get_size()
            scale = width / max(page_width, 1.0)
            if width * page_height * scale > limits.max_render_pixels:
                raise ImageTooLarge(f"{width} pixels wide is too many for this page")
            bitmap = page.render(scale=scale)
            try:
                return bitmap.to_pil().convert("RGB")
            finally:
                bitmap.close()
        except pdfium.PdfiumError as exc:
            raise CorruptPdf(f"page {number} cannot be rendered: {exc}") from None
        finally:
            page.close()


def _read_page(document: pdfium.PdfDocument, index: int) -> tuple[str, bool]:
    try:
        page = document[index]
    except pdfium.PdfiumError as exc:
        raise CorruptPdf(f"page {index + 1} cannot be loaded: {exc}") from None
    try:
        textpage = page.get_textpage()
        try:
            text = _visual_order(textpage, textpage.get_text_range())
        finally:
            textpage.close()
        has_image = False
        if not text.strip():
            images = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4)
            has_image = next(iter(images), None) is not None
        return text, has_image
    except pdfium.PdfiumError as exc:
        raise CorruptPdf(f"page {index + 1} cannot be read: {exc}") from None
    finally:
        page.close()


def _visual_order(textpage: pdfium.PdfTextPage, text: str) -> str:
    """Put the runs of each line in left-to-right order.

    PDFium returns characters in content-stream order. Producers such as
    LibreOffice draw a line font by font, so curly quotes set in a Latin font
    come after the Chinese text around them; PDFium marks each jump with a
    generated space. The space-separated runs of a line are each in order, so
    one character position per run is enough to sort them. Lines without a
    space (most lines of Chinese text) are left alone.
    """
    if " " not in text or textpage.count_chars() != len(text):
        return text
    lines = text.split("\r\n")
    start = 0
    for number, line in enumerate(lines):
        if " " in line:
            lines[number] = _sort_runs(textpage, line, start)
        start += len(line) + 2
    return "\r\n".join(lines)


def _sort_runs(textpage: pdfium.PdfTextPage, line: str, start: int) -> str:
    runs: list[tuple[float, str]] = []
    offset = start
    for run in line.split(" "):
        if run:
            runs.append((textpage.get_charbox(offset)[0], run))
        offset += len(run) + 1
    lefts = [left for left, _ in runs]
    if lefts == sorted(lefts):
        return line
    return " ".join(run for _, run in sorted(runs, key=lambda item: item[0]))
