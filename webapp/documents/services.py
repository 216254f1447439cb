"""Document rules: register an upload, add versions, edit metadata, soft-delete.

Every change happens in one transaction with its audit event and its index job
(outbox), and is flushed, not committed: the unit of work (``webapp.transaction``:
the request, or ``with unit_of_work()``) commits once. Files are stored through
``intake.incoming()``, which removes them again when the unit of work rolls back.
"""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO

from flask import current_app
from pydantic import BaseModel
from sqlalchemy import select

from .. import policy
from ..assessments.linking import record_for
from ..audit import services as audit
from ..errors import DomainError, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import Advisor, Agency, Document, DocumentVersion, IndexJob, User, utcnow
from ..numbering import format_number, next_seq
from . import duplicates, registry
from .duplicates import DuplicateChoice
from .intake import Received, incoming
from .registry import all_fields
from .schemas import DocumentMeta, title_from_filename

LINKS = {"agency": (Agency, "unknown_agency"), "advisor": (Advisor, "unknown_advisor")}


def enqueue_index(doc: Document, action: str = "upsert") -> None:
    """Write the outbox row for ``doc`` in the current transaction."""
    doc.index_status = "pending"
    db.session.add(IndexJob(document_id=doc.id, action=action))


def _snapshot(doc: Document) -> dict[str, Any]:
    """The audited values: agency, type and every audited field of the registry."""
    audited = tuple(f for f in all_fields() if f.audited)
    return {"agency_id": doc.agency_id, "doc_type": doc.doc_type,
            **registry.values(doc, audited)}


def _agency_for(user: User, agency_id: int) -> Agency:
    agency = db.session.get(Agency, agency_id)
    if agency is None or not agency.active:
        raise ValidationFailed({"agency_id": error_text("unknown_agency", value=agency_id)})
    if not policy.can(user, "document.upload_for", agency.id):
        raise Forbidden(error_text("upload_not_allowed"))
    return agency


def _link_problem(kind: str, value: int) -> str | None:
    """Why ``value`` cannot be linked (unknown, or inactive) — the same check on upload
    and on edit; None when it can."""
    model, code = LINKS[kind]
    obj = db.session.get(model, value)
    if obj is None:
        return error_text(code, value=value)
    if not getattr(obj, "active", True):
        return error_text("unknown_agency" if kind == "agency" else "inactive_advisor",
                          value=obj.name)
    return None


def _own_values(user: User, values: dict[str, Any], doc: Document | None) -> dict[str, Any]:
    """``values`` without what ``user``'s role does not set (an advisor is the advisor of
    what they submit), every link checked to exist (422 naming the field)."""
    errors: dict[str, str] = {}
    for spec in all_fields():
        if spec.name not in values:
            continue
        value = values[spec.name]
        unchanged = doc is not None and registry.read(doc, spec) == value
        if user.role in spec.hidden_for:
            if doc is not None and not unchanged and value is not None:
                raise Forbidden(error_text("advisor_not_changeable"), action="document.change",
                                object_type="document", object_id=doc.id)
            values.pop(spec.name)
            continue
        problem = spec.kind in LINKS and value is not None and not unchanged \
            and _link_problem(spec.kind, value)
        if problem:
            errors[spec.name] = problem
    if errors:
        raise ValidationFailed(errors)
    if user.role == "advisor" and doc is None:
        values["advisor_id"] = user.advisor_id
    return values


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
                    filename: str | None, *, is_demo: bool = False,
                    duplicate: DuplicateChoice | None = None) -> Document:
    """Validate, store and register one uploaded file as a new document (flush only).
    A file already registered for the agency is refused (409, ``DuplicateDocument``)
    unless ``duplicate`` allows it with a reason."""
    policy.require(user, "document.create")
    agency = _agency_for(user, meta.agency_id)
    values = _own_values(user, meta.model_dump(exclude={"agency_id"}), None)
    received = incoming().receive(stream, filename)
    original = duplicates.check(user, agency.id, received.sha256, duplicate)
    doc = register(user, received, agency, values, is_demo=is_demo)
    if original is not None:
        audit.record("document_duplicate_registered", object_type="document",
                     object_id=doc.id, actor=user,
                     detail={"duplicate_of": original.id,
                             "duplicate_of_registration_no": original.registration_no,
                             "reason": duplicate.duplicate_reason if duplicate else None})
    return doc


def register(user: User, received: Received, agency: Agency, values: dict[str, Any], *,
             engagement_id: int | None = None, is_demo: bool = False) -> Document:
    """Register a stored file as a new document of ``agency`` (flush only): registration
    number, first version, assessment-quarter link, audit event and index job. ``values``
    are the document's fields (a missing title is taken from the file name)."""
    year = date.today().year
    seq = next_seq("registration", year)
    number = format_number(current_app.config["GOVCOUNSEL_REGISTRATION_PATTERN"], year, seq)
    title = values.get("title") or title_from_filename(received.filename)
    doc = Document(registration_no=number, reg_year=year, reg_seq=seq, agency_id=agency.id,
                   doc_type=values["doc_type"], engagement_id=engagement_id,
                   sha256=received.sha256, created_by_id=user.id, is_demo=is_demo)
    for spec in all_fields():
        value = values.get(spec.name, spec.default)
        registry.write(doc, spec, value if value is not None or spec.kind != "bool" else False)
    doc.title = title
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
    require_changeable(user, doc)
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


def require_changeable(user: User, doc: Document, action: str = "document.change") -> None:
    """Refuse a change of ``doc`` as a document: 409 for an engagement's contract or signed
    scan (terms freeze: they change only through the engagement's life cycle), else the
    policy's answer for ``action``."""
    if doc.engagement_id is not None and doc.deleted_at is None:
        raise DomainError("contract_document_frozen", status=409)
    policy.require(user, action, doc)


def update_metadata(user: User, doc: Document, change: BaseModel) -> Document:
    """Apply the fields present in ``change`` (a ``MetaChange``); audited with
    before/after (flush only)."""
    require_changeable(user, doc)
    values = _own_values(user, change.model_dump(exclude_unset=True), doc)
    before = _snapshot(doc)
    if values.get("agency_id") not in (None, doc.agency_id):
        doc.agency_id = _agency_for(user, values["agency_id"]).id
    if values.get("doc_type") is not None:
        doc.doc_type = values["doc_type"]
    for spec in all_fields():
        if spec.name in values:
            registry.write(doc, spec, values[spec.name])
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
    require_changeable(user, doc, "document.delete")
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
    """The document if ``user`` may view it; 404 when absent and when refused (the refusal
    audited by the error handler, answered like a missing id). A read: it writes
    nothing. The refusal names nothing of the document (no title, no agency)."""
    doc = db.session.get(Document, doc_id)
    if doc is None or doc.deleted_at is not None:
        raise NotFound()
    policy.require_visible(user, "document.view", doc)
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
