"""What ``document_store`` may do on this server, from the settings (issue #14).

Every kind the library knows is accepted: PDF, .docx, text, images (JPEG/PNG/TIFF),
OFD, and .doc/.wps when LibreOffice is found (``GOVCOUNSEL_SOFFICE``, else ``soffice``
on ``PATH``; without it such a file is refused with ``office_unavailable``, which says
what to install). ``GOVCOUNSEL_OCR`` picks the OCR engine or turns OCR off.
"""

from __future__ import annotations

import os
import shutil

from flask import current_app

from document_store import ALL_KINDS, Options, find_soffice

OCR_ENGINES = ("rapidocr", "tesseract")


def soffice() -> str | None:
    """LibreOffice's ``soffice``: the setting when it is set (``None`` if it names no
    program), else the one on ``PATH``, else ``None``."""
    configured = current_app.config.get("GOVCOUNSEL_SOFFICE")
    if not configured:
        return find_soffice()
    found = shutil.which(configured)
    return found if found and os.access(found, os.X_OK) else None


def ocr_engine() -> str | None:
    """The OCR engine to use, or ``None`` when OCR is off (an unknown value counts as off,
    with a warning in the log)."""
    engine = (current_app.config.get("GOVCOUNSEL_OCR") or "off").strip().lower()
    if engine in OCR_ENGINES:
        return engine
    if engine != "off":
        current_app.logger.warning("GOVCOUNSEL_OCR=%r is not one of rapidocr, tesseract, off; "
                                   "OCR is off", engine)
    return None


def options() -> Options:
    """The ``Options`` every validation, extraction and rendering of the app uses."""
    return Options(kinds=ALL_KINDS, soffice=soffice(), ocr_engine=ocr_engine() or "rapidocr")
