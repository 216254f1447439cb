"""Figures for the role dashboards (工作台).

``summary`` gives everyone's counts; ``panel`` adds what the role works on:
the bureau (admin) city-wide figures, overdue filings, expiring contracts,
agencies without an advisor and the current ranking; a clerk their agency's
record, indicators and what is missing; an auditor the registration and audit
summary; an advisor their submissions.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, select

from ..assessments import indicators, reports
from ..assessments.criteria import criteria_of
from ..assessments.periods import current_period
from ..assessments.services import missing_items
from ..audit.services import verify_chain
from ..extensions import db
from ..matters.gate import todos as matter_todos
from ..matters.gate import unreviewed_meeting_items
from ..models import (
    Advisor,
    Agency,
    AssessmentRecord,
    AuditEvent,
    Document,
    Engagement,
    LawFirm,
    TalentPoolEntry,
    User,
)
from ..policy import IN_FORCE_STATUSES, document_scope, engagement_scope
from .checks import missing_for_clerk

EXPIRY_WINDOWS = (30, 60, 90)


def _count(stmt) -> int:
    return db.session.execute(stmt).scalar_one()


def summary(user: User) -> dict[str, Any]:
    """Counts shown on everyone's dashboard, scoped by the access policy."""
    return {
        "agencies": _count(select(func.count(Agency.id)).where(Agency.active.is_(True))),
        "firms": _count(select(func.count(LawFirm.id)).where(LawFirm.active.is_(True))),
        "advisors": _count(select(func.count(Advisor.id)).where(Advisor.active.is_(True))),
        "pool": _count(select(func.count(TalentPoolEntry.id)).where(
            TalentPoolEntry.status.in_(("admitted", "renewed")))),
        "documents": _count(select(func.count(Document.id)).where(document_scope(user))),
    }


def in_force_on(day: date):
    """Engagements in force on ``day`` (signed, filed or active, within their term)."""
    return and_(Engagement.status.in_(IN_FORCE_STATUSES), Engagement.start_date <= day,
                Engagement.end_date >= day)


def overdue_filings(today: date, scope=None) -> list[Engagement]:
    """Signed engagements whose filing deadline has passed without filing."""
    stmt = select(Engagement).where(Engagement.status == "signed",
                                    Engagement.filing_due_on < today)
    if scope is not None:
        stmt = stmt.where(scope)
    return list(db.session.execute(stmt.order_by(Engagement.filing_due_on)).scalars())


def expiring(today: date, scope=None) -> dict[int, list[Engagement]]:
    """Engagements in force ending within 30, 31–60 and 61–90 days."""
    stmt = select(Engagement).where(in_force_on(today),
                                    Engagement.end_date <= today + timedelta(days=90))
    if scope is not None:
        stmt = stmt.where(scope)
    buckets: dict[int, list[Engagement]] = {d: [] for d in EXPIRY_WINDOWS}
    for eng in db.session.execute(stmt.order_by(Engagement.end_date)).scalars():
        days = (eng.end_date - today).days
        buckets[next(d for d in EXPIRY_WINDOWS if days <= d)].append(eng)
    return buckets


def agencies_without_advisor(today: date) -> list[Agency]:
    """Active agencies with no engagement in force today."""
    engaged = select(Engagement.agency_id).where(in_force_on(today))
    return list(db.session.execute(select(Agency).where(
        Agency.active.is_(True), Agency.id.not_in(engaged)).order_by(Agency.code)).scalars())


def _year_documents(year: int):
    return and_(Document.deleted_at.is_(None), Document.issued_on >= date(year, 1, 1),
                Document.issued_on <= date(year, 12, 31))


