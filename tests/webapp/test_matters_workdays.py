"""Working-day arithmetic: weekends, the shipped 2026 holidays, swapped workdays, pauses."""

from __future__ import annotations

from datetime import date

from webapp.matters.holidays import shipped_rows
from webapp.matters.workdays import Calendar

SHIPPED = Calendar({row["day"]: row["kind"] for row in shipped_rows()})
PLAIN = Calendar({})


def test_weekends_are_skipped():
    # Thursday 2026-03-05 + 5 working days = Thursday 2026-03-12
    assert PLAIN.add(date(2026, 3, 5), 5) == date(2026, 3, 12)
    assert PLAIN.add(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday -> Monday


def test_the_spring_festival_is_skipped_and_the_swapped_saturday_counts():
    # Friday 2026-02-13: the 14th (Saturday) is a swapped workday, 15th-23rd are off.
    assert SHIPPED.add(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert SHIPPED.add(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert SHIPPED.add(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert SHIPPED.add(date(2026, 2, 13), 6) == date(2026, 2, 28)  # swapped Saturday


def test_national_day_week():
    # Wednesday 2026-09-30 + 5: Oct 1-7 off, Oct 10 (Saturday) is a working day.
    assert SHIPPED.add(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert SHIPPED.add(date(2026, 9, 30), 5) == date(2026, 10, 13)


def test_the_shipped_table_matches_the_state_council_notice():
    rows = {row["day"]: row for row in shipped_rows()}
    holidays = [d for d, r in rows.items() if r["kind"] == "holiday"]
    workdays = sorted(d for d, r in rows.items() if r["kind"] == "workday")
    assert len(holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert workdays == [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
                        date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)]
    assert all(d.weekday() >= 5 for d in workdays)
    assert all("2026年部分节假日安排" in r["source"] for r in rows.values())


def test_between_counts_working_days_after_the_start():
    assert SHIPPED.between(date(2026, 3, 2), date(2026, 3, 4)) == 2
    assert SHIPPED.between(date(2026, 3, 4), date(2026, 3, 4)) == 0
    assert SHIPPED.between(date(2026, 4, 3), date(2026, 4, 7)) == 1  # Qingming + weekend
