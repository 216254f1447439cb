"""Filtering the audit trail (UI, export and API share this)."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Select, or_, select

from .. import clock
from ..models import AuditEvent, User
from ..validation import blank_to_none


class AuditFilters(BaseModel):
    """Filters of the audit trail; blank values count as absent."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    action: str | None = Field(default=None, max_length=48)
    actor: str | None = Field(default=None, max_length=64)
    object_type: str | None = Field(default=None, max_length=32)
    object_id: str | None = Field(default=None, max_length=64)
    date_from: date | None = None
    date_to: date | None = None
    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=50, ge=1, le=500)

    @field_validator("*", mode="before")
    @classmethod
    def _blank(cls, value):
        return blank_to_none(value)


def statement(f: AuditFilters) -> Select:
    """Events matching ``f``, newest first."""
    stmt = select(AuditEvent)
    if f.action:
        stmt = stmt.where(AuditEvent.action == f.action)
    if f.actor:
        named = select(User.id).where(User.display_name == f.actor)
        stmt = stmt.where(or_(AuditEvent.actor_name == f.actor, AuditEvent.actor_id.in_(named)))
    if f.object_type:
        stmt = stmt.where(AuditEvent.object_type == f.object_type)
    if f.object_id:
        stmt = stmt.where(AuditEvent.object_id == f.object_id)
    # Event times are stored in UTC; the filter dates are local dates (GOVCOUNSEL_TIMEZONE).
    if f.date_from:
        stmt = stmt.where(AuditEvent.at >= clock.utc_start(f.date_from))
    if f.date_to:
        stmt = stmt.where(AuditEvent.at < clock.utc_start(f.date_to + timedelta(days=1)))
    return stmt.order_by(AuditEvent.seq.desc())
