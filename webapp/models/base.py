"""Shared column helpers and the enumerations of the domain vocabulary."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..messages import LABELS

AGENCY_CATEGORIES = ("party_committee", "government_dept", "county_district", "stationed_unit")
ADVISOR_KINDS = ("scholar", "lawyer", "public_lawyer")
POOL_CATEGORIES = ("scholar", "firm", "lawyer")
POOL_STATUSES = ("admitted", "renewed", "suspended", "removed")
ROLES = ("admin", "clerk", "advisor", "auditor")
# The document vocabularies are their labels' keys (webapp/messages.py): one entry each.
DOC_TYPES = tuple(LABELS["doc_type"])
MATTER_AREAS = tuple(LABELS["matter_area"])
MEETING_TYPES = tuple(LABELS["meeting_type"])
SERVICE_TYPES = tuple(LABELS["service_type"])
ENGAGEMENT_STATUSES = ("draft", "signed", "filed", "active", "expired", "renewed", "terminated")
INDEX_STATUSES = ("pending", "indexed", "failed")


def utcnow() -> datetime:
    """Current UTC time as a naive datetime (the database stores UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


class TimestampMixin:
    """created_at / updated_at columns kept by the ORM."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


Model = db.Model
