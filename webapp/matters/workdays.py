"""Working-day arithmetic: weekends are off, except the swapped workdays (调休上班) of the
calendar table; the table's holidays are off even on a weekday.

A deadline of *n* working days from a day is the *n*-th working day after it (the day
of the request does not count). A matter returned for more material pauses its
clock: the working days it spent returned are added to its due date on resubmission.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import CalendarDay

ONE_DAY = timedelta(days=1)


class Calendar:
    """The calendar table loaded once for a computation (``Calendar.load()``)."""

    def __init__(self, special: dict[date, str]) -> None:
        self.special = special

    @classmethod
    def load(cls) -> Calendar:
        """The table as it is in the database now."""
        rows = db.session.execute(select(CalendarDay.day, CalendarDay.kind)).all()
        return cls({day: kind for day, kind in rows})

    def is_workday(self, day: date) -> bool:
        """True on a working day."""
        kind = self.special.get(day)
        if kind is not None:
            return kind == "workday"
        return day.weekday() < 5

    def add(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself for 0)."""
        day = start
        while days > 0:
            day += ONE_DAY
            if self.is_workday(day):
                days -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Working days ``d`` with ``start < d <= end`` (0 when ``end <= start``)."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_workday(day)
        return count


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` by the current calendar table."""
    return Calendar.load().add(start, days)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    return Calendar.load().between(start, end)
