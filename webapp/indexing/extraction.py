"""Text extraction of stored versions, run by the worker (never in a web request)."""

from __future__ import annotations

from flask import current_app

import document_store

from ..documents.intake import blob_store, limits
from ..extensions import db
from ..models import Document, DocumentVersion


def extract_current(doc: Document) -> str:
    """Extract and store the text of ``doc``'s current version; returns the text.

    An extraction error is stored on the version (``text_status='failed'``) and the
    document is indexed by its metadata alone, so it can still be found by title.
    """
    version = next(v for v in doc.versions if v.version_no == doc.current_version_no)
    return extract_version(version)


def _extractor() -> document_store.Extractor:
    """The app's reusable extraction child process (time limit enforced by killing it)."""
    ext = current_app.extensions["govcounsel"]
    if "extractor" not in ext:
        ext["extractor"] = document_store.Extractor(limits())
    return ext["extractor"]


def extract_version(version: DocumentVersion) -> str:
    """Extract one version's text in an isolated process with the time limit."""
    store = blob_store()
    try:
        with store.open(version.sha256) as fh:
            result = _extractor().extract(fh, limits())
    except document_store.DocumentStoreError as exc:
        version.text_status, version.extract_error = "failed", getattr(exc, "code", str(exc))
        version.extracted_text = ""
        db.session.commit()
        return ""
    version.extracted_text = result.text
    version.needs_ocr = bool(result.needs_ocr)
    version.pages = result.pages if result.pages is not None else version.pages
    version.text_status = "extracted"
    version.extract_error = None
    db.session.commit()
    return result.text
