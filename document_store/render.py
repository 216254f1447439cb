"""Page previews: page N of a document as a PNG, and office files converted for previews.

``render_bytes`` draws one page ``width`` pixels wide: a PDF with PDFium, an OFD
from its page description (``ofd_render``), an image frame resized, and a
.docx/.doc/.wps by converting it to PDF with the safe LibreOffice runner
(``office``) first. Converting costs seconds, so a caller that shows several
pages of an office file should call ``convert_bytes(data, "pdf")`` (or
``Extractor.convert``) once, cache the PDF by the original's SHA-256, and render
pages from that PDF. With ``watermark`` the page is stamped (``watermark.stamp``)
before it is encoded. Both run in the child process of ``isolate`` with the
time budget, ``Limits.max_render_pixels`` and the upload limits.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from .detect import detect
from .errors import ImageTooLarge, PageNotFound, UnsupportedType
from .limits import Limits
from .options import Options

MAX_WIDTH = 4000


@dataclass(frozen=True)
class RenderedPage:
    """A rendered page: PNG bytes, its size, and how many pages the document has."""

    png: bytes
    width: int
    height: int
    page: int
    pages: int


def render_bytes(
    data: bytes,
    page: int,
    width: int,
    limits: Limits,
    options: Options,
    *,
    watermark: str | None = None,
) -> RenderedPage:
    """Page ``page`` (from 1) of the file, ``width`` pixels wide (see the module docstring)."""
    if not 16 <= width <= MAX_WIDTH:
        raise ImageTooLarge(f"a preview is 16 to {MAX_WIDTH} pixels wide, not {width}")
    kind = detect(data, options).kind
    if kind in ("docx", "doc"):
        data, kind = convert_bytes(data, "pdf", limits, options), "pdf"
    image, pages = _draw(kind, data, page, width, limits)
    if watermark:
        from .watermark import stamp

        image = stamp(image, watermark)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=6)
    return RenderedPage(buffer.getvalue(), image.width, image.height, page, pages)


def _draw(kind: str, data: bytes, page: int, width: int, limits: Limits) -> tuple[Image.Image, int]:
    if kind == "pdf":
        from .extract_pdf import check_pdf, render_pdf_page

        pages = check_pdf(data, limits)
        return render_pdf_page(data, page, width, limits), pages
    if kind == "ofd":
        from .ofd_reader import read_ofd
        from .ofd_render import render_ofd_page

        ofd = read_ofd(data, limits)
        return render_ofd_page(ofd, page, width, limits), len(ofd.pages)
    if kind == "image":
        from .images import frame_count, frames

        pages = frame_count(data, limits)
        if not 1 <= page <= pages:
            raise PageNotFound(f"page {page} of {pages}")
        for number, frame in enumerate(frames(data, limits), start=1):
            if number == page:
                height = max(1, round(frame.height * width / frame.width))
                if width * height > limits.max_render_pixels:
                    raise ImageTooLarge(f"{width}x{height} pixels")
                return frame.resize((width, height), Image.Resampling.LANCZOS), pages
    raise UnsupportedType(f"no page preview for {kind} files")


def convert_bytes(data: bytes, target: str, limits: Limits, options: Options) -> bytes:
    """A .docx/.doc/.wps converted to ``pdf`` or ``docx`` (external references removed)."""
    from .office import convert

    kind = detect(data, options).kind
    if kind not in ("docx", "doc") or target not in ("pdf", "docx"):
        raise UnsupportedType(f"cannot convert {kind} to {target}")
    return convert(data, kind, target, soffice=options.soffice, limits=limits,  # type: ignore[arg-type]
                   isolate_network=options.isolate_network)
