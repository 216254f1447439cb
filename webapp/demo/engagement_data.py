"""Demo engagements: a contract for most of the 62 agencies, in every state.

Generated, signed, filed and renewed through the same services as the UI, so each
has its numbered .docx, a signed scan and its audit trail. Dates are relative to
today so the watch lists have something to show: overdue filings, contracts
expiring within 90 days, expired and renewed ones, a draft or two, one
termination and one admin override of the talent pool; a scholar engaged in person
(法学专家个人顾问, with a 补充协议 raising its fee) and one 专项法律服务 contract. The demo
``advisor`` user's advisor holds the first agency's active contract, so that user can upload.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ..engagements import contract_store, lifecycle, pool, services, supplements
from ..engagements.schemas import FileInput, Refs, RenewInput, TerminateInput
from ..engagements.supplement_schemas import SupplementInput
from ..extensions import db
from ..models import Advisor, Agency, Engagement, User

WITHOUT_CONTRACT = {9, 21, 33, 45, 54, 60}
SPECIAL = {0: "active", 6: "terminated", 16: "filed", 26: "signed", 36: "override"}
BY_DIGIT = {1: "overdue", 2: "expiring", 3: "draft", 4: "renewed", 5: "expired"}
SERVICES = ("major_decision", "normative_document", "contract_review", "litigation",
            "petition", "training")
OVERRIDE_REASON = "该律师承办的本单位行政诉讼案件尚未审结，经研究同意继续聘任（演示）。"


@dataclass
class Ctx:
    """What every demo step needs."""

    rng: random.Random
    admin: User
    today: date
    filed: int = 0


def _at(day: date) -> datetime:
    return datetime.combine(day, time(1, 30))


def _one_year(start: date) -> date:
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:
        return date(start.year + 1, 2, 28)


def _kind(index: int) -> str | None:
    if index in WITHOUT_CONTRACT:
        return None
    return SPECIAL.get(index) or BY_DIGIT.get(index % 10, "active")


def _terms(ctx: Ctx, start: date, end: date) -> dict:
    """The contract terms; the 甲方 and 乙方 details come from the registers."""
    services_ = sorted(ctx.rng.sample(SERVICES, ctx.rng.randint(3, 6)), key=SERVICES.index)
    return {"start_date": start, "end_date": end, "services": services_,
            "annual_fee": ctx.rng.randrange(30, 121) * 1000,
            "special_fee_terms": "代理诉讼、仲裁案件及重大专项法律事务，双方按件另行签订委托协议，"
                                 "收费不高于本市律师服务收费指导标准的百分之七十。",
            "response_hours": ctx.rng.choice((12, 24, 48)),
            "dispute_resolution": ctx.rng.choice(("court", "court", "arbitration")),
            "copies": ctx.rng.choice((4, 5, 6))}


def _scan(serial: int) -> bytes:
    """A one-page PDF without a text layer, as a scanner makes it (needs OCR to read)."""
    stream = (f"% scan {serial}\n0.96 g 40 40 515 762 re f 0.8 0 0 RG 3 w "
              f"{380 + serial % 40} 90 110 110 re S\n").encode()
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
               b"<</Length %d>>stream\n" % len(stream) + stream + b"endstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                           xref)
    return bytes(out)


def _create(ctx: Ctx, agency: Agency, lawyers: list[Advisor], start: date, end: date,
            created: date, reason: str | None = None) -> Engagement:
    refs = Refs(agency_id=agency.id, advisor_id=lawyers[0].id,
                lawyer_ids=[a.id for a in lawyers], override_reason=reason)
    return services.create(ctx.admin, refs, _terms(ctx, start, end),
                           now=_at(created), is_demo=True)


def _sign(ctx: Ctx, eng: Engagement, on: date) -> None:
    lifecycle.sign(ctx.admin, eng, io.BytesIO(_scan(eng.id)),
                   f"签章扫描件{eng.contract_no}.pdf", on)


def _file(ctx: Ctx, eng: Engagement, on: date) -> None:
    ctx.filed += 1
    number = f"汴司法顾备〔{on.year}〕{ctx.filed}号"
    lifecycle.file(ctx.admin, eng, FileInput(filing_no=number, filed_on=on))


def _in_force(ctx: Ctx, eng: Engagement, created: date) -> None:
    signed = min(ctx.today, created + timedelta(days=ctx.rng.randint(1, 6)))
    _sign(ctx, eng, signed)
    _file(ctx, eng, min(ctx.today, signed + timedelta(days=ctx.rng.randint(1, 10))))
    if eng.start_date <= ctx.today <= eng.end_date:
        lifecycle.activate(ctx.admin, eng, today=ctx.today)


def _contract(ctx: Ctx, kind: str, agency: Agency, lawyers: list[Advisor]) -> None:
    rng, today = ctx.rng, ctx.today
    if kind == "expiring":
        end = today + timedelta(days=rng.randint(10, 85))
        start = end - timedelta(days=364)
    elif kind in ("draft", "filed"):
        start = today + timedelta(days=rng.randint(15, 40))
        end = _one_year(start)
    elif kind == "expired":
        start = today - timedelta(days=rng.randint(400, 500))
        end = _one_year(start)
    elif kind == "renewed":
        start = today - timedelta(days=385)
        end = _one_year(start)
    else:
        start = today - timedelta(days=rng.randint(20, 250))
        end = _one_year(start)
    if kind in ("overdue", "signed"):
        created = today - timedelta(days=rng.randint(25, 45) if kind == "overdue" else 6)
    else:
        created = min(today, start - timedelta(days=rng.randint(5, 20)))
    reason = OVERRIDE_REASON if kind == "override" else None
    eng = _create(ctx, agency, lawyers, start, end, created, reason)
    _advance(ctx, kind, eng, created)


def _advance(ctx: Ctx, kind: str, eng: Engagement, created: date) -> None:
    today = ctx.today
    if kind == "draft":
        return
    if kind in ("overdue", "signed"):
        _sign(ctx, eng, created + timedelta(days=2))
        return
    _in_force(ctx, eng, created)
    if kind == "terminated":
        lifecycle.terminate(ctx.admin, eng, TerminateInput(
            reason="因机构改革职能调整，经双方协商一致解除合同（演示）。",
            terminated_on=today - timedelta(days=15)))
    elif kind == "renewed":
        start = eng.end_date + timedelta(days=1)
        created = max(start - timedelta(days=10), eng.created_at.date())
        new = lifecycle.renew(ctx.admin, eng, RenewInput(
            start_date=start, end_date=_one_year(start)), now=_at(created))
        _in_force(ctx, new, created)


def _team(index: int, lawyers: list[Advisor], available: set[int]) -> list[Advisor]:
    """Chief ``index`` and, from the same firm, partner ``index + 58`` when in the pool."""
    chief = lawyers[index % len(lawyers)]
    partner = lawyers[(index + 58) % len(lawyers)]
    same_firm = partner.firm_id == chief.firm_id and partner.id != chief.id
    return [chief, partner] if same_firm and partner.id in available else [chief]


def _outsider(lawyers: list[Advisor], available: set[int]) -> Advisor:
    return next(a for a in reversed(lawyers) if a.id not in available)


def load_engagements(app) -> int:
    """Create the demo contracts (flush only, in ``load_demo``'s unit of work). Returns how
    many."""
    contract_store.ensure_shipped_templates()
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    agencies = db.session.execute(select(Agency).order_by(Agency.id)).scalars().all()
    lawyers = db.session.execute(select(Advisor).where(Advisor.kind == "lawyer")
                                 .order_by(Advisor.id)).scalars().all()
    available = pool.available_advisor_ids()
    ctx = Ctx(random.Random(2022), admin, date.today())
    for index, agency in enumerate(agencies):
        kind = _kind(index)
        if kind is None:
            continue
        team = [_outsider(lawyers, available)] if kind == "override" else \
            _team(index, lawyers, available)
        _contract(ctx, kind, agency, team)
    _other_kinds(ctx, agencies, lawyers)
    lifecycle.check_expiry(ctx.today)
    db.session.flush()
    return db.session.execute(select(func.count(Engagement.id))).scalar_one()


def _other_kinds(ctx: Ctx, agencies: list[Agency], lawyers: list[Advisor]) -> None:
    """A scholar engaged in person (in force, its fee raised by a signed supplementary
    agreement) and one 专项 engagement (signed)."""
    available = pool.available_advisor_ids()
    scholar = db.session.execute(select(Advisor).where(
        Advisor.kind == "scholar", Advisor.id.in_(available)).order_by(Advisor.id)
    ).scalars().first()
    start = ctx.today - timedelta(days=60)
    created = start - timedelta(days=7)
    if scholar is not None:
        eng = services.create(ctx.admin, Refs(agency_id=agencies[9].id, advisor_id=scholar.id),
                              {"start_date": start, "end_date": _one_year(start),
                               "annual_fee": 30000, "services": ["major_decision",
                                                                 "normative_document"],
                               "advisor_employer": scholar.title or "河南大学法学院",
                               "advisor_phone": scholar.phone or "13937800000",
                               "payment_schedule": "quarterly", "response_hours": 48,
                               "dispute_resolution": "court", "copies": 4},
                              kind="individual", now=_at(created), is_demo=True,
                              clauses=["integrity"])
        _in_force(ctx, eng, created)
        agreement = supplements.create(ctx.admin, eng, SupplementInput(
            effective_date=ctx.today, change_fee=True, new_annual_fee=36000),
            now=_at(ctx.today))
        supplements.sign(ctx.admin, agreement, io.BytesIO(_scan(eng.id + 1000)),
                         f"补充协议扫描件{agreement.agreement_no}.pdf", ctx.today)
    demo_advisor = db.session.execute(select(User.advisor_id).where(
        User.username == "advisor")).scalar_one_or_none()
    chief = next(a for a in reversed(lawyers) if a.id in available and a.id != demo_advisor)
    special = services.create(
        ctx.admin, Refs(agency_id=agencies[21].id, advisor_id=chief.id),
        {"matter_title": "城市更新项目投资合作协议审查", "matter_area": "major_investment",
         "matter_description": "审查城市更新项目投资合作协议及其附件，评估法律风险，"
                               "出具书面法律意见。",
         "deliverables": ["legal_opinion", "risk_assessment"], "start_date": ctx.today,
         "delivery_date": ctx.today + timedelta(days=45), "fee_mode": "fixed",
         "fixed_fee": 25000, "dispute_resolution": "court", "copies": 4},
        kind="special", now=_at(ctx.today - timedelta(days=3)), is_demo=True)
    _sign(ctx, special, ctx.today - timedelta(days=1))
