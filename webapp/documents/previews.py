"""Page previews of a document's current version (issue #14): rules, caching, audit.

A page is rendered lazily, on request, in a pooled child process of
``document_store`` (time limit, no lock held; never in the request thread): PDF and
images through PDFium/Pillow, OFD from its page description, .docx/.doc/.wps after the
safe LibreOffice conversion (only when ``soffice`` is found; otherwise the document
page keeps the text view). Plain text has no pages.

Caching is by content: ``<data dir>/cache/previews/<sha256>/`` holds the pages of one
file at each width (and the PDF an office file was converted to), so versions and
documents with the same bytes share them. A **classified** document's pages carry a
watermark with the viewer's real name and the time and are never cached: rendered per
request, no file written, served ``Cache-Control: private, no-store``. Every page
served is audited as a view (``document_previewed``), like a download.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app

import document_store
from document_store.isolate import POOL

from ..audit import services as audit
from ..errors import DomainError, NotFound
from ..models import Document, DocumentVersion, User
from .intake import blob_store, limits, to_domain_error
from .tools import options, soffice

PAGED_KINDS = ("pdf", "ofd", "image")
OFFICE_KINDS = ("docx", "doc")
MIN_WIDTH, MAX_WIDTH, STEP, DEFAULT_WIDTH = 200, 1600, 100, 900
LOCAL_TIME = ZoneInfo("Asia/Shanghai")  # the watermark's time, as the viewer reads it


@dataclass(frozen=True)
class PagePng:
    """One rendered page and what to tell the browser about it."""

    png: bytes
    page: int
    pages: int
    private: bool


def available(version: DocumentVersion) -> bool:
    """Whether the version's pages can be shown as images on this server."""
    return version.kind in PAGED_KINDS or (version.kind in OFFICE_KINDS and bool(soffice()))


def width_of(raw: str | None) -> int:
    """The requested width, snapped to a step of 100 pixels (bounded cache variants)."""
    if raw in (None, ""):
        return DEFAULT_WIDTH
    try:
        width = int(raw)
    except ValueError:
        raise DomainError("preview_width", status=422) from None
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise DomainError("preview_width", status=422)
    return round(width / STEP) * STEP


def watermark_for(user: User, now: datetime | None = None) -> str:
    """The viewer's real name (the login name when none is recorded) and the time."""
    now = now or datetime.now(LOCAL_TIME)
    return f"{user.display_name or user.username} {now:%Y-%m-%d %H:%M}"


def page_png(user: User, doc: Document, version: DocumentVersion, page: int,
             width: int) -> PagePng:
    """Page ``page`` of ``version`` as a PNG (cached unless classified), audited."""
    if not available(version) or page < 1 or (version.pages and page > version.pages):
        raise NotFound()
    audit.record("document_previewed", object_type="document", object_id=doc.id, actor=user,
                 detail={"version": version.version_no, "page": page})
    if doc.classified:
        rendered = _render(_source(version, cache=False), page, width, watermark_for(user))
        return PagePng(rendered.png, page, rendered.pages, private=True)
    folder = _cache_dir(version.sha256)
    cached = folder / f"{width}-{page}.png"
    count = folder / "pages"
    if cached.exists() and count.exists():
        return PagePng(cached.read_bytes(), page, int(count.read_text()), private=False)
    rendered = _render(_source(version, cache=True), page, width, None)
    _write(cached, rendered.png)
    _write(count, str(rendered.pages).encode())
    return PagePng(rendered.png, page, rendered.pages, private=False)


def _render(source: Path | bytes, page: int, width: int,
            watermark: str | None) -> document_store.RenderedPage:
    try:
        with POOL.borrow(limits(), options()) as extractor:
            return extractor.render(source, page, width, watermark=watermark)
    except document_store.PageNotFound as exc:
        raise NotFound() from exc
    except document_store.DocumentStoreError as exc:
        raise to_domain_error(exc) from exc


def _source(version: DocumentVersion, *, cache: bool) -> Path | bytes:
    """What to render from: the blob (its file when the store is local), or for an office
    file the PDF it converts to (kept in the cache only when ``cache``)."""
    store = blob_store()
    if version.kind not in OFFICE_KINDS and isinstance(store, document_store.LocalBlobStore):
        return store.local_path(version.sha256)
    if version.kind in OFFICE_KINDS and cache:
        converted = _cache_dir(version.sha256) / "converted.pdf"
        if converted.exists():
            return converted
    with store.open(version.sha256) as fh:
        data = fh.read()
    if version.kind not in OFFICE_KINDS:
        return data
    try:
        with POOL.borrow(limits(), options()) as extractor:
            pdf = extractor.convert(data, "pdf")
    except document_store.DocumentStoreError as exc:
        raise to_domain_error(exc) from exc
    if not cache:
        return pdf
    _write(converted, pdf)
    return converted


def _cache_dir(sha256: str) -> Path:
    document_store.check_key(sha256)
    return Path(current_app.config["GOVCOUNSEL_DATA_DIR"]) / "cache" / "previews" / sha256


def _write(path: Path, data: bytes) -> None:
    """Write atomically (a concurrent reader sees the whole file or none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)
