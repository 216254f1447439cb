"""The meeting-item gate and the matter to-dos of an agency's dashboard (待办与缺项).

A matter with a meeting type (上会事项) must have its legality review answered before
the meeting: while it is not answered (and not withdrawn) it is a deficiency of the
agency. Overdue matters and answers awaiting adoption feedback are to-dos.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..messages import label
from ..models import LegalMatter
from ..ui import date_cn
from .queries import overdue_condition

UNREVIEWED = ("submitted", "accepted", "returned")


def unreviewed_meeting_items(agency_id: int | None = None) -> list[LegalMatter]:
    """Meeting items without an answered legality review (of one agency, or all)."""
    stmt = select(LegalMatter).where(LegalMatter.meeting_type.is_not(None),
                                     LegalMatter.status.in_(UNREVIEWED))
    if agency_id is not None:
        stmt = stmt.where(LegalMatter.agency_id == agency_id)
    return list(db.session.execute(stmt.order_by(LegalMatter.due_on)).scalars())


def todos(agency_id: int, today: date) -> list[str]:
    """The agency's matter deficiencies and to-dos, in plain Chinese."""
    lines = [f"上会事项“{m.title}”（{label('meeting_type', m.meeting_type)}，{m.matter_no}）"
             "尚无合法性审查意见，未经审查不得提交会议研究。"
             for m in unreviewed_meeting_items(agency_id)]
    overdue = db.session.execute(select(LegalMatter).where(
        LegalMatter.agency_id == agency_id, overdue_condition(today))
        .order_by(LegalMatter.due_on)).scalars()
    lines += [f"法律事务 {m.matter_no} 办理期限为 {date_cn(m.due_on)}，已逾期，请督促承办顾问。"
              for m in overdue]
    waiting = db.session.execute(select(LegalMatter).where(
        LegalMatter.agency_id == agency_id, LegalMatter.status == "answered")).scalars()
    lines += [f"法律事务 {m.matter_no} 已出具意见，请反馈意见建议的采纳情况。" for m in waiting]
    return lines
