"""Text of paged kinds (PDF, image, OFD) page by page, with OCR of the pages that need it.

A page needs OCR when it has no text layer but shows something: a PDF page
without text that carries an image (every page when the PDF has no text at
all), every frame of an image upload, an OFD page without text that holds
images or drawings. With ``ocr=False`` such pages are only listed (the result
says ``needs_ocr``). With ``ocr=True`` they are rasterised at ``Options.ocr_dpi``
one at a time in this thread (PDFium stays on one thread) and recognised by
``ocr.recognize_pages`` in parallel. The OCR text of each page is joined like
text-layer text (visual lines between CJK characters are joined).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PIL import Image

from .extract import PageText
from .extract_pdf import PDFIUM_LOCK, extract_pdf, render_pdf_page
from .limits import Limits
from .ocr import OcrText, PageImage, recognize_pages
from .options import Options
from .textnorm import join_visual_lines


@dataclass(frozen=True)
class Paged:
    """Pages of a document and their joined text."""

    text: str
    pages: tuple[PageText, ...]
    needs_ocr: bool
    annotations: str = ""


@dataclass
class _Source:
    texts: list[str]
    to_ocr: list[int]
    raster: Callable[[int], Image.Image]
    annotations: str = ""


def extract_paged(
    kind: str,
    data: bytes,
    limits: Limits,
    options: Options,
    deadline: float,
    ocr: bool,
    progress: Callable[[int, int], None] | None,
) -> Paged:
    """Per-page text of a PDF, image or OFD file (see the module docstring)."""
    source = _open(kind, data, limits, options, deadline)
    results: dict[int, OcrText | str] = {}
    if ocr and source.to_ocr:
        soft_deadline = time.monotonic() + len(source.to_ocr) * limits.ocr_page_timeout_s
        results = recognize_pages(_rasterise(source), len(source.to_ocr), options.ocr_engine,
                                  options.ocr_workers, progress, soft_deadline)
    pages = []
    for number, text in enumerate(source.texts, start=1):
        found = results.get(number)
        if isinstance(found, OcrText):
            pages.append(PageText(number, join_visual_lines(found.text), "ocr", found.confidence))
        elif isinstance(found, str):
            pages.append(PageText(number, "", "none", error=found))
        else:
            pages.append(PageText(number, text, "text-layer" if text else "none"))
    joined = join_visual_lines("\n".join(page.text for page in pages if page.text))
    unrecognised = bool(source.to_ocr) and not (ocr and results)
    return Paged(joined, tuple(pages), unrecognised or not joined, source.annotations)


def _open(kind: str, data: bytes, limits: Limits, options: Options, deadline: float) -> _Source:
    if kind == "pdf":
        pdf = extract_pdf(data, limits, deadline)
        return _Source(list(pdf.page_texts), list(pdf.ocr_pages),
                       lambda n: _pdf_raster(data, n, options.ocr_dpi, limits))
    if kind == "image":
        from .images import frame_count, frames

        count = frame_count(data, limits)
        iterator = frames(data, limits)
        return _Source([""] * count, list(range(1, count + 1)), lambda _n: next(iterator))
    from .ofd_reader import read_ofd
    from .ofd_render import render_ofd_page

    ofd = read_ofd(data, limits)
    texts = [page.text for page in ofd.pages]
    to_ocr = [page.number for page in ofd.pages if page.needs_ocr]
    annotations = "\n".join(page.annotation_text for page in ofd.pages if page.annotation_text)

    def raster(number: int) -> Image.Image:
        page = ofd.pages[number - 1]
        width = _bounded_width(page.width / 25.4, page.height / 25.4, options.ocr_dpi, limits)
        return render_ofd_page(ofd, number, width, limits)

    return _Source(texts, to_ocr, raster, annotations)


def _pdf_raster(data: bytes, number: int, dpi: int, limits: Limits) -> Image.Image:
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            width_pt, height_pt = document.get_page_size(number - 1)
        finally:
            document.close()
    width = _bounded_width(width_pt / 72, height_pt / 72, dpi, limits)
    return render_pdf_page(data, number, width, limits)


def _bounded_width(width_in: float, height_in: float, dpi: int, limits: Limits) -> int:
    """Pixel width at ``dpi``, reduced so the page stays within ``max_render_pixels``."""
    width, height = max(width_in * dpi, 1.0), max(height_in * dpi, 1.0)
    shrink = min(1.0, (limits.max_render_pixels / (width * height)) ** 0.5)
    return max(1, int(width * shrink))


def _rasterise(source: _Source) -> Iterator[PageImage]:
    for number in source.to_ocr:
        try:
            image: Image.Image | Exception = source.raster(number)
        except Exception as exc:  # a page that cannot be drawn is reported, not fatal
            image = exc
        yield number, image
