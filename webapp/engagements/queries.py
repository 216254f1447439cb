"""Reading engagements: scoped lists, the bureau's watch lists, and the JSON shape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, exists, func, or_, select

from .. import policy
from ..extensions import db
from ..messages import label
from ..models import Agency, Document, Engagement, User
from .schemas import EngagementOut, LawyerOut, ListQuery

SORTS = {"created_at": Engagement.created_at, "contract_no": Engagement.contract_no,
         "start_date": Engagement.start_date, "end_date": Engagement.end_date,
         "annual_fee": Engagement.annual_fee, "filing_due_on": Engagement.filing_due_on,
         "status": Engagement.status}
IN_FORCE = ("signed", "filed", "active")
EXPIRY_WINDOWS = (30, 60, 90)


def overdue_condition(today: date):
    """Signed contracts whose filing (备案) is past due."""
    return and_(Engagement.status == "signed", Engagement.filing_due_on < today)


def expiring_condition(today: date, days: int):
    """Contracts in force whose term ends within ``days`` days."""
    return and_(Engagement.status.in_(("filed", "active")), Engagement.end_date >= today,
                Engagement.end_date <= today + timedelta(days=days))


def list_statement(user: User, q: ListQuery, today: date | None = None) -> Select:
    """Engagements ``user`` may see, filtered and sorted (not yet paged)."""
    today = today or date.today()
    stmt = select(Engagement).where(policy.engagement_scope(user))
    for name in ("status", "kind", "agency_id", "advisor_id", "year"):
        value = getattr(q, name)
        if value is not None:
            stmt = stmt.where(getattr(Engagement, name) == value)
    if q.q:
        stmt = stmt.where(or_(Engagement.contract_no.contains(q.q, autoescape=True),
                              Engagement.filing_no.contains(q.q, autoescape=True)))
    if q.overdue:
        stmt = stmt.where(overdue_condition(today))
    if q.expiring_within:
        stmt = stmt.where(expiring_condition(today, q.expiring_within))
    key = q.sort if q.sort.lstrip("-") in SORTS else "-created_at"
    column = SORTS[key.lstrip("-")]
    return stmt.order_by(column.desc() if key.startswith("-") else column.asc(),
                         Engagement.id.desc())


def status_counts(user: User) -> dict[str, int]:
    """How many visible engagements are in each state."""
    rows = db.session.execute(select(Engagement.status, func.count(Engagement.id))
                              .where(policy.engagement_scope(user))
                              .group_by(Engagement.status)).all()
    return dict(rows)


@dataclass
class WatchLists:
    """The bureau's to-do lists: overdue filings, contracts expiring soon, agencies
    without an advisor in force."""

    overdue: list[Engagement]
    expiring: dict[int, list[Engagement]]
    without_advisor: list[Agency]


def watch_lists(user: User, today: date | None = None) -> WatchLists:
    """The lists for ``user``'s scope (all agencies for admin and auditor)."""
    today = today or date.today()
    scope = policy.engagement_scope(user)
    overdue = db.session.execute(select(Engagement).where(scope, overdue_condition(today))
                                 .order_by(Engagement.filing_due_on)).scalars().all()
    soon = db.session.execute(select(Engagement).where(
        scope, expiring_condition(today, EXPIRY_WINDOWS[-1])).order_by(Engagement.end_date)
    ).scalars().all()
    return WatchLists(list(overdue), _bands(soon, today), agencies_without_advisor(user, today))


def _bands(rows: list[Engagement], today: date) -> dict[int, list[Engagement]]:
    """Split contracts expiring within 90 days into 30 / 60 / 90-day bands."""
    bands: dict[int, list[Engagement]] = {days: [] for days in EXPIRY_WINDOWS}
    for eng in rows:
        left = (eng.end_date - today).days
        bands[next(days for days in EXPIRY_WINDOWS if left <= days)].append(eng)
    return bands


def agencies_without_advisor(user: User, today: date | None = None) -> list[Agency]:
    """Active agencies (in ``user``'s scope) with no contract in force today."""
    today = today or date.today()
    in_force = exists().where(Engagement.agency_id == Agency.id,
                              Engagement.status.in_(IN_FORCE),
                              Engagement.start_date <= today, Engagement.end_date >= today)
    stmt = select(Agency).where(Agency.active.is_(True), ~in_force,
                                policy.agency_scope(user)).order_by(Agency.code)
    return list(db.session.execute(stmt).scalars())


def renewed_by_id(eng: Engagement) -> int | None:
    """The engagement that renewed ``eng``, if any."""
    return db.session.execute(select(Engagement.id).where(
        Engagement.renewed_from_id == eng.id)).scalars().first()


def engagement_out(eng: Engagement, today: date | None = None) -> EngagementOut:
    """The JSON view of ``eng``."""
    today = today or date.today()
    doc = db.session.get(Document, eng.document_id) if eng.document_id else None
    lawyers = [LawyerOut(name=str(item.get("name", "")), licence_no=item.get("licence_no"))
               for item in eng.params.get("lawyers", [])]
    return EngagementOut(
        id=eng.id, kind=eng.kind, kind_label=label("contract_kind", eng.kind),
        contract_no=eng.contract_no, status=eng.status,
        status_label=label("engagement_status", eng.status), agency_id=eng.agency_id,
        agency=eng.agency.name, advisor_id=eng.advisor_id,
        advisor=eng.advisor.name if eng.advisor else None, firm_id=eng.firm_id,
        firm=eng.firm.name if eng.firm else None, lawyers=lawyers,
        start_date=eng.start_date, end_date=eng.end_date, annual_fee=f"{eng.annual_fee:.2f}",
        services=list(eng.services or []), signed_on=eng.signed_on,
        filing_due_on=eng.filing_due_on, filing_overdue=is_overdue(eng, today),
        filed_on=eng.filed_on, filing_no=eng.filing_no, terminated_on=eng.terminated_on,
        termination_reason=eng.termination_reason, renewed_from_id=eng.renewed_from_id,
        renewed_by_id=renewed_by_id(eng), pool_override_reason=eng.pool_override_reason,
        template_version=eng.template.version if eng.template else None,
        document_id=eng.document_id, registration_no=doc.registration_no if doc else None,
        signed_document_id=eng.signed_document_id, params=dict(eng.params or {}),
        clauses=list(eng.clauses or []),
        created_at=eng.created_at)


def is_overdue(eng: Engagement, today: date | None = None) -> bool:
    """True when a signed contract has not been filed by its due date."""
    today = today or date.today()
    return eng.status == "signed" and eng.filing_due_on is not None and \
        eng.filing_due_on < today
