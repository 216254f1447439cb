"""Publication of a quarter's official ranking, and keeping its standings right (flush only).

Publishing is allowed when every active agency has a record for the quarter and
every record is finalised. It stores rank, bottom five and the accountability
interview flags (rules in ``ranking``); an amendment or a late finalisation in a
published quarter recalculates them, together with the next quarter's interview
flags, which depend on this quarter's bottom five.
"""

from __future__ import annotations

from sqlalchemy import select

from ..audit.services import record as audit
from ..errors import DomainError
from ..extensions import db
from ..models import Agency, AssessmentRecord, User
from . import ranking
from .periods import next_period, period_label, previous_period
from .queries import period_records


def publish(period: str, user: User) -> None:
    """Publish the official ranking of a fully finalised quarter."""
    records = period_records(period)
    if not records:
        raise DomainError("period_no_records", status=409, period=period_label(period))
    if any(r.published for r in records):
        raise DomainError("period_published", status=409, period=period_label(period))
    have = {r.agency_id for r in records}
    missing = db.session.execute(select(Agency.id).where(Agency.active.is_(True))).scalars()
    missing_count = sum(1 for a in missing if a not in have)
    if missing_count:
        raise DomainError("period_missing_records", status=409, period=period_label(period),
                          count=missing_count)
    open_count = sum(1 for r in records if r.status != "finalised")
    if open_count:
        raise DomainError("period_not_finalised", status=409, period=period_label(period),
                          count=open_count)
    for r in records:
        r.published = True
    refresh_standings(period)
    audit("assessment_published", object_type="assessment_period", object_id=period,
          actor=user, detail={"ranking": [
              {"agency": r.agency.code, "total": str(r.total), "rank": r.rank,
               "bottom_five": r.bottom_five, "accountability_interview": r.accountability_interview}
              for r in sorted(records, key=lambda r: r.rank or 0)]})


def _published_bottom(period: str) -> set[int]:
    return set(db.session.execute(select(AssessmentRecord.agency_id).where(
        AssessmentRecord.period == period, AssessmentRecord.published.is_(True),
        AssessmentRecord.bottom_five.is_(True))).scalars())


def _apply_interviews(period: str) -> None:
    before = _published_bottom(previous_period(period))
    for r in period_records(period):
        r.accountability_interview = bool(r.published and r.bottom_five
                                          and r.agency_id in before)


def refresh_standings(period: str) -> None:
    """Store rank and bottom five of a published quarter, then the interview flags of it
    and of the next quarter (which depend on this quarter's bottom five)."""
    records = period_records(period)
    totals = {r.id: r.total for r in records if r.status == "finalised" and r.total is not None}
    ranks, bottom = ranking.competition_ranks(totals), ranking.bottom_five(totals)
    for r in records:
        r.rank = ranks.get(r.id)
        r.bottom_five = r.id in bottom
    db.session.flush()
    _apply_interviews(period)
    _apply_interviews(next_period(period))
    db.session.flush()
