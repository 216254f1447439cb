"""Supplementary agreements (补充协议) to engagements, and the clause library (条款库)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, TimestampMixin, utcnow
from .engagements import ContractTemplate, Engagement

SUPPLEMENT_STATUSES = ("draft", "signed", "filed")


class SupplementaryAgreement(TimestampMixin, Model):
    """A change to a signed engagement: fee, term or lawyers, in force from ``effective_date``.

    ``new_annual_fee``/``new_end_date`` are ``None`` when the agreement does not change
    them; ``lawyer_change`` is ``{"mode": "add"|"replace", "added": [{name, licence_no,
    advisor_id}], "removed": [names]}`` or ``None``.
    """

    __tablename__ = "supplementary_agreements"
    __table_args__ = (UniqueConstraint("year", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), index=True)
    agreement_no: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column()
    seq: Mapped[int] = mapped_column()
    template_id: Mapped[int | None] = mapped_column(ForeignKey("contract_templates.id"))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    effective_date: Mapped[date] = mapped_column()
    new_annual_fee: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    new_end_date: Mapped[date | None] = mapped_column()
    lawyer_change: Mapped[dict | None] = mapped_column(JSON)
    pool_override_reason: Mapped[str | None] = mapped_column(Text)
    signed_on: Mapped[date | None] = mapped_column()
    filed_on: Mapped[date | None] = mapped_column()
    filing_no: Mapped[str | None] = mapped_column(String(64))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    signed_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    engagement: Mapped[Engagement] = relationship()
    template: Mapped[ContractTemplate | None] = relationship()


class ContractClause(Model):
    """One version of a named clause text of the clause library (offered by templates)."""

    __tablename__ = "contract_clauses"
    __table_args__ = (UniqueConstraint("name", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
