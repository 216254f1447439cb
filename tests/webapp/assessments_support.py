"""Builders shared by the assessment, statistics and dashboard tests (no tests here)."""

from __future__ import annotations

from datetime import date
from itertools import count

from sqlalchemy import select

from tests.helpers import csrf_token
from webapp.assessments import services
from webapp.assessments.criteria import create_criteria
from webapp.extensions import db
from webapp.models import AssessmentRecord, Document

MANUAL_ITEMS = [
    {"code": "M1", "name": "组织领导", "max_points": "70", "method": "manual"},
    {"code": "M2", "name": "意见质量", "max_points": "30", "method": "manual"},
]
_seq = count(1)


def add_criteria(admin, valid_from: str = "2021Q1", items=None, name: str = "考评标准"):
    """A committed criteria version (hand-scored items M1 70 + M2 30 by default)."""
    criteria = create_criteria(name, valid_from, [dict(i) for i in items or MANUAL_ITEMS], admin)
    db.session.commit()
    return criteria


def add_doc(agency, issued_on: date | None, doc_type: str = "legal_opinion", **kw) -> Document:
    """A Document row written directly (a distinct dummy fingerprint, no file)."""
    n = next(_seq)
    doc = Document(registration_no=f"测试〔2022〕{n:05d}号", reg_year=2022, reg_seq=n,
                   agency_id=agency.id, doc_type=doc_type, title=kw.pop("title", f"文书{n}"),
                   sha256=f"{n:064x}", issued_on=issued_on, **kw)
    db.session.add(doc)
    db.session.commit()
    return doc


def split(total: float) -> dict[str, str]:
    """M1/M2 scores adding up to ``total`` (M2 takes what M1's 70 cannot)."""
    m1 = min(70.0, total)
    return {"M1": f"{m1:.2f}", "M2": f"{total - m1:.2f}"}


def record_of(agency, period: str) -> AssessmentRecord:
    """The agency's record for the period (fresh from the database)."""
    db.session.expire_all()
    return db.session.execute(select(AssessmentRecord).where(
        AssessmentRecord.agency_id == agency.id, AssessmentRecord.period == period)
    ).scalar_one()


def score_quarter(period: str, admin, totals: dict, publish: bool = True,
                  finalise: bool = True) -> None:
    """Open the quarter and give each agency (key) its total, through the services."""
    services.open_period(period, admin, today=date(2100, 1, 1))
    for agency, total in totals.items():
        record = record_of(agency, period)
        if finalise:
            services.finalise(record, admin, split(total))
        else:
            services.save_scores(record, split(total), admin)
    if publish:
        services.publish(period, admin)
    db.session.commit()


def post(client, url: str, data: dict | None = None):
    """POST a form with the session's CSRF token."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, "/")})
