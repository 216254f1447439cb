"""What the caller lets the library do: accepted kinds, LibreOffice, the OCR engine.

``Limits`` bound the cost of one file; ``Options`` say which tools and kinds are in
play. Both are plain frozen data, passed from the caller (the web application's
settings) down to the child process; nothing here reads ``os.environ``.

``Options()`` keeps the behaviour of the first release: PDF, .docx and text only
(an image is ``unsupported_type``, a .doc ``legacy_doc``). A caller that wants
the new kinds passes ``Options(kinds=ALL_KINDS, soffice=...)``; .doc/.wps need
``soffice`` (without it they are refused with ``office_unavailable``).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Literal

Kind = Literal["pdf", "docx", "text", "image", "ofd", "doc"]
OcrEngineName = Literal["rapidocr", "tesseract"]

CLASSIC_KINDS: frozenset[str] = frozenset({"pdf", "docx", "text"})
"""The kinds accepted before scans, OFD and legacy Word were supported."""
ALL_KINDS: frozenset[str] = CLASSIC_KINDS | {"image", "ofd", "doc"}
"""Every kind this library can check, extract and render."""


@dataclass(frozen=True)
class Options:
    """Accepted kinds and external tools (see the module docstring).

    ``soffice``: path of LibreOffice's ``soffice`` (a setting of the caller; use
    ``find_soffice()`` to look it up on ``PATH``). ``ocr_engine``: ``rapidocr``
    (default, pip-installed) or ``tesseract`` (Debian ``tesseract-ocr`` +
    ``tesseract-ocr-chi-sim``). ``ocr_workers``: pages recognised at once
    (0: one per core, at most 4). ``ocr_dpi``: resolution at which PDF and OFD
    pages are rasterised for OCR. ``isolate_network``: run LibreOffice in a
    private network namespace (``unshare -n``) when the system allows it.
    """

    kinds: frozenset[str] = CLASSIC_KINDS
    soffice: str | None = None
    ocr_engine: OcrEngineName = "rapidocr"
    ocr_workers: int = 0
    ocr_dpi: int = 200
    isolate_network: bool = True

    def accepts(self, kind: str) -> bool:
        """Whether files of ``kind`` are accepted."""
        return kind in self.kinds


DEFAULT_OPTIONS = Options()


def find_soffice() -> str | None:
    """LibreOffice's ``soffice`` (or ``libreoffice``) on ``PATH``, or ``None``."""
    return shutil.which("soffice") or shutil.which("libreoffice")
