"""PDF preview of a generated contract, when the server has LibreOffice.

Only what the renderer generates is converted (issue #15, finding 1): the contract is
rendered again from its stored template version and parameters, and *that* .docx goes
through ``document_store``'s safe conversion (external relationships and fetching
fields stripped, ``soffice`` in a private network namespace, in the time-limited
child). A version a clerk uploaded to the contract's document is never handed to
LibreOffice here. The PDF is cached in the data dir by the generated .docx's SHA-256,
so each contract state is converted once.

Without ``soffice`` the preview is hidden (:func:`available` is false) and the route
answers 404.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app

import document_store
from document_store.isolate import POOL

from ..documents.intake import limits
from ..documents.tools import options, soffice
from ..errors import DomainError, NotFound
from ..models import Engagement
from .services import regenerate


def available() -> bool:
    """Whether PDF previews can be produced on this server (``GOVCOUNSEL_SOFFICE``, from
    the environment or ``config.json``, else ``soffice`` on PATH)."""
    return soffice() is not None


def _cache_path(sha256: str) -> Path:
    folder = Path(current_app.config["GOVCOUNSEL_DATA_DIR"]) / "cache" / "contract-pdf"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{sha256}.pdf"


def contract_pdf(eng: Engagement) -> bytes:
    """The PDF of the contract as the renderer generates it (converted once, then cached)."""
    if not available():
        raise NotFound()
    docx = regenerate(eng)
    cached = _cache_path(hashlib.sha256(docx).hexdigest())
    if cached.exists():
        return cached.read_bytes()
    try:
        with POOL.borrow(limits(), options()) as extractor:
            pdf = extractor.convert(docx, "pdf")
    except document_store.DocumentStoreError as exc:
        raise DomainError(exc.code, exc.message, status=500) from exc
    fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(pdf)
    os.replace(tmp, cached)
    return pdf
