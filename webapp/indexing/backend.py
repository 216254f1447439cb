"""The app's search backend and the translation from models to index documents."""

from __future__ import annotations

import threading

from flask import Flask, current_app
from sqlalchemy import select

from indexer import IndexDoc, SearchBackend, add_words, open_backend
from indexer.factory import resolve_engine

from ..documents import registry
from ..documents.registry import all_fields
from ..extensions import db
from ..models import Agency, Document, DocumentVersion

_LOCK = threading.Lock()


def get_backend(app: Flask | None = None) -> SearchBackend:
    """The search backend of ``app`` (opened once; a broken index is reset, then rebuilt)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    ext = app.extensions["govcounsel"]
    with _LOCK:
        if "search" not in ext:
            choice = resolve_engine(app.config["GOVCOUNSEL_SEARCH"])
            if choice.fallback_reason:
                app.logger.warning("search engine: whoosh (pure Python), because %s",
                                   choice.fallback_reason)
            ext["search_engine"] = choice
            backend = open_backend(app.config["GOVCOUNSEL_SEARCH"],
                                   app.config["GOVCOUNSEL_DATA_DIR"],
                                   app.config["DATABASE_URL"])
            if backend.needs_rebuild:
                if backend.rebuild_reason != "missing":
                    app.logger.warning("search index needs a rebuild: %s",
                                       backend.rebuild_reason)
                backend.reset()
                ext["index_rebuild_reason"] = backend.rebuild_reason
            with app.app_context():
                add_words(user_words())
            ext["search"] = backend
        return ext["search"]


def stamp(doc: Document) -> str:
    """What identifies this state of ``doc`` in the index: file hash + metadata version."""
    return f"{doc.sha256}:{doc.meta_version}"


def index_doc(doc: Document, text: str) -> IndexDoc:
    """The index's view of a document: the fields the index knows by name (``indexed`` in
    the registry) and the text, with the values of ``searchable`` fields appended."""
    fields = all_fields(doc.doc_type)
    known = {f.name: registry.read(doc, f) for f in fields if f.indexed}
    extra = [str(registry.read(doc, f)) for f in fields
             if f.searchable and not f.indexed and registry.read(doc, f) not in (None, "")]
    content = "\n".join([text, *extra]) if extra else text
    return IndexDoc(id=doc.id, title=doc.title, content=content, agency_id=doc.agency_id,
                    stamp=stamp(doc), agency_name=doc.agency.name, doc_type=doc.doc_type,
                    **known)


def current_text(doc: Document) -> str | None:
    """Extracted text of the current version (None while not yet extracted)."""
    version = db.session.execute(select(DocumentVersion).where(
        DocumentVersion.document_id == doc.id,
        DocumentVersion.version_no == doc.current_version_no)).scalar_one()
    if version.text_status == "pending":
        return None
    return version.extracted_text or ""


def user_words() -> list[str]:
    """Words for the analyser's dictionary from the database (agency names)."""
    return list(db.session.execute(select(Agency.name)).scalars())
