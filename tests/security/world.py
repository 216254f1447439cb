"""A small seeded world for the security tests: two agencies, every role, real objects.

Everything is created the way users create it (the API with bearer tokens, the
services the CLI uses), so the objects are real: documents have blobs, versions,
registration numbers and assessment records; the engagement has its rendered
contract. Only plain ids and strings leave the app context (``World``), so a
module-scoped world never hands a test a detached ORM object.

Agencies: ``A`` (own agency of ``clerk_a``), ``B`` (own agency of ``clerk_b``),
``C`` (sacrificial: the matrix deactivates it). Objects the matrix may change or
deactivate as an allowed role are sacrificial too (``victim`` user, ``spare_*``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from tests.helpers import PASSWORD
from tests.webapp.files import docx_bytes

# Distinctive strings of agency B's classified document: no clerk of agency A may
# ever receive them in any response body (matrix and API fuzzing scan for them).
SECRET_TITLE = "乙局涉密审查意见书玄武门七号"
SECRET_TEXT = "乙局涉密正文朱雀桥九号，不得向其他单位泄露。"
SECRET_FILENAME = "乙局涉密意见书.docx"
SECRET_NOTES = "乙局内部备注白虎堂三号"
PUBLIC_TITLE = "甲局关于采购合同的法律意见书青龙潭五号"
SECRET_MATTER = "乙局涉密法律事务白虎岭八号"  # the title of agency B's classified matter
PUBLIC_TEXT = "甲局公开正文：建议明确违约责任，补充履约担保条款。"

ROLE_NAMES = ("anonymous", "admin", "clerk_a", "clerk_b", "advisor", "auditor")


@dataclass(frozen=True)
class Role:
    """Who makes a request: a user (``username``) or nobody (anonymous)."""

    name: str
    role: str | None
    agency: str | None = None  # "A" / "B" for clerks

    @property
    def username(self) -> str | None:
        return None if self.role is None else f"sec_{self.name}"


ROLES: dict[str, Role] = {
    "anonymous": Role("anonymous", None),
    "admin": Role("admin", "admin"),
    "clerk_a": Role("clerk_a", "clerk", "A"),
    "clerk_b": Role("clerk_b", "clerk", "B"),
    "advisor": Role("advisor", "advisor"),
    "auditor": Role("auditor", "auditor"),
}


@dataclass
class World:
    """Ids and names of the seeded objects (plain values only)."""

    agencies: dict[str, int] = field(default_factory=dict)  # "A", "B", "C"
    agency_names: dict[str, str] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)  # role name -> user id, + "victim"
    tokens: dict[str, str] = field(default_factory=dict)  # role name -> bearer token
    spare_token_id: int = 0  # a token of the admin the matrix may revoke
    firm: int = 0
    spare_firm: int = 0
    advisor: int = 0  # the advisor record bound to the advisor user
    spare_advisor: int = 0
    pool_entry: int = 0
    doc_a: int = 0  # agency A, unclassified, advisor's, uploaded by clerk_a
    doc_b: int = 0  # agency B, classified, names the advisor, uploaded by clerk_b
    eng_a: int = 0  # draft engagement of agency A with the advisor
    supp_a: int = 0  # draft supplementary agreement to a signed engagement of agency A
    record_a: int = 0  # assessment record of agency A (the quarter of doc_a)
    record_period: str = "2022Q1"
    template_id: int = 0
    custom_field: int = 0  # a custom document field (text, searchable; the matrix toggles it)
    matter_a: int = 0  # legal matter of agency A assigned to the advisor (admin override)
    matter_b: int = 0  # classified legal matter of agency B assigned to the advisor
    notification: int = 0  # a notification of the advisor user (matter_a assigned)
    feed_token: str = ""  # the advisor user's calendar-feed token
    secrets: tuple[str, ...] = ()  # strings of agency B no clerk of A may see

    def header(self, role: str) -> dict[str, str]:
        """``Authorization: Bearer`` header of a role."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def engagement_body(world: World) -> dict:
    """A valid ``POST /api/v1/engagements`` body for agency A and the advisor."""
    return {
        "agency_id": world.agencies["A"], "advisor_id": world.advisor,
        "lawyer_ids": [world.advisor], "start_date": "2022-04-01", "end_date": "2023-03-31",
        "annual_fee": "68000", "services": ["major_decision", "contract_review"],
        "special_fee_terms": "代理诉讼、仲裁案件按件另行签订委托代理合同。",
        "response_hours": 24, "dispute_resolution": "court", "copies": 4,
    }


