"""``govcounsel remind``: the daily reminders, idempotent (run it from cron once a day).

Each reminder has a key naming its object and the date it is about
(``matter_overdue:<id>:<due date>``, ``contract_expiring:<id>:<window>``...), unique
per user, so running the command twice — or the same day's events having already
notified someone — sends nothing twice. Then the optional e-mail goes out.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from .. import policy
from ..extensions import db
from ..matters.queries import OPEN_STATUSES
from ..matters.workdays import Calendar
from ..models import Engagement, LegalMatter, User
from ..ui import date_cn
from . import mail
from .events import advisor_users, clerk_users, matter_link, matter_text, notify

EXPIRY_WINDOWS = (30, 60, 90)
FILING_WARNING_DAYS = 3


def _admins() -> list[User]:
    return list(db.session.execute(select(User).where(User.role == "admin")).scalars())


def _matters(today: date) -> int:
    added = 0
    tomorrow = Calendar.load().add(today, 1)
    rows = db.session.execute(select(LegalMatter).where(
        LegalMatter.status.in_((*OPEN_STATUSES, "returned", "answered")))).scalars()
    for m in rows:
        if m.status in OPEN_STATUSES and m.due_on < today:
            kind, users = "matter_overdue", advisor_users(m) + clerk_users(m.agency_id)
        elif m.status in OPEN_STATUSES and today <= m.due_on <= tomorrow:
            kind, users = "matter_due", advisor_users(m)
        elif m.status == "returned":
            kind, users = "matter_returned", clerk_users(m.agency_id)
        elif m.status == "answered":
            kind, users = "matter_answered", clerk_users(m.agency_id)
        else:
            continue
        added += notify(users, f"{kind}:{m.id}:{m.due_on.isoformat()}", kind,
                        matter_text(kind, m), link=matter_link(m), matter=m, due_on=m.due_on)
    return added


def _contracts(today: date) -> int:
    added = 0
    signed = db.session.execute(select(Engagement).where(
        Engagement.status == "signed", Engagement.filing_due_on.is_not(None),
        Engagement.filing_due_on <= today + timedelta(days=FILING_WARNING_DAYS))).scalars()
    for eng in signed:
        text = f"合同 {eng.contract_no} 应于 {date_cn(eng.filing_due_on)} 前备案" + \
            ("，已逾期。" if eng.filing_due_on < today else "。")
        added += notify(clerk_users(eng.agency_id) + _admins(),
                        f"filing_due:{eng.id}:{eng.filing_due_on.isoformat()}", "filing_due",
                        text, link=f"/engagements/{eng.id}", due_on=eng.filing_due_on)
    in_force = db.session.execute(select(Engagement).where(
        Engagement.status.in_(policy.IN_FORCE_STATUSES), Engagement.end_date >= today,
        Engagement.end_date <= today + timedelta(days=max(EXPIRY_WINDOWS))))
    for eng in in_force.scalars():
        window = next(w for w in EXPIRY_WINDOWS if eng.end_date <= today + timedelta(days=w))
        added += notify(clerk_users(eng.agency_id),
                        f"contract_expiring:{eng.id}:{window}", "contract_expiring",
                        f"合同 {eng.contract_no} 将于 {date_cn(eng.end_date)} 到期"
                        f"（{window} 天内），请及时办理续聘。",
                        link=f"/engagements/{eng.id}", due_on=eng.end_date)
    return added


def run(today: date | None = None) -> dict[str, object]:
    """Create the day's reminders and send the e-mail; what was done (flush only)."""
    from ..evaluations.reminders import evaluations_due

    today = today or date.today()
    counts = {"matters": _matters(today), "contracts": _contracts(today),
              "evaluations": evaluations_due(today)}
    sent, errors = mail.send_pending()
    return {**counts, "emailed": sent, "mail_errors": errors}
