"""Documents, their immutable versions, and the index outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, TimestampMixin, utcnow
from .org import Advisor, Agency


class Document(TimestampMixin, Model):
    """A registered document (法律意见书, 合法性审查意见, …) of one agency."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("reg_year", "reg_seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_no: Mapped[str] = mapped_column(String(64), unique=True)
    reg_year: Mapped[int] = mapped_column()
    reg_seq: Mapped[int] = mapped_column()
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(200))
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("advisors.id"), index=True)
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagements.id", use_alter=True))
    issued_on: Mapped[date | None] = mapped_column(index=True)
    service_type: Mapped[str | None] = mapped_column(String(32), index=True)
    matter_area: Mapped[str | None] = mapped_column(String(32), index=True)
    meeting_type: Mapped[str | None] = mapped_column(String(32), index=True)
    recommendations: Mapped[int] = mapped_column(default=0)
    classified: Mapped[bool] = mapped_column(default=False, index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    assessment_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_records.id"), index=True)
    current_version_no: Mapped[int] = mapped_column(default=1)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    meta_version: Mapped[int] = mapped_column(default=1)
    index_status: Mapped[str] = mapped_column(String(16), default="pending")
    index_error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[datetime | None] = mapped_column()
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deletion_reason: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(default=False)
    extra: Mapped[dict | None] = mapped_column(JSON)  # fields without a column (registry)

    agency: Mapped[Agency] = relationship()
    advisor: Mapped[Advisor | None] = relationship()
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.version_no")


class DocumentVersion(Model):
    """One uploaded file of a document; never overwritten."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "version_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    version_no: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column()
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    pages: Mapped[int | None] = mapped_column()
    needs_ocr: Mapped[bool] = mapped_column(default=False)
    text_status: Mapped[str] = mapped_column(String(16), default="pending")
    extracted_text: Mapped[str | None] = mapped_column(Text)
    extract_error: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    # scans (#14): OCR state and progress, and per page: text source, confidence, error
    ocr_status: Mapped[str | None] = mapped_column(String(16))
    ocr_done: Mapped[int | None] = mapped_column()
    ocr_total: Mapped[int | None] = mapped_column()
    ocr_error: Mapped[str | None] = mapped_column(Text)
    page_info: Mapped[list | None] = mapped_column(JSON)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versions")


class IndexJob(Model):
    """Outbox row: written in the same transaction as the document change it reflects."""

    __tablename__ = "index_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(16), default="upsert")
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Counter(Model):
    """Gap-free sequence per (name, year); incremented inside the using transaction."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class InstanceSetting(Model):
    """A setting an admin changed in 系统设置 (overrides the default, not the environment)."""

    __tablename__ = "instance_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DocumentField(Model):
    """A custom metadata field an admin added in 系统设置 (values in ``documents.extra``)."""

    __tablename__ = "document_fields"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    label: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    doc_types: Mapped[list] = mapped_column(JSON, default=list)
    choices: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)
    filterable: Mapped[bool] = mapped_column(default=True)
    searchable: Mapped[bool] = mapped_column(default=False)
    exported: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
