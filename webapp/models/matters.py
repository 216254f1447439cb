"""Legal matters (法律事务), their recommendations, the working-day calendar, reminders
and advisor evaluations (issue #13).

A matter is an agency's request to its advisor(s): a major decision's legality review,
a normative document, a contract, a lawsuit, a petition or anything else
(``MATTER_KINDS``, the keys of ``LABELS["matter_kind"]`` — one list, declared once).
Its materials and its opinion are registered documents (``MatterDocument``); each
recommendation of the opinion is a row with its adoption (``Recommendation``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..messages import LABELS
from .base import Model, TimestampMixin, utcnow
from .documents import Document
from .org import Advisor, Agency

MATTER_KINDS = tuple(LABELS["matter_kind"])
MATTER_STATUSES = tuple(LABELS["matter_status"])
ADOPTIONS = tuple(LABELS["adoption"])
CALENDAR_KINDS = ("holiday", "workday")


class LegalMatter(TimestampMixin, Model):
    """One request of an agency to its advisor(s), from submission to closing."""

    __tablename__ = "legal_matters"
    __table_args__ = (UniqueConstraint("year", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_no: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column()
    seq: Mapped[int] = mapped_column()
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    meeting_type: Mapped[str | None] = mapped_column(String(32), index=True)
    matter_area: Mapped[str | None] = mapped_column(String(32), index=True)
    classified: Mapped[bool] = mapped_column(default=False, index=True)
    status: Mapped[str] = mapped_column(String(24), default="submitted", index=True)
    requested_on: Mapped[date] = mapped_column(index=True)
    due_on: Mapped[date] = mapped_column(index=True)
    paused_days: Mapped[int] = mapped_column(default=0)
    returned_on: Mapped[date | None] = mapped_column()
    return_reason: Mapped[str | None] = mapped_column(Text)
    accepted_on: Mapped[date | None] = mapped_column()
    answered_on: Mapped[date | None] = mapped_column(index=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opinion_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    adoption_recorded_on: Mapped[date | None] = mapped_column()
    closed_on: Mapped[date | None] = mapped_column()
    withdrawn_on: Mapped[date | None] = mapped_column()
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_demo: Mapped[bool] = mapped_column(default=False)

    agency: Mapped[Agency] = relationship()
    opinion: Mapped[Document | None] = relationship(foreign_keys=[opinion_document_id])
    assignments: Mapped[list[MatterAdvisor]] = relationship(
        back_populates="matter", cascade="all, delete-orphan", order_by="MatterAdvisor.id")
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="matter", cascade="all, delete-orphan", order_by="Recommendation.position")
    materials: Mapped[list[MatterDocument]] = relationship(
        back_populates="matter", cascade="all, delete-orphan", order_by="MatterDocument.id")

    @property
    def advisor_ids(self) -> list[int]:
        """Ids of the advisors the matter is assigned to."""
        return [a.advisor_id for a in self.assignments]

    def is_overdue(self, today: date) -> bool:
        """Open (submitted or accepted; a returned matter's clock is paused) past its due date."""
        return self.status in ("submitted", "accepted") and self.due_on < today

    @property
    def answered_late(self) -> bool:
        """Answered after the due date."""
        return self.answered_on is not None and self.answered_on > self.due_on


class MatterAdvisor(Model):
    """An advisor a matter is assigned to."""

    __tablename__ = "matter_advisors"
    __table_args__ = (UniqueConstraint("matter_id", "advisor_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("legal_matters.id"), index=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("advisors.id"), index=True)

    matter: Mapped[LegalMatter] = relationship(back_populates="assignments")
    advisor: Mapped[Advisor] = relationship()


class MatterDocument(Model):
    """A registered document of a matter: a material (材料) or its opinion (意见)."""

    __tablename__ = "matter_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("legal_matters.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="material")

    matter: Mapped[LegalMatter] = relationship(back_populates="materials")
    document: Mapped[Document] = relationship()


class Recommendation(Model):
    """One recommendation of an opinion and whether the agency adopted it."""

    __tablename__ = "recommendations"
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("legal_matters.id"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(Text)
    adoption: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_on: Mapped[date | None] = mapped_column()

    matter: Mapped[LegalMatter] = relationship(back_populates="recommendations")


class CalendarDay(Model):
    """A public holiday on a weekday, or a swapped workday on a weekend (调休上班)."""

    __tablename__ = "calendar_days"
    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(200))


class Notification(Model):
    """One in-app message (站内信) to one user; ``key`` makes each reminder unique."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(200))
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("legal_matters.id"), index=True)
    due_on: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column()
    emailed_at: Mapped[datetime | None] = mapped_column()


class NotificationAddress(Model):
    """Where a user wants reminder e-mails (set in 站内信; only used with GOVCOUNSEL_SMTP_URL)."""

    __tablename__ = "notification_addresses"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(120))


class CalendarFeed(Model):
    """A user's secret calendar-feed token (only its SHA-256 is stored); revocable."""

    __tablename__ = "calendar_feeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()


class EvaluationForm(Model):
    """The admin's evaluation form (考核表) of a year: items with their maximum points."""

    __tablename__ = "evaluation_forms"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    items: Mapped[list] = mapped_column(JSON, default=list)  # [{"code","name","max"}]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AdvisorEvaluation(Model):
    """An agency's yearly evaluation of an advisor it engaged (双向考核)."""

    __tablename__ = "advisor_evaluations"
    __table_args__ = (UniqueConstraint("year", "agency_id", "advisor_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("advisors.id"), index=True)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    total: Mapped[float] = mapped_column(Numeric(6, 2))
    complaints: Mapped[int] = mapped_column(default=0)
    comment: Mapped[str | None] = mapped_column(Text)
    evaluated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agency: Mapped[Agency] = relationship()
    advisor: Mapped[Advisor] = relationship()