def _supplement(client, w: World) -> int:
    """A signed engagement of agency A and a draft fee change to it (#16)."""
    headers = w.header("admin")
    today = date.today()
    term = {"start_date": today.replace(day=1).isoformat(),
            "end_date": today.replace(year=today.year + 1, day=1).isoformat()}
    eng = client.post("/api/v1/engagements", json={**engagement_body(w), **term},
                      headers=headers).json
    resp = client.post(f"/api/v1/engagements/{eng['id']}/sign", headers=headers,
                       data={"file": (io.BytesIO(docx_bytes("签章页")), "scan.docx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    resp = client.post(f"/api/v1/engagements/{eng['id']}/supplements", headers=headers,
                       json={"effective_date": today.isoformat(), "change_fee": True,
                             "new_annual_fee": "72000"})
    assert resp.status_code == 201, resp.get_data(as_text=True)[:500]
    return resp.json["id"]


def _upload(client, headers, **form) -> dict:
    data = dict(form)
    content = data.pop("content")
    filename = data.pop("filename", "意见书.docx")
    data = {k: str(v) for k, v in data.items()}
    data["file"] = (io.BytesIO(content), filename)
    resp = client.post("/api/v1/documents", data=data, headers=headers,
                       content_type="multipart/form-data")
    assert resp.status_code == 201, resp.get_data(as_text=True)[:500]
    return resp.json


def seed(app: Flask) -> World:
    """Create the world in ``app`` (call inside an app context)."""
    from webapp.auth.services import create_user, issue_token
    from webapp.extensions import db
    from webapp.indexing.jobs import drain
    from webapp.models import (
        Advisor,
        Agency,
        ApiToken,
        AssessmentRecord,
        ContractTemplate,
        LawFirm,
        TalentPoolEntry,
    )

    w = World()
    agencies = {"A": Agency(code="SA01", name="开封市甲局", category="government_dept",
                            legal_rep="王甲", address="开封市甲路1号", contact="李甲",
                            phone="0371-21111111"),
                "B": Agency(code="SB01", name="开封市乙局", category="government_dept",
                            legal_rep="王乙", address="开封市乙路2号", contact="李乙",
                            phone="0371-22222222"),
                "C": Agency(code="SC01", name="开封市丙局", category="government_dept")}
    firm = LawFirm(name="河南甲乙律师事务所", leader="张伟", address="开封市自由路88号",
                   phone="13812345678")
    spare_firm = LawFirm(name="河南备用律师事务所")
    db.session.add_all([*agencies.values(), firm, spare_firm])
    db.session.flush()
    lawyer = Advisor(name="赵敏", kind="lawyer", firm_id=firm.id,
                     licence_no="14102201110123456", phone="13800000000")
    spare = Advisor(name="钱备用", kind="lawyer", firm_id=spare_firm.id,
                    licence_no="14102201110654321")
    db.session.add_all([lawyer, spare])
    db.session.flush()
    entry = TalentPoolEntry(category="lawyer", advisor_id=lawyer.id, admitted_on=date.today())
    db.session.add(entry)
    db.session.commit()

    users = {}
    for role in ROLES.values():
        if role.role is None:
            continue
        users[role.name] = create_user(
            role.username, role.role, PASSWORD,
            agency_code=agencies[role.agency].code if role.agency else None,
            advisor_id=lawyer.id if role.role == "advisor" else None)
    users["victim"] = create_user("sec_victim", "clerk", PASSWORD,
                                  agency_code=agencies["C"].code)
    db.session.commit()
    tokens = {name: issue_token(user, "security-tests") for name, user in users.items()
              if name != "victim"}
    issue_token(users["admin"], "spare")
    db.session.commit()
    spare_token = db.session.execute(select(ApiToken).where(ApiToken.name == "spare")
                                     ).scalar_one()

    w.agencies = {k: a.id for k, a in agencies.items()}
    w.agency_names = {k: a.name for k, a in agencies.items()}
    w.users = {k: u.id for k, u in users.items()}
    w.tokens = tokens
    w.spare_token_id = spare_token.id
    w.firm, w.spare_firm = firm.id, spare_firm.id
    w.advisor, w.spare_advisor = lawyer.id, spare.id
    w.pool_entry = entry.id
    from webapp.documents import custom

    field = custom.create(custom.CustomFieldIn(name="case_ref", label="案卷编号", kind="text",
                                               filterable=True, searchable=True, exported=True))
    db.session.commit()
    w.custom_field = field.id
    w.template_id = db.session.execute(
        select(ContractTemplate.id).order_by(ContractTemplate.id.desc())).scalars().first()

    client = app.test_client()
    w.doc_a = _upload(client, w.header("clerk_a"), agency_id=w.agencies["A"],
                      doc_type="legal_opinion", title=PUBLIC_TITLE, advisor_id=lawyer.id,
                      issued_on="2022-03-31", content=docx_bytes(PUBLIC_TEXT),
                      filename="甲局意见书.docx")["id"]
    w.doc_b = _upload(client, w.header("clerk_b"), agency_id=w.agencies["B"],
                      doc_type="legal_opinion", title=SECRET_TITLE, advisor_id=lawyer.id,
                      issued_on="2022-03-30", classified="true", notes=SECRET_NOTES,
                      content=docx_bytes(SECRET_TEXT), filename=SECRET_FILENAME)["id"]
    resp = client.post("/api/v1/engagements", json=engagement_body(w), headers=w.header("admin"))
    assert resp.status_code == 201, resp.get_data(as_text=True)[:500]
    w.eng_a = resp.json["id"]
    w.supp_a = _supplement(client, w)
    w.record_a = db.session.execute(select(AssessmentRecord.id).where(
        AssessmentRecord.agency_id == w.agencies["A"],
        AssessmentRecord.period == w.record_period)).scalar_one()
    _seed_matters(client, w)
    drain()
    w.secrets = (SECRET_TITLE, SECRET_TEXT[:8], Path(SECRET_FILENAME).stem, SECRET_NOTES,
                 SECRET_MATTER)
    db.session.commit()
    return w


def _seed_matters(client, w: World) -> None:
    """Matter A (unclassified) and matter B (classified), both assigned to the advisor by
    the admin's override (the seeded engagement is a draft), the advisor's notification
    and calendar-feed token, and a spare calendar day the matrix may delete."""
    from datetime import date as day

    from webapp.extensions import db
    from webapp.matters import calendar
    from webapp.models import Notification, User
    from webapp.notifications import feed

    ids = {}
    for key, title, classified in (("A", "甲局法律事务朱雀门", False), ("B", SECRET_MATTER, True)):
        body = {"agency_id": w.agencies[key], "kind": "contract_review", "title": title,
                "classified": classified, "advisor_ids": [w.advisor],
                "override_reason": "安全测试"}
        resp = client.post("/api/v1/matters", json=body, headers=w.header("admin"))
        assert resp.status_code == 201, resp.get_data(as_text=True)[:500]
        ids[key] = resp.json["id"]
    w.matter_a, w.matter_b = ids["A"], ids["B"]
    w.notification = db.session.execute(select(Notification.id).where(
        Notification.user_id == w.users["advisor"])).scalars().first()
    advisor = db.session.get(User, w.users["advisor"])
    admin = db.session.get(User, w.users["admin"])
    w.feed_token = feed.issue(advisor)
    calendar.save(admin, calendar.CalendarDayIn(day=day(2031, 1, 2), kind="holiday",
                                                name="测试假日"))
    db.session.commit()
