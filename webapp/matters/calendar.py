"""The holiday and workday-swap table (节假日与调休) the admin maintains in 系统设置."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select

from ..audit import services as audit
from ..engagements.params import plain_text_error
from ..errors import NotFound, ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import CALENDAR_KINDS, CalendarDay, User
from .schemas import Literal

Kind = Literal[CALENDAR_KINDS]  # type: ignore[valid-type]


class CalendarDayIn(BaseModel):
    """One day of the table."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    day: date
    kind: Kind
    name: str = Field(min_length=1, max_length=64)
    source: str | None = Field(default=None, max_length=200)

    @field_validator("name", "source")
    @classmethod
    def _plain(cls, value):
        problem = value and plain_text_error(value, max_length=200)
        if problem:
            raise ValueError(problem)
        return value or None


def days(year: int | None = None) -> list[CalendarDay]:
    """The table (of one year), in date order."""
    stmt = select(CalendarDay).order_by(CalendarDay.day)
    if year:
        stmt = stmt.where(CalendarDay.day >= date(year, 1, 1),
                          CalendarDay.day <= date(year, 12, 31))
    return list(db.session.execute(stmt).scalars())


def save(user: User, data: CalendarDayIn) -> CalendarDay:
    """Add a day (audited); a day already in the table is refused (delete it first)."""
    if db.session.get(CalendarDay, data.day) is not None:
        raise ValidationFailed({"day": error_text("calendar_day_exists",
                                                  day=data.day.isoformat())})
    row = CalendarDay(day=data.day, kind=data.kind, name=data.name, source=data.source)
    db.session.add(row)
    audit.record("calendar_day_saved", object_type="calendar_day", object_id=data.day,
                 actor=user, detail=data.model_dump())
    return row


def delete(user: User, day: date) -> None:
    """Remove a day from the table (audited)."""
    row = db.session.get(CalendarDay, day)
    if row is None:
        raise NotFound()
    audit.record("calendar_day_deleted", object_type="calendar_day", object_id=day,
                 actor=user, detail={"day": day, "kind": row.kind, "name": row.name})
    db.session.delete(row)
