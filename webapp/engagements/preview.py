"""PDF preview of a generated contract through LibreOffice, when the server has it.

Without ``soffice`` the preview is hidden (:func:`available` is false) and the
route answers 404. A conversion is cached beside the data dir by the .docx's
SHA-256, so each contract version is converted once.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import current_app

from contract_templates.pdf import PdfConversionError, soffice_available, to_pdf

from ..documents.storage import open_version
from ..errors import DomainError, NotFound
from ..models import Document


def _soffice() -> str | None:
    return current_app.config.get("GOVCOUNSEL_SOFFICE")


def available() -> bool:
    """Whether PDF previews can be produced on this server (``GOVCOUNSEL_SOFFICE``, from
    the environment or ``config.json``, else ``soffice`` on PATH)."""
    return soffice_available(_soffice())


def _cache_path(sha256: str) -> Path:
    folder = Path(current_app.config["GOVCOUNSEL_DATA_DIR"]) / "cache" / "contract-pdf"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{sha256}.pdf"


def contract_pdf(doc: Document) -> bytes:
    """The PDF of the document's current .docx version (converted once, then cached)."""
    if not available():
        raise NotFound()
    version, stream = open_version(doc)
    if version.kind != "docx":
        raise NotFound()
    cached = _cache_path(version.sha256)
    if cached.exists():
        return cached.read_bytes()
    with stream:
        data = stream.read()
    try:
        pdf = to_pdf(data, timeout=120, soffice=_soffice())
    except PdfConversionError as exc:
        raise DomainError(exc.code, exc.message, status=500) from exc
    fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(pdf)
    os.replace(tmp, cached)
    return pdf
