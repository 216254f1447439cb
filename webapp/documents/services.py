"""Document rules: register an upload, add versions, edit metadata, soft-delete.

Every change happens in one transaction with its audit event and its index job
(outbox), and is flushed, not committed: the unit of work (``webapp.transaction``:
the request, or ``with unit_of_work()``) commits once. Files are stored through
``intake.incoming()``, which removes them again when the unit of work rolls back.
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import select

from .. import policy
from ..assessments.linking import record_for
from ..audit import services as audit
from ..errors import DomainError, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import Advisor, Agency, Document, DocumentVersion, IndexJob, User, utcnow
from ..numbering import format_number, next_seq
from .intake import Received, incoming
from .schemas import DocumentMeta, MetaChange

AUDITED_FIELDS = ("agency_id", "doc_type", "title", "advisor_id", "issued_on", "service_type",
                  "matter_area", "meeting_type", "recommendations", "classified", "notes")


def enqueue_index(doc: Document, action: str = "upsert") -> None:
    """Write the outbox row for ``doc`` in the current transaction."""
    doc.index_status = "pending"
    db.session.add(IndexJob(document_id=doc.id, action=action))


def _snapshot(doc: Document) -> dict[str, Any]:
    return {f: getattr(doc, f) for f in AUDITED_FIELDS}


def _check_refs(user: User, meta: DocumentMeta) -> tuple[Agency, int | None]:
    agency = db.session.get(Agency, meta.agency_id)
    if agency is None or not agency.active:
        raise ValidationFailed({"agency_id": error_text("unknown_agency", value=meta.agency_id)})
    if not policy.can(user, "document.upload_for", agency.id):
        raise Forbidden(error_text("upload_not_allowed"))
    advisor_id = meta.advisor_id
    if user.role == "advisor":
        advisor_id = user.advisor_id
    elif advisor_id is not None and db.session.get(Advisor, advisor_id) is None:
        raise ValidationFailed({"advisor_id": error_text("unknown_advisor", value=advisor_id)})
    return agency, advisor_id


def _new_version(doc: Document, received: Received, user: User, number: int,
                 comment: str | None = None) -> DocumentVersion:
    version = DocumentVersion(document_id=doc.id, version_no=number, sha256=received.sha256,
                              size=received.size, filename=received.filename,
                              kind=received.kind, pages=received.pages,
                              needs_ocr=received.needs_ocr, uploaded_by_id=user.id,
                              comment=comment, text_status="pending")
    db.session.add(version)
    return version


def create_document(user: User, meta: DocumentMeta, stream: BinaryIO,
                    filename: str | None, *, is_demo: bool = False) -> Document:
    """Validate, store and register one uploaded file as a new document (flush only)."""
    policy.require(user, "document.create")
    agency, advisor_id = _check_refs(user, meta)
    received = incoming().receive(stream, filename)
    values = {**meta.model_dump(exclude={"agency_id"}), "advisor_id": advisor_id}
    return register(user, received, agency, values, is_demo=is_demo)


def register(user: User, received: Received, agency: Agency, values: dict[str, Any], *,
             engagement_id: int | None = None, is_demo: bool = False) -> Document:
    """Register a stored file as a new document of ``agency`` (flush only): registration
    number, first version, assessment-quarter link, audit event and index job. ``values``
    are the document's fields (a missing title is taken from the file name)."""
    year = date.today().year
    seq = next_seq("registration", year)
    number = format_number(current_app.config["GOVCOUNSEL_REGISTRATION_PATTERN"], year, seq)
    title = values.get("title") or PurePath(received.filename).stem[:200] or \
        received.filename[:200]
    doc = Document(**{**values, "title": title}, registration_no=number, reg_year=year,
                   reg_seq=seq, agency_id=agency.id, engagement_id=engagement_id,
                   sha256=received.sha256, created_by_id=user.id, is_demo=is_demo)
    doc.assessment_record_id = record_for(agency.id, doc.issued_on or date.today()).id
    db.session.add(doc)
    db.session.flush()
    _new_version(doc, received, user, 1)
    audit.record("document_created", object_type="document", object_id=doc.id, actor=user,
                 detail={"registration_no": number, "sha256": received.sha256,
                         "size": received.size, "filename": received.filename,
                         "engagement_id": engagement_id, "after": _snapshot(doc)})
    enqueue_index(doc)
    return doc


