"""Shared fixtures of the engagement tests: a small world of registers, pool and users.

The ``world`` fixture (``tests/webapp/conftest.py``) seeds it; the test modules import
the helpers they use by name. It holds no tests itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import docx
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import (
    Advisor,
    Agency,
    AuditEvent,
    ContractTemplate,
    Document,
    DocumentVersion,
    Engagement,
    IndexJob,
    LawFirm,
    TalentPoolEntry,
)


@dataclass
class World:
    """The registers and users every engagement test starts from."""

    agency: Agency
    other_agency: Agency
    firm: LawFirm
    lawyer: Advisor
    partner: Advisor
    suspended: Advisor
    outsider: Advisor
    admin: object
    clerk: object
    other_clerk: object
    auditor: object
    advisor_user: object
    headers: dict


def _lawyer(name: str, firm: LawFirm, licence: str) -> Advisor:
    advisor = Advisor(name=name, kind="lawyer", firm_id=firm.id, licence_no=licence,
                      phone="13800000000")
    db.session.add(advisor)
    db.session.flush()
    return advisor


def seed_world(make_user, token_for) -> World:
    """Two agencies, two firms, lawyers in and out of the pool, a user per role."""
    agency = Agency(code="GD10", name="开封市市场监督管理局", category="government_dept",
                    legal_rep="王建国", address="开封市龙亭区中山路北段1号", contact="李娜",
                    phone="0371-23456789")
    other = Agency(code="GD11", name="开封市审计局", category="government_dept",
                   legal_rep="赵强", address="开封市鼓楼区自由路2号", contact="孙丽",
                   phone="0371-22222222")
    firm = LawFirm(name="河南汴梁律师事务所", leader="张伟", address="开封市鼓楼区自由路88号",
                   phone="13812345678")
    lone = LawFirm(name="河南宋都律师事务所", leader="周明", address="开封市禹王台区1号",
                   phone="0371-26666666")
    db.session.add_all([agency, other, firm, lone])
    db.session.flush()
    lawyer = _lawyer("赵敏", firm, "14102201110123456")
    partner = _lawyer("钱军", firm, "14102201510654321")
    suspended = _lawyer("孙强", firm, "14102201610000001")
    outsider = _lawyer("吴昊", lone, "14102201710000002")
    today = date.today()
    db.session.add_all([
        TalentPoolEntry(category="lawyer", advisor_id=lawyer.id, admitted_on=today),
        TalentPoolEntry(category="lawyer", advisor_id=partner.id, admitted_on=today,
                        status="renewed", renewed_on=today),
        TalentPoolEntry(category="lawyer", advisor_id=suspended.id, admitted_on=today,
                        status="suspended", suspended_on=today, status_reason="考核不合格"),
    ])
    db.session.commit()
    admin = make_user("admin", username="admin1")
    return World(agency=agency, other_agency=other, firm=firm, lawyer=lawyer, partner=partner,
                 suspended=suspended, outsider=outsider, admin=admin,
                 clerk=make_user("clerk", agency=agency, username="clerk1"),
                 other_clerk=make_user("clerk", agency=other, username="clerk2"),
                 auditor=make_user("auditor", username="auditor1"),
                 advisor_user=make_user("advisor", advisor=lawyer, username="advisor1"),
                 headers=token_for(admin))


def body(world: World, **changes) -> dict:
    """A valid ``POST /api/v1/engagements`` body (``changes`` override; ``None`` drops)."""
    data = {
        "agency_id": world.agency.id, "advisor_id": world.lawyer.id,
        "lawyer_ids": [world.lawyer.id, world.partner.id],
        "start_date": "2022-04-01", "end_date": "2023-03-31", "annual_fee": "68000",
        "services": ["major_decision", "contract_review", "petition", "training"],
        "special_fee_terms": "代理诉讼、仲裁案件按件另行签订委托代理合同，每件不超过人民币伍仟元。",
        "response_hours": 24, "dispute_resolution": "court", "copies": 4,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def create(client, headers, data):
    """POST one engagement through the API."""
    return client.post("/api/v1/engagements", json=data, headers=headers)


def docx_texts(data: bytes) -> list[str]:
    """Every paragraph of a .docx: body, tables, headers and footers."""
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in document.sections:
        texts.extend(p.text for p in section.footer.paragraphs)
        texts.extend(p.text for p in section.header.paragraphs)
    return texts


def contract_text(data: bytes) -> str:
    """All text of a .docx, joined by newlines."""
    return "\n".join(docx_texts(data))


def counts(app) -> tuple:
    """Everything a refused request must leave unchanged: rows, blobs and temp files."""
    from pathlib import Path

    from webapp.documents.intake import blob_store

    def count(model) -> int:
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()

    tmp = Path(app.config["GOVCOUNSEL_DATA_DIR"]) / "tmp"
    pending = sorted(p.name for p in tmp.glob("*")) if tmp.exists() else []
    return (count(Engagement), count(Document), count(DocumentVersion), count(IndexJob),
            count(AuditEvent), count(ContractTemplate), sorted(blob_store().iter_keys()),
            pending)
