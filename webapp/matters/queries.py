"""Lists of matters (always inside the policy's scope) and the API's view of one matter."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, func, or_, select

from .. import policy
from ..extensions import db
from ..models import LegalMatter, MatterAdvisor, User
from .schemas import MatterListQuery, MatterOut, RecommendationOut

OPEN_STATUSES = ("submitted", "accepted")


def overdue_condition(today: date):
    """SQL: open (not returned, not answered) and past the due date."""
    return and_(LegalMatter.status.in_(OPEN_STATUSES), LegalMatter.due_on < today)


def list_statement(user: User, q: MatterListQuery, today: date | None = None) -> Select:
    """The matters ``user`` may view, filtered by ``q``, newest first."""
    stmt = select(LegalMatter).where(policy.matter_scope(user))
    if q.status:
        stmt = stmt.where(LegalMatter.status == q.status)
    if q.kind:
        stmt = stmt.where(LegalMatter.kind == q.kind)
    if q.agency_id:
        stmt = stmt.where(LegalMatter.agency_id == q.agency_id)
    if q.advisor_id:
        stmt = stmt.where(LegalMatter.id.in_(select(MatterAdvisor.matter_id).where(
            MatterAdvisor.advisor_id == q.advisor_id)))
    if q.year:
        stmt = stmt.where(LegalMatter.year == q.year)
    if q.overdue:
        stmt = stmt.where(overdue_condition(today or date.today()))
    if q.q:
        pattern = f"%{q.q}%"
        stmt = stmt.where(or_(LegalMatter.title.like(pattern),
                              LegalMatter.matter_no.like(pattern)))
    return stmt.order_by(LegalMatter.requested_on.desc(), LegalMatter.id.desc())


def status_counts(user: User) -> dict[str, int]:
    """How many matters ``user`` may view, by status."""
    rows = db.session.execute(select(LegalMatter.status, func.count()).where(
        policy.matter_scope(user)).group_by(LegalMatter.status)).all()
    return dict(rows)


def overdue_count(user: User, today: date | None = None) -> int:
    """Overdue matters ``user`` may view."""
    return db.session.execute(select(func.count(LegalMatter.id)).where(
        policy.matter_scope(user), overdue_condition(today or date.today()))).scalar_one()


def matter_out(user: User, matter: LegalMatter, today: date | None = None) -> MatterOut:
    """The API's view of a matter (for a user who may view it)."""
    return MatterOut(
        id=matter.id, matter_no=matter.matter_no, agency_id=matter.agency_id,
        agency_name=matter.agency.name, kind=matter.kind, title=matter.title,
        description=matter.description, meeting_type=matter.meeting_type,
        matter_area=matter.matter_area, classified=matter.classified, status=matter.status,
        advisor_ids=matter.advisor_ids, requested_on=matter.requested_on, due_on=matter.due_on,
        overdue=matter.is_overdue(today or date.today()), paused_days=matter.paused_days,
        return_reason=matter.return_reason, answered_on=matter.answered_on,
        answered_late=matter.answered_late, opinion_document_id=matter.opinion_document_id,
        material_document_ids=[m.document_id for m in matter.materials if m.role == "material"],
        recommendations=[RecommendationOut(id=r.id, position=r.position, text=r.text,
                                           adoption=r.adoption, reason=r.reason)
                         for r in matter.recommendations],
        actions=policy.matter_actions(user, matter))
