"""Agencies, law firms, advisors and the talent pool (法律顾问人才库)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, TimestampMixin


class Agency(TimestampMixin, Model):
    """A party or government body (党政机关 / 单位) supervised by the Justice Bureau."""

    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    is_classified_unit: Mapped[bool] = mapped_column(default=False)
    legal_rep: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)


class LawFirm(TimestampMixin, Model):
    """A law firm (律师事务所) whose lawyers serve as advisors."""

    __tablename__ = "law_firms"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    licence_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    leader: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)

    advisors: Mapped[list[Advisor]] = relationship(back_populates="firm")


class Advisor(TimestampMixin, Model):
    """A legal advisor (法律顾问): legal scholar, lawyer or public lawyer."""

    __tablename__ = "advisors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("law_firms.id"), index=True)
    licence_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    title: Mapped[str | None] = mapped_column(String(64))
    specialties: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)

    firm: Mapped[LawFirm | None] = relationship(back_populates="advisors")


class TalentPoolEntry(TimestampMixin, Model):
    """Membership of a scholar, firm or lawyer in the talent pool, with its life cycle."""

    __tablename__ = "talent_pool_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(16), index=True)
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("advisors.id"), index=True)
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("law_firms.id"), index=True)
    specialties: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="admitted", index=True)
    admitted_on: Mapped[date] = mapped_column()
    renewed_on: Mapped[date | None] = mapped_column()
    suspended_on: Mapped[date | None] = mapped_column()
    removed_on: Mapped[date | None] = mapped_column()
    status_reason: Mapped[str | None] = mapped_column(Text)
    last_review_year: Mapped[int | None] = mapped_column()
    last_review_result: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(default=False)

    advisor: Mapped[Advisor | None] = relationship()
    firm: Mapped[LawFirm | None] = relationship()

    @property
    def is_available(self) -> bool:
        """True when the member may be chosen for an engagement (active, not suspended)."""
        return self.status in ("admitted", "renewed")
