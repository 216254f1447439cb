"""Demo legal matters: a realistic year (the 365 days up to today) for the demo city.

Each agency with a contract asks its advisor a few times a month while the contract
is in force — all kinds, meeting items among the major decisions, a few classified.
Requests go through ``matters.services`` and every step through ``matters.lifecycle``
(numbers, audit trail, notifications), so the pages, indicators, statistics and
reminders show true figures: most older matters are answered (some late), adoption is
mixed, some are returned for material, some still open past their due date. Opinions
are real .docx files, one per kind, shared between the matters of that kind (one blob
each in the store) to keep the demo load quick.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

from sqlalchemy import select, update

from ..documents.intake import Received, incoming
from ..extensions import db
from ..matters import lifecycle, services
from ..matters.schemas import AdoptionInput, AnswerInput, MatterCreate, ReasonInput
from ..matters.schemas import RecommendationIn as Rec
from ..matters.workdays import Calendar
from ..messages import label
from ..models import (
    MATTER_AREAS,
    MEETING_TYPES,
    Advisor,
    Agency,
    Engagement,
    LegalMatter,
    Notification,
    User,
)
from .document_data import _docx

KINDS = (("major_decision_review", 4), ("normative_document_review", 2),
         ("contract_review", 5), ("litigation", 2), ("petition", 1), ("other", 1))
SUBJECTS = {
    "major_decision_review": ("关于{a}老旧小区改造实施方案的合法性审查",
                              "关于{a}年度重大项目投资计划的合法性审查",
                              "关于{a}国有资产处置方案的合法性审查"),
    "normative_document_review": ("《{a}行政执法公示办法（送审稿）》审查",
                                  "《{a}专项资金管理办法》审查"),
    "contract_review": ("{a}政府采购合同审查", "{a}办公用房租赁合同审查",
                        "{a}信息化建设项目合同审查"),
    "litigation": ("{a}行政诉讼案件应诉意见", "{a}行政复议案件答复意见"),
    "petition": ("{a}信访事项化解法律意见",),
    "other": ("{a}法治宣传活动方案法律意见",),
}
RECOMMENDATIONS = ("补充违约责任条款，明确逾期履行的违约金计算标准。",
                   "完善决策程序，补充公众参与和专家论证环节。",
                   "删除限制市场主体公平竞争的条款。", "明确资金拨付的条件和审批程序。",
                   "补充争议解决条款，约定由甲方所在地人民法院管辖。",
                   "对照上位法修改处罚幅度，避免超越法定权限。")
NOT_ADOPTED = ("经研究，该项已在配套文件中规定。", "与上级部门要求不一致，暂不采纳。")


def _opinions() -> dict[str, Received]:
    """One real opinion file per kind, checked and stored once."""
    files = {kind: _docx("法律意见书（演示）", [f"关于{label('matter_kind', kind)}事项的法律意见。",
                                               *RECOMMENDATIONS[:3]]) for kind, _ in KINDS}
    return {kind: incoming().receive(io.BytesIO(data), f"法律意见书{n}.docx")
            for n, (kind, data) in enumerate(files.items(), 1)}


def _request(rng: random.Random, agency: Agency, advisor_id: int, day: date) -> MatterCreate:
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    short = agency.name.removeprefix("开封市")
    meeting = rng.choice(MEETING_TYPES) if kind == "major_decision_review" and \
        rng.random() < 0.6 else None
    return MatterCreate(agency_id=agency.id, kind=kind,
                        title=rng.choice(SUBJECTS[kind]).format(a=short),
                        meeting_type=meeting, advisor_ids=[advisor_id], requested_on=day,
                        matter_area=rng.choice(MATTER_AREAS) if rng.random() < 0.3 else None,
                        classified=rng.random() < 0.2)


def _adoption(rng: random.Random, count: int) -> AdoptionInput:
    rows = []
    for text in rng.sample(RECOMMENDATIONS, count):
        adoption = rng.choices(("adopted", "partly_adopted", "not_adopted"), (6, 2, 2))[0]
        rows.append(Rec(text=text, adoption=adoption,
                        reason=None if adoption == "adopted" else rng.choice(NOT_ADOPTED)))
    return AdoptionInput(recommendations=rows)


def _live(rng, cal: Calendar, matter, clerk: User, advisor: User, opinion: Received,
          today: date) -> None:
    """Move one matter along as far as its age allows."""
    day = matter.requested_on
    age = cal.between(day, today)
    if age < 1 or rng.random() < 0.04:
        return  # just submitted (or forgotten: overdue soon)
    if rng.random() < 0.12:
        reason = ReasonInput(reason="请补充相关请示、可研报告等材料。")
        lifecycle.return_for_material(advisor, matter, reason, today=cal.add(day, 1))
        back = cal.add(day, rng.randint(2, 6))
        if back >= today or (age < 40 and rng.random() < 0.5):  # still waiting for material
            return
        lifecycle.resubmit(clerk, matter, today=back)
        day = back
    lifecycle.accept(advisor, matter, today=min(cal.add(day, 1), today))
    answer_in = rng.choice((2, 3, 3, 4, 4, 5, 6, 8))
    answered = cal.add(day, answer_in)
    if answered > today or (age > 20 and rng.random() < 0.03):
        return  # still with the advisor (perhaps overdue)
    texts = list(rng.sample(RECOMMENDATIONS, rng.randint(1, 4)))
    lifecycle.answer(advisor, matter, None, None,
                     AnswerInput(answered_on=answered, recommendations=texts), today=answered,
                     received=opinion)
    feedback = cal.add(answered, rng.randint(2, 10))
    if feedback > today or rng.random() < 0.1:
        return  # adoption feedback still due
    lifecycle.adopt(clerk, matter, _adoption(rng, len(texts)), today=feedback)
    if cal.add(feedback, 3) <= today and rng.random() < 0.8:
        lifecycle.close(clerk, matter, today=cal.add(feedback, 3))


CRITERIA_2026 = [
    {"code": "A1", "name": "组织领导与制度建设", "max_points": "15", "method": "manual"},
    {"code": "A2", "name": "法律顾问聘任与管理", "max_points": "15", "method": "manual"},
    {"code": "A3", "name": "上会事项合法性审查", "max_points": "15", "method": "computed",
     "indicator": "matter_meeting_review_rate", "rule": {"none": "full"}},
    {"code": "A4", "name": "法律事务按期办理", "max_points": "10", "method": "computed",
     "indicator": "matters_on_time_rate", "rule": {"none": "full"}},
    {"code": "A5", "name": "意见建议采纳", "max_points": "20", "method": "computed",
     "indicator": "matter_adoption_rate", "rule": {"none": "full"}},
    {"code": "A6", "name": "规范性文件合法性审核", "max_points": "15", "method": "manual"},
    {"code": "A7", "name": "工作创新与信息报送", "max_points": "10", "method": "manual"},
]


def _criteria(admin: User, today: date) -> None:
    """The criteria version of this year: A5 (采纳) and the meeting gate computed from the
    matters (earlier versions and their finalised quarters are unchanged)."""
    from ..assessments import criteria

    criteria.create_criteria(f"法治政府建设工作季度督察考评标准（{today.year}年版，法律事务计算指标）",
                             f"{today.year}Q1", [dict(r) for r in CRITERIA_2026], admin)


def load_matters(app) -> int:
    """Create the demo matters (flush only, in ``load_demo``'s unit of work). The session is
    emptied after each contract's matters (all flushed), so it stays small and quick."""
    rng, today, cal = random.Random(2026), date.today(), Calendar.load()
    opinions = _opinions()
    _criteria(db.session.execute(select(User).where(User.username == "admin")).scalar_one(),
              today)
    ids = db.session.execute(select(Engagement.id).where(
        Engagement.signed_on.is_not(None), Engagement.advisor_id.is_not(None))
        .order_by(Engagement.id)).scalars().all()
    count = 0
    for eng_id in ids:
        count += _contract_matters(rng, cal, db.session.get(Engagement, eng_id), opinions,
                                   today)
        db.session.flush()
        db.session.expunge_all()
    old = select(LegalMatter.id).where(LegalMatter.requested_on < today - timedelta(days=14))
    db.session.execute(update(Notification).where(Notification.matter_id.in_(old))
                       .values(read_at=Notification.created_at))
    db.session.flush()
    return count


def _contract_matters(rng: random.Random, cal: Calendar, eng: Engagement,
                      opinions: dict[str, Received], today: date) -> int:
    """The matters one agency asked under one contract."""
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    clerk = _clerk(eng.agency_id) or admin
    advisor = _advisor_user(eng.advisor_id)
    day = max(eng.start_date, today - timedelta(days=365))
    end = min(eng.end_date, today, eng.terminated_on or today)
    count = 0
    while True:
        day += timedelta(days=rng.randint(9, 24))
        if day > end:
            return count
        if not cal.is_workday(day):
            continue
        data = _request(rng, eng.agency, eng.advisor_id, day)
        if clerk is admin:  # no clerk to record a classified matter's steps
            data.classified = False
        elif count % 4 == 2:  # the demo clerk's agency shows a classified matter or two
            data.classified = True
        matter = services.create(clerk, data, today=day, is_demo=True)
        acting = clerk if matter.classified else advisor
        _live(rng, cal, matter, clerk, acting, opinions[matter.kind], today)
        count += 1


def _clerk(agency_id: int) -> User | None:
    return db.session.execute(select(User).where(User.agency_id == agency_id,
                                                 User.role == "clerk")).scalars().first()


def _advisor_user(advisor_id: int) -> User:
    """The advisor's user, or a demo stand-in that acts for them (not a login)."""
    user = db.session.execute(select(User).where(User.advisor_id == advisor_id,
                                                 User.role == "advisor")).scalars().first()
    if user is not None:
        return user
    from types import SimpleNamespace

    name = db.session.get(Advisor, advisor_id).name
    return SimpleNamespace(id=None, role="advisor", advisor_id=advisor_id, agency_id=None,
                           active=True, is_authenticated=True, username=f"{name}（演示）")
