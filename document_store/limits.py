"""Limits that bound what an upload may cost to check, store, extract, OCR and render."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Ceilings applied by ``validate``, ``extract``, OCR and page rendering.

    ``max_docx_*`` bound every zip package, .docx and .ofd alike: members, the
    uncompressed total and the ratio of uncompressed to compressed size, as
    declared in the zip directory (``zipfile`` refuses to read more than a
    member declares, so the declared sizes are binding). ``max_pdf_pages``
    bounds the pages of every paged kind: PDF, OFD and the frames of a TIFF.
    ``max_image_pixels`` bounds one image frame (a scan of A4 at 600 dpi is
    35 million pixels), checked from the header before anything is decoded.
    Text beyond ``max_text_chars`` is cut off and the extraction is marked
    ``truncated``.

    Time: ``extraction_timeout_s`` is the budget of one validation, extraction,
    conversion or page rendering in the child process; the diagnosis of a PDF
    that PDFium refuses gets ``diagnosis_timeout_s`` of it (then the file is
    called damaged). OCR adds ``ocr_page_timeout_s`` per page to the budget.
    ``max_render_pixels`` bounds a rendered preview page.

    ``max_ofd_objects`` bounds what an OFD file may draw: text, image and path
    objects plus characters, counted each time a template or composite unit is
    drawn (a 1.5 kB file of nested composite units otherwise expands to tens of
    millions of characters).
    """

    max_upload_bytes: int = 50 * MB
    max_pdf_pages: int = 2000
    max_docx_uncompressed: int = 200 * MB
    max_docx_ratio: float = 100.0
    max_docx_members: int = 10_000
    extraction_timeout_s: float = 60.0
    max_text_chars: int = 5_000_000
    max_image_pixels: int = 80_000_000
    diagnosis_timeout_s: float = 10.0
    ocr_page_timeout_s: float = 120.0
    max_render_pixels: int = 16_000_000
    max_ofd_objects: int = 2_000_000


DEFAULT_LIMITS = Limits()
