"""Quarterly assessment (季度督察考评): versioned criteria, records and amendments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, utcnow
from .org import Agency


class AssessmentCriteria(Model):
    """A version of the scoring standard; applies from ``valid_from`` (e.g. 2022Q1) on."""

    __tablename__ = "assessment_criteria"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(128))
    valid_from: Mapped[str] = mapped_column(String(6))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    items: Mapped[list[AssessmentItem]] = relationship(
        back_populates="criteria", order_by="AssessmentItem.position")


class AssessmentItem(Model):
    """One scoring item: maximum points, and whether scored by hand or from an indicator."""

    __tablename__ = "assessment_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_id: Mapped[int] = mapped_column(ForeignKey("assessment_criteria.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(128))
    max_points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    method: Mapped[str] = mapped_column(String(16), default="manual")
    indicator: Mapped[str | None] = mapped_column(String(64))
    rule: Mapped[dict | None] = mapped_column(JSON)

    criteria: Mapped[AssessmentCriteria] = relationship(back_populates="items")


class AssessmentRecord(Model):
    """An agency's record for one quarter: item scores, total, rank and consequences."""

    __tablename__ = "assessment_records"
    __table_args__ = (UniqueConstraint("agency_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    period: Mapped[str] = mapped_column(String(6), index=True)
    year: Mapped[int] = mapped_column(index=True)
    quarter: Mapped[int] = mapped_column()
    criteria_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_criteria.id"))
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    total: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    rank: Mapped[int | None] = mapped_column()
    bottom_five: Mapped[bool] = mapped_column(default=False)
    accountability_interview: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="open")
    published: Mapped[bool] = mapped_column(default=False)
    finalised_at: Mapped[datetime | None] = mapped_column()
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agency: Mapped[Agency] = relationship()
    criteria: Mapped[AssessmentCriteria | None] = relationship()


class AssessmentAmendment(Model):
    """A correction of a finalised record, with its reason and before/after scores."""

    __tablename__ = "assessment_amendments"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("assessment_records.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
