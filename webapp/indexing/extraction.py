"""Text extraction and OCR of stored versions, run by the worker (never in a web request).

Two steps. Extraction reads the text layer; when pages hold only images (a scan, an
image upload, an image-only OFD page) and OCR is on (``GOVCOUNSEL_OCR``), the version
is marked ``ocr_status='pending'`` and an ``ocr`` index job is queued in the same
commit, so the document is indexed by what it has at once. The OCR step (any job of
the document that finds its current version pending or running) recognises those
pages in the extraction child, stores its progress (``ocr_done``/``ocr_total``, read
by the document page as "识别中 3/12 页"), then the text with one entry per page in
``page_info`` (source, confidence, error). A failed page is reported, the others kept;
the original file never changes. The state lives on the version, so a restart, a
folded job or ``govcounsel reindex`` does not lose it: the next job finishes it.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import update

import document_store

from ..documents.intake import blob_store, limits
from ..documents.tools import ocr_engine, options
from ..extensions import db
from ..models import Document, DocumentVersion, IndexJob

OCR_OPEN = ("pending", "running")


def current_version(doc: Document) -> DocumentVersion:
    """The current version of ``doc``."""
    return next(v for v in doc.versions if v.version_no == doc.current_version_no)


def extract_current(doc: Document) -> str:
    """Extract and store the text of ``doc``'s current version; returns the text.

    An extraction error is stored on the version (``text_status='failed'``) and the
    document is indexed by its metadata alone, so it can still be found by title.
    """
    return extract_version(current_version(doc))


def _extractor() -> document_store.Extractor:
    """The app's reusable extraction child process (time limit enforced by killing it)."""
    ext = current_app.extensions["govcounsel"]
    if "extractor" not in ext:
        ext["extractor"] = document_store.Extractor(limits(), options())
    return ext["extractor"]


def page_info(result: document_store.Extraction) -> list[dict[str, Any]] | None:
    """Per page: number, text source, OCR confidence (0–1) and error (paged kinds)."""
    if not result.page_texts:
        return None
    return [{"page": p.number, "source": p.source, "chars": len(p.text),
             "confidence": None if p.confidence is None else round(p.confidence, 3),
             "error": p.error} for p in result.page_texts]


def extract_version(version: DocumentVersion) -> str:
    """Extract one version's text in an isolated process with the time limit; queue OCR
    when it needs it (see the module docstring)."""
    try:
        with blob_store().open(version.sha256) as fh:
            result = _extractor().extract(fh, limits())
    except document_store.DocumentStoreError as exc:
        version.text_status, version.extract_error = "failed", getattr(exc, "code", str(exc))
        version.extracted_text = ""
        db.session.commit()
        return ""
    version.extracted_text = result.text
    version.needs_ocr = bool(result.needs_ocr)
    version.pages = result.pages if result.pages is not None else version.pages
    version.page_info = page_info(result)
    version.text_status = "extracted"
    version.extract_error = None
    if result.needs_ocr:
        waiting = sum(1 for p in result.page_texts if p.source == "none") or result.pages
        version.ocr_status = "pending" if ocr_engine() else "off"
        version.ocr_done, version.ocr_total = 0, waiting
        if ocr_engine():
            db.session.add(IndexJob(document_id=version.document_id, action="ocr"))
    db.session.commit()
    return result.text


def ocr_waiting(doc: Document) -> bool:
    """Whether the current version's OCR is still to be done (or was cut off)."""
    return current_version(doc).ocr_status in OCR_OPEN and ocr_engine() is not None


def recognise_current(doc: Document) -> str:
    """Run OCR on the current version's image pages with progress; returns its text
    (the text as it was when OCR as a whole fails: the version says why)."""
    version = current_version(doc)
    version.ocr_status, version.ocr_done, version.ocr_error = "running", 0, None
    db.session.commit()
    version_id = version.id

    def progress(done: int, total: int) -> None:
        db.session.execute(update(DocumentVersion).where(DocumentVersion.id == version_id)
                           .values(ocr_done=done, ocr_total=total))
        db.session.commit()

    try:
        with blob_store().open(version.sha256) as fh:
            result = _extractor().extract(fh, limits(), ocr=True, progress=progress)
    except document_store.DocumentStoreError as exc:
        version.ocr_status, version.ocr_error = "failed", getattr(exc, "code", str(exc))
        db.session.commit()
        return version.extracted_text or ""
    failed = result.failed_pages
    version.extracted_text = result.text
    version.page_info = page_info(result)
    version.needs_ocr = bool(result.needs_ocr)
    version.ocr_status = "done"
    version.ocr_done = version.ocr_total = len(result.ocr_pages) + len(failed)
    version.ocr_error = "、".join(str(n) for n in sorted(failed)) if failed else None
    db.session.commit()
    return result.text