def admin_panel(user: User, today: date) -> dict[str, Any]:
    """The bureau's view of the whole city."""
    latest = reports.latest_published_period()
    return {
        "figures": {
            "documents_year": _count(select(func.count(Document.id)).where(
                _year_documents(today.year))),
            "services_year": _count(select(func.count(Document.id)).where(
                _year_documents(today.year), Document.service_type.isnot(None))),
            "engagements_in_force": _count(select(func.count(Engagement.id)).where(
                in_force_on(today))),
        },
        "overdue": overdue_filings(today),
        "expiring": expiring(today),
        "without_advisor": agencies_without_advisor(today),
        "ranking": reports.build_ranking(latest, user) if latest else None,
        "unreviewed_meetings": unreviewed_meeting_items(),
    }


def clerk_panel(user: User, today: date) -> dict[str, Any]:
    """A clerk's agency: this quarter's record and indicators, what is missing."""
    period = current_period(today)
    agency_id = user.agency_id
    record = db.session.execute(select(AssessmentRecord).where(
        AssessmentRecord.agency_id == agency_id, AssessmentRecord.period == period)
    ).scalar_one_or_none()
    latest = db.session.execute(select(AssessmentRecord).where(
        AssessmentRecord.agency_id == agency_id, AssessmentRecord.published.is_(True))
        .order_by(AssessmentRecord.period.desc()).limit(1)).scalar_one_or_none()
    values = indicators.for_agency(agency_id, period)
    scope = Engagement.agency_id == agency_id
    overdue, soon = overdue_filings(today, scope), expiring(today, scope)
    criteria = criteria_of(record) if record else None
    unscored = missing_items(record, criteria) if record and criteria else []
    return {
        "period": period, "record": record, "latest": latest, "values": values,
        "indicators": [indicators.BY_CODE[c] for c in (
            "services_total", "documents_total", "recommendations", "engagement_in_force",
            "decision_meetings", "decision_meetings_reviewed", "key_area_documents",
            "matters_requested", "matters_answered", "matter_adoption_rate")],
        "shown": {code: indicators.format_value(ind, values[code])
                  for code, ind in indicators.BY_CODE.items()},
        "overdue": overdue, "expiring": soon,
        "missing": missing_for_clerk(values, overdue, soon, unscored)
        + matter_todos(agency_id, today),
    }


def auditor_panel(user: User, today: date, verify: bool = False) -> dict[str, Any]:
    """Registration and audit summary; the chain is checked only when asked (it reads all)."""
    start = date(today.year, 1, 1)
    return {
        "registered_year": _count(select(func.count(Document.id)).where(
            Document.reg_year == today.year)),
        "registered_total": _count(select(func.count(Document.id))),
        "deleted_year": _count(select(func.count(Document.id)).where(
            Document.deleted_at >= start)),
        "events_total": _count(select(func.count(AuditEvent.id))),
        "events_year": _count(select(func.count(AuditEvent.id)).where(AuditEvent.at >= start)),
        "chain": verify_chain() if verify else None,
        "verified": verify,
    }


def advisor_panel(user: User, today: date) -> dict[str, Any]:
    """An advisor's submissions and engagements."""
    mine = document_scope(user)
    return {
        "submitted_year": _count(select(func.count(Document.id)).where(
            mine, Document.reg_year == today.year)),
        "submitted_total": _count(select(func.count(Document.id)).where(mine)),
        "recent": list(db.session.execute(select(Document).where(mine).order_by(
            Document.created_at.desc()).limit(10)).scalars()),
        "engagements": list(db.session.execute(select(Engagement).where(
            engagement_scope(user), in_force_on(today)).order_by(Engagement.end_date))
            .scalars()),
    }


def panel(user: User, verify: bool = False, today: date | None = None) -> dict[str, Any]:
    """The role's panel (empty for a role without one)."""
    today = today or date.today()
    if user.role == "admin":
        return admin_panel(user, today)
    if user.role == "clerk" and user.agency_id is not None:
        return clerk_panel(user, today)
    if user.role == "auditor":
        return auditor_panel(user, today, verify)
    if user.role == "advisor":
        return advisor_panel(user, today)
    return {}