def add_version(user: User, doc: Document, stream: BinaryIO, filename: str | None,
                comment: str | None = None) -> DocumentVersion:
    """Store a corrected file as the next version; old versions stay (flush only)."""
    policy.require(user, "document.change", doc)
    return store_version(user, doc, incoming().receive(stream, filename), comment)


def store_version(user: User, doc: Document, received: Received,
                  comment: str | None = None) -> DocumentVersion:
    """Make a stored file the next version of ``doc`` (flush only; the caller checked
    the policy — an upload, or an engagement's regenerated draft)."""
    number = doc.current_version_no + 1
    version = _new_version(doc, received, user, number, comment)
    doc.current_version_no, doc.sha256 = number, received.sha256
    doc.meta_version += 1
    audit.record("document_version_added", object_type="document", object_id=doc.id,
                 actor=user, detail={"version": number, "sha256": received.sha256,
                                     "size": received.size, "filename": received.filename,
                                     "comment": comment})
    enqueue_index(doc)
    return version


def update_metadata(user: User, doc: Document, change: MetaChange) -> Document:
    """Apply the fields present in ``change``; audited with before/after (flush only)."""
    policy.require(user, "document.change", doc)
    values = change.model_dump(exclude_unset=True)
    if "agency_id" in values and values["agency_id"] != doc.agency_id:
        meta = DocumentMeta(agency_id=values["agency_id"], doc_type=doc.doc_type)
        _check_refs(user, meta)
    before = _snapshot(doc)
    for field, value in values.items():
        if field in ("agency_id", "doc_type") and value is None:
            continue
        setattr(doc, field, value)
    after = _snapshot(doc)
    changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    if not changed:
        return doc
    if {"agency_id", "issued_on"} & set(changed):
        doc.assessment_record_id = record_for(doc.agency_id, doc.issued_on or date.today()).id
    doc.meta_version += 1
    audit.record("document_updated", object_type="document", object_id=doc.id, actor=user,
                 detail={"changes": changed})
    enqueue_index(doc)
    return doc


def soft_delete(user: User, doc: Document, reason: str | None) -> None:
    """Mark deleted with a reason (admin only); its versions and blobs are kept."""
    policy.require(user, "document.delete", doc)
    if not reason or not reason.strip():
        raise ValidationFailed({"reason": error_text("deletion_reason_required")})
    if doc.deleted_at is not None:
        raise DomainError("document_deleted", status=409)
    doc.deleted_at, doc.deleted_by_id = utcnow(), user.id
    doc.deletion_reason = reason.strip()[:2000]
    doc.meta_version += 1
    audit.record("document_deleted", object_type="document", object_id=doc.id, actor=user,
                 detail={"reason": doc.deletion_reason, "registration_no": doc.registration_no})
    enqueue_index(doc, action="delete")


def get_visible(user: User, doc_id: int) -> Document:
    """The document if ``user`` may view it; 404 when absent, 403 when refused (audited by
    the error handler). A read: it writes nothing. The refusal names nothing of the
    document (no title, no agency)."""
    doc = db.session.get(Document, doc_id)
    if doc is None or doc.deleted_at is not None:
        raise NotFound()
    policy.require(user, "document.view", doc)
    return doc


def record_access(user: User, doc: Document, action: str, version_no: int | None = None) -> None:
    """Audit a download, and any view of a classified document (caller commits)."""
    if action == "view" and not doc.classified:
        return
    name = "document_downloaded" if action == "download" else "classified_document_viewed"
    audit.record(name, object_type="document", object_id=doc.id, actor=user,
                 detail={"version": version_no or doc.current_version_no})


def current_version(doc: Document) -> DocumentVersion:
    """The newest version of ``doc``."""
    return db.session.execute(select(DocumentVersion).where(
        DocumentVersion.document_id == doc.id,
        DocumentVersion.version_no == doc.current_version_no)).scalar_one()
