"""How a document is shown in JSON (the API) — one shape for list, detail and upload."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from ..extensions import db
from ..messages import label
from ..models import AssessmentRecord, Document, DocumentVersion
from ..schema_types import UtcDateTime


class VersionOut(BaseModel):
    """One stored version of a document."""

    version_no: int
    sha256: str
    size: int
    filename: str
    kind: str
    pages: int | None
    needs_ocr: bool
    text_status: str
    uploaded_at: UtcDateTime


class DocumentOut(BaseModel):
    """A document's metadata, registration and index state."""

    id: int
    registration_no: str
    title: str
    agency_id: int
    agency: str
    doc_type: str
    doc_type_label: str
    advisor_id: int | None
    advisor: str | None
    issued_on: date | None
    service_type: str | None
    matter_area: str | None
    meeting_type: str | None
    recommendations: int
    classified: bool
    notes: str | None
    sha256: str
    current_version: int
    assessment_record_id: int | None
    assessment_period: str | None
    index_status: str
    created_at: UtcDateTime
    versions: list[VersionOut] | None = None


class DocumentList(BaseModel):
    """A page of documents."""

    total: int
    page: int
    per_page: int
    items: list[DocumentOut]


def document_out(doc: Document, with_versions: bool = False) -> DocumentOut:
    """The JSON view of ``doc``."""
    period = None
    if doc.assessment_record_id:
        record = db.session.get(AssessmentRecord, doc.assessment_record_id)
        period = record.period if record else None
    versions = None
    if with_versions:
        versions = [version_out(v) for v in doc.versions]
    return DocumentOut(
        id=doc.id, registration_no=doc.registration_no, title=doc.title,
        agency_id=doc.agency_id, agency=doc.agency.name, doc_type=doc.doc_type,
        doc_type_label=label("doc_type", doc.doc_type), advisor_id=doc.advisor_id,
        advisor=doc.advisor.name if doc.advisor else None, issued_on=doc.issued_on,
        service_type=doc.service_type, matter_area=doc.matter_area,
        meeting_type=doc.meeting_type, recommendations=doc.recommendations,
        classified=doc.classified, notes=doc.notes, sha256=doc.sha256,
        current_version=doc.current_version_no, assessment_record_id=doc.assessment_record_id,
        assessment_period=period, index_status=doc.index_status, created_at=doc.created_at,
        versions=versions)


def version_out(v: DocumentVersion) -> VersionOut:
    """The JSON view of one version."""
    return VersionOut(version_no=v.version_no, sha256=v.sha256, size=v.size,
                      filename=v.filename, kind=v.kind, pages=v.pages, needs_ocr=v.needs_ocr,
                      text_status=v.text_status, uploaded_at=v.uploaded_at)
