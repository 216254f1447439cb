"""Link a document to its agency's assessment record for the quarter of its date."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..errors import ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import AssessmentRecord

PERIOD = re.compile(r"^(\d{4})Q([1-4])$")


def period_of(day: date) -> str:
    """``2022Q1`` for a date in January–March 2022."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def parse_period(period: str, field: str = "period") -> tuple[int, int]:
    """(year, quarter) of ``2022Q1``; 422 naming ``field`` when malformed (e.g. 2022Q5)."""
    match = PERIOD.match(period or "")
    if not match:
        raise ValidationFailed({field: error_text("invalid_period")})
    return int(match.group(1)), int(match.group(2))


def record_for(agency_id: int, day: date) -> AssessmentRecord:
    """The agency's record for the quarter of ``day``, created on demand (race-safe)."""
    period = period_of(day)
    year, quarter = parse_period(period)
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(AssessmentRecord).values(
        agency_id=agency_id, period=period, year=year, quarter=quarter, scores={},
        status="open", bottom_five=False, accountability_interview=False, published=False,
        is_demo=False).on_conflict_do_nothing())
    return db.session.execute(select(AssessmentRecord).where(
        AssessmentRecord.agency_id == agency_id, AssessmentRecord.period == period)
    ).scalar_one()
