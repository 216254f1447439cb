"""Engagement contracts (聘任合同) and the versioned standard template (通用样本)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, TimestampMixin, utcnow
from .org import Advisor, Agency, LawFirm


class ContractTemplate(Model):
    """One version of a contract template of one kind: the .docx blob and its field manifest."""

    __tablename__ = "contract_templates"
    __table_args__ = (UniqueConstraint("kind", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="standard", server_default="standard")
    version: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64))
    manifest: Mapped[dict] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str | None] = mapped_column(Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Engagement(TimestampMixin, Model):
    """An agency's engagement of an advisor or firm, from draft to filing and expiry."""

    __tablename__ = "engagements"
    __table_args__ = (UniqueConstraint("kind", "year", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="standard", server_default="standard",
                                      index=True)
    contract_no: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column()
    seq: Mapped[int] = mapped_column()
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("advisors.id"), index=True)
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("law_firms.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("contract_templates.id"))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    clauses: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column(index=True)
    annual_fee: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    services: Mapped[list] = mapped_column(JSON, default=list)
    signed_on: Mapped[date | None] = mapped_column()
    filing_due_on: Mapped[date | None] = mapped_column()
    filed_on: Mapped[date | None] = mapped_column()
    filing_no: Mapped[str | None] = mapped_column(String(64))
    terminated_on: Mapped[date | None] = mapped_column()
    termination_reason: Mapped[str | None] = mapped_column(Text)
    renewed_from_id: Mapped[int | None] = mapped_column(ForeignKey("engagements.id"))
    pool_override_reason: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    signed_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_demo: Mapped[bool] = mapped_column(default=False)

    agency: Mapped[Agency] = relationship()
    advisor: Mapped[Advisor | None] = relationship()
    firm: Mapped[LawFirm | None] = relationship()
    template: Mapped[ContractTemplate | None] = relationship()
