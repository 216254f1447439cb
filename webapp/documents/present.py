"""How a document is shown in JSON (the API) — one shape for list, detail and upload,
built from the field registry (see ``schemas``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field, create_model

from ..extensions import db
from ..messages import label
from ..models import AssessmentRecord, Document, DocumentVersion
from ..schema_types import UtcDateTime
from . import registry
from .registry import FieldSpec, all_fields


class PageOut(BaseModel):
    """Where one page's text came from: its text layer, OCR (with a confidence), or none."""

    page: int
    source: str = Field(description="text-layer | ocr | none")
    confidence: float | None = Field(default=None, description="OCR confidence, 0–1")
    error: str | None = Field(default=None, description="why OCR of this page failed")


class OcrOut(BaseModel):
    """OCR of the current version: ``识别中 done/total 页`` while ``running``."""

    status: str = Field(description="pending | running | done | failed | off")
    done: int
    total: int
    failed_pages: list[int]
    error: str | None = None


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
    ocr: OcrOut | None = None
    page_sources: list[PageOut] | None = None


class _DocumentBase(BaseModel):
    """What every document has besides its fields: registration, agency, type, state."""

    id: int
    registration_no: str
    agency_id: int
    agency: str
    doc_type: str
    doc_type_label: str
    sha256: str
    current_version: int
    assessment_record_id: int | None
    assessment_period: str | None
    index_status: str
    created_at: UtcDateTime
    versions: list[VersionOut] | None = None
    ocr: OcrOut | None = Field(default=None, description="OCR of the current version "
                               "(with versions only; null when it needs none)")


_OUT_TYPES = {"integer": int, "number": float, "bool": bool, "date": date, "agency": int,
              "advisor": int}


@lru_cache(maxsize=64)
def out_model(fields: tuple[FieldSpec, ...]) -> type[BaseModel]:
    """``DocumentOut``: the base plus every field (a link ``x_id`` also gives ``x``, the
    name); the title is always there."""
    extra: dict[str, Any] = {}
    for spec in fields:
        kind = str if spec.name == "title" else _OUT_TYPES.get(spec.kind, str) | None
        extra[spec.name] = (kind, Field(title=spec.label))
        if spec.kind in ("agency", "advisor") and spec.name.endswith("_id"):
            extra[spec.name[:-3]] = (str | None, Field(title=spec.label))
    return create_model("DocumentOut", __base__=_DocumentBase, **extra)


@lru_cache(maxsize=64)
def list_model(fields: tuple[FieldSpec, ...]) -> type[BaseModel]:
    """``DocumentList``: a page of documents."""
    return create_model("DocumentList", total=(int, ...), page=(int, ...),
                        per_page=(int, ...), items=(list[out_model(fields)], ...))


def document_out(doc: Document, with_versions: bool = False) -> BaseModel:
    """The JSON view of ``doc`` (with the fields of the moment)."""
    fields = all_fields()
    period = None
    if doc.assessment_record_id:
        record = db.session.get(AssessmentRecord, doc.assessment_record_id)
        period = record.period if record else None
    values = registry.values(doc, fields)
    for spec in fields:
        if spec.kind in ("agency", "advisor") and spec.name.endswith("_id"):
            values[spec.name[:-3]] = registry.text(spec, values[spec.name]) or None
    return out_model(fields)(
        id=doc.id, registration_no=doc.registration_no, agency_id=doc.agency_id,
        agency=doc.agency.name, doc_type=doc.doc_type,
        doc_type_label=label("doc_type", doc.doc_type), sha256=doc.sha256,
        current_version=doc.current_version_no, assessment_record_id=doc.assessment_record_id,
        assessment_period=period, index_status=doc.index_status, created_at=doc.created_at,
        versions=[version_out(v) for v in doc.versions] if with_versions else None,
        ocr=_current_ocr(doc) if with_versions else None, **values)


def _current_ocr(doc: Document) -> OcrOut | None:
    current = [v for v in doc.versions if v.version_no == doc.current_version_no]
    return ocr_out(current[0]) if current else None


def ocr_out(v: DocumentVersion) -> OcrOut | None:
    """The OCR state of a version (``None`` when it never needed OCR)."""
    if not v.ocr_status:
        return None
    failed = [p["page"] for p in v.page_info or () if p.get("error")]
    return OcrOut(status=v.ocr_status, done=v.ocr_done or 0, total=v.ocr_total or 0,
                  failed_pages=failed, error=v.ocr_error if v.ocr_status == "failed" else None)


def version_out(v: DocumentVersion) -> VersionOut:
    """The JSON view of one version."""
    pages = [PageOut(page=p["page"], source=p["source"], confidence=p.get("confidence"),
                     error=p.get("error")) for p in v.page_info] if v.page_info else None
    return VersionOut(version_no=v.version_no, sha256=v.sha256, size=v.size,
                      filename=v.filename, kind=v.kind, pages=v.pages, needs_ocr=v.needs_ocr,
                      text_status=v.text_status, uploaded_at=v.uploaded_at, ocr=ocr_out(v),
                      page_sources=pages)


def export_table(docs: Iterable[Document]) -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    """Headers and rows of the list export: registration, title, agency, type, every
    exported field (choices and links in words; dates, numbers and flags typed), SHA-256."""
    fields = [f for f in all_fields() if f.exported and f.name != "title"]
    headers = ("登记号", "标题", "单位", "文书类型", *(f.label for f in fields), "SHA-256")

    def cell(spec: FieldSpec, value: Any) -> Any:
        if spec.kind in ("choice", "agency", "advisor"):
            return registry.text(spec, value)
        return value

    rows = ([d.registration_no, d.title, d.agency.name, label("doc_type", d.doc_type),
             *(cell(f, registry.read(d, f)) for f in fields), d.sha256] for d in docs)
    return headers, rows
