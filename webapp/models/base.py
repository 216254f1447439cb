"""Shared column helpers and the enumerations of the domain vocabulary."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

AGENCY_CATEGORIES = ("party_committee", "government_dept", "county_district", "stationed_unit")
ADVISOR_KINDS = ("scholar", "lawyer", "public_lawyer")
POOL_CATEGORIES = ("scholar", "firm", "lawyer")
POOL_STATUSES = ("admitted", "renewed", "suspended", "removed")
ROLES = ("admin", "clerk", "advisor", "auditor")
DOC_TYPES = ("legal_opinion", "legality_review", "risk_assessment", "review_report",
             "contract", "other")
MATTER_AREAS = ("major_investment", "investment_promotion", "state_asset_disposal",
                "soe_listing", "major_dispute", "bidding")
MEETING_TYPES = ("standing_committee", "executive_meeting", "party_group", "office_meeting",
                 "leading_group")
SERVICE_TYPES = ("major_decision", "normative_document", "litigation", "contract_review",
                 "training")
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
