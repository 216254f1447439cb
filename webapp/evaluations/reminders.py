"""The yearly "evaluation due" reminder: from December, the clerks of an agency that
engaged an advisor this year and has not evaluated them yet (once a form exists)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import AdvisorEvaluation, Engagement, EvaluationForm
from ..notifications.events import clerk_users, notify

REMIND_FROM_MONTH = 12


def engaged_in_year(year: int, agency_id: int | None = None) -> set[tuple[int, int]]:
    """(agency id, advisor id) of every engagement that was in force during ``year``."""
    stmt = select(Engagement.agency_id, Engagement.advisor_id).where(
        Engagement.advisor_id.is_not(None), Engagement.status != "draft",
        Engagement.start_date <= date(year, 12, 31), Engagement.end_date >= date(year, 1, 1))
    if agency_id is not None:
        stmt = stmt.where(Engagement.agency_id == agency_id)
    return {(agency, advisor) for agency, advisor in db.session.execute(stmt)}


def evaluations_due(today: date) -> int:
    """Remind agencies with advisors still to evaluate this year; how many reminders."""
    year = today.year
    if today.month < REMIND_FROM_MONTH or db.session.execute(select(EvaluationForm.id).where(
            EvaluationForm.year == year)).first() is None:
        return 0
    done = {(agency, advisor) for agency, advisor in db.session.execute(select(
        AdvisorEvaluation.agency_id, AdvisorEvaluation.advisor_id).where(
        AdvisorEvaluation.year == year))}
    agencies = {agency for agency, advisor in engaged_in_year(year) - done}
    return sum(notify(clerk_users(agency), f"evaluation_due:{year}", "evaluation_due",
                      f"请在年底前完成对本单位 {year} 年聘任法律顾问的考核。",
                      link="/evaluations/") for agency in sorted(agencies))
