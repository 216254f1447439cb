"""Limits that bound what an upload may cost to check, store and extract."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Ceilings applied by ``validate`` and ``extract``.

    ``max_docx_ratio`` is the whole package's uncompressed size divided by its
    compressed size, as declared in the zip directory (``zipfile`` refuses to
    read more than a member declares, so the declared sizes are binding).
    Text beyond ``max_text_chars`` is cut off and the extraction is marked
    ``truncated``.
    """

    max_upload_bytes: int = 50 * MB
    max_pdf_pages: int = 2000
    max_docx_uncompressed: int = 200 * MB
    max_docx_ratio: float = 100.0
    max_docx_members: int = 10_000
    extraction_timeout_s: float = 60.0
    max_text_chars: int = 5_000_000


DEFAULT_LIMITS = Limits()
