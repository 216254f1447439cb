"""Reading records: one by id, a quarter's records, whether a quarter is published."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..errors import NotFound
from ..extensions import db
from ..models import Agency, AssessmentRecord
from .linking import parse_period


def get_record(record_id: int) -> AssessmentRecord:
    """The record, or 404."""
    record = db.session.get(AssessmentRecord, record_id)
    if record is None:
        raise NotFound()
    return record


def period_records(period: str) -> list[AssessmentRecord]:
    """Every record of the quarter, by agency code."""
    parse_period(period)
    return list(db.session.execute(
        select(AssessmentRecord).join(Agency).options(contains_eager(AssessmentRecord.agency))
        .where(AssessmentRecord.period == period).order_by(Agency.code)).scalars())


def is_published(period: str) -> bool:
    """True once the quarter's ranking has been published."""
    return db.session.execute(select(AssessmentRecord.id).where(
        AssessmentRecord.period == period, AssessmentRecord.published.is_(True)).limit(1)
    ).first() is not None


