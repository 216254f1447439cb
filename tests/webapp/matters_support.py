"""A small world for the matters tests: two agencies, an engaged advisor, a user per role.

Agency A engages advisor 赵律师 under an active contract covering today; 钱律师 is in
no contract with A. Engagement rows are written directly (their life cycle has its
own tests); everything about matters goes through the real services and routes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import docx

from webapp.extensions import db
from webapp.models import Advisor, Agency, Engagement, LawFirm


@dataclass
class MatterWorld:
    """Plain ids and the users of the world."""

    agency: Agency
    other_agency: Agency
    advisor: Advisor
    outsider: Advisor
    admin: object
    clerk: object
    other_clerk: object
    advisor_user: object
    outsider_user: object
    auditor: object


def engage(agency: Agency, advisor: Advisor, seq: int, *, status: str = "active",
           start: date | None = None, end: date | None = None) -> Engagement:
    """An engagement row of ``agency`` with ``advisor``, in force today by default."""
    today = date.today()
    start = start or date(today.year - 1, 1, 1)
    eng = Engagement(contract_no=f"测试〔{start.year}〕第{seq:03d}号", year=start.year, seq=seq,
                     agency_id=agency.id, advisor_id=advisor.id, status=status,
                     start_date=start, end_date=end or today + timedelta(days=200),
                     annual_fee=Decimal("60000"), services=[], params={})
    db.session.add(eng)
    db.session.commit()
    return eng


def seed(make_user) -> MatterWorld:
    """Create the world (inside the app context)."""
    agency = Agency(code="MA01", name="开封市甲局", category="government_dept")
    other = Agency(code="MB01", name="开封市乙局", category="government_dept")
    firm = LawFirm(name="河南测试律师事务所")
    db.session.add_all([agency, other, firm])
    db.session.flush()
    advisor = Advisor(name="赵律师", kind="lawyer", firm_id=firm.id, licence_no="14100000000000001")
    outsider = Advisor(name="钱律师", kind="lawyer", firm_id=firm.id,
                       licence_no="14100000000000002")
    db.session.add_all([advisor, outsider])
    db.session.commit()
    engage(agency, advisor, 1)
    engage(other, advisor, 2)
    return MatterWorld(
        agency=agency, other_agency=other, advisor=advisor, outsider=outsider,
        admin=make_user("admin"), clerk=make_user("clerk", agency=agency),
        other_clerk=make_user("clerk", agency=other),
        advisor_user=make_user("advisor", advisor=advisor),
        outsider_user=make_user("advisor", advisor=outsider), auditor=make_user("auditor"))


def docx_file(text: str = "法律意见书：建议补充违约责任条款。") -> bytes:
    """A small real .docx."""
    document = docx.Document()
    document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def matter_body(world: MatterWorld, **changes) -> dict:
    """A valid ``POST /api/v1/matters`` body for agency A and the engaged advisor."""
    body = {"agency_id": world.agency.id, "kind": "major_decision_review",
            "title": "关于老城区改造项目的重大行政决策合法性审查",
            "meeting_type": "executive_meeting",
            "matter_area": "major_investment", "advisor_ids": [world.advisor.id]}
    body.update(changes)
    return body
