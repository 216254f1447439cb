"""The life of a legal matter through the API: request, accept, return (clock paused),
resubmit, answer with an opinion, record adoption, close; every step audited."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.webapp.matters_support import docx_file, matter_body, seed
from webapp.extensions import db
from webapp.matters.workdays import add_working_days
from webapp.models import AuditEvent, Document, LegalMatter, Recommendation


@pytest.fixture
def world(app, make_user):
    return seed(make_user)


def _answer(client, headers, matter_id, recommendations='["补充违约责任条款", "明确履约担保"]'):
    return client.post(f"/api/v1/matters/{matter_id}/answer", headers=headers,
                       data={"file": (io.BytesIO(docx_file()), "法律意见书.docx"),
                             "recommendations": recommendations},
                       content_type="multipart/form-data")


def test_the_whole_life_of_a_matter(client, world, token_for):
    clerk, advisor = token_for(world.clerk), token_for(world.advisor_user)
    resp = client.post("/api/v1/matters", json=matter_body(world), headers=clerk)
    assert resp.status_code == 201, resp.json
    matter = resp.json
    assert matter["status"] == "submitted"
    assert matter["due_on"] == add_working_days(date.today(), 5).isoformat()
    assert client.get(f"/api/v1/matters/{matter['id']}", headers=advisor).json["actions"] == \
        ["accept", "return"]

    resp = client.post(f"/api/v1/matters/{matter['id']}/accept", headers=advisor)
    assert resp.status_code == 200 and resp.json["status"] == "accepted"
    resp = _answer(client, advisor, matter["id"])
    assert resp.status_code == 200, resp.json
    assert resp.json["status"] == "answered"
    assert [r["adoption"] for r in resp.json["recommendations"]] == ["pending", "pending"]
    opinion = db.session.get(Document, resp.json["opinion_document_id"])
    assert opinion.doc_type == "legality_review" and opinion.recommendations == 2
    assert opinion.meeting_type == "executive_meeting" and opinion.agency_id == world.agency.id

    body = {"recommendations": [
        {"text": "补充违约责任条款", "adoption": "adopted"},
        {"text": "明确履约担保", "adoption": "not_adopted", "reason": "对方已提供银行保函"},
        {"text": "增加争议解决条款", "adoption": "partly_adopted", "reason": "仅约定诉讼管辖"}]}
    resp = client.post(f"/api/v1/matters/{matter['id']}/adopt", json=body, headers=clerk)
    assert resp.status_code == 200, resp.json
    assert resp.json["status"] == "adoption_recorded"
    db.session.expire_all()
    assert db.session.get(Document, opinion.id).recommendations == 3
    assert client.post(f"/api/v1/matters/{matter['id']}/close", headers=clerk).json[
        "status"] == "closed"
    actions = db.session.execute(select(AuditEvent.action).where(
        AuditEvent.object_type == "legal_matter", AuditEvent.object_id == str(matter["id"]))
        .order_by(AuditEvent.seq)).scalars().all()
    assert actions == ["matter_submitted", "matter_accepted", "matter_answered",
                       "matter_adoption_recorded", "matter_closed"]


def test_returning_pauses_the_clock(client, world, token_for):
    clerk, advisor = token_for(world.clerk), token_for(world.advisor_user)
    requested = date(2026, 2, 9)  # Monday; 5 working days later is Saturday the 14th (调休)
    body = matter_body(world, requested_on=requested.isoformat())
    matter = client.post("/api/v1/matters", json=body, headers=clerk).json
    assert matter["due_on"] == "2026-02-14"
    from webapp.matters import lifecycle
    from webapp.matters.schemas import ReasonInput
    from webapp.transaction import unit_of_work

    with unit_of_work():
        row = db.session.get(LegalMatter, matter["id"])
        lifecycle.return_for_material(world.advisor_user, row, ReasonInput(reason="缺少可研报告"),
                                      today=date(2026, 2, 11))
    with unit_of_work():
        row = db.session.get(LegalMatter, matter["id"])
        assert not row.is_overdue(date(2026, 3, 1))  # returned: the clock is stopped
        # returned Wednesday 11th, resubmitted Wednesday 25th: the 12th, 13th, 14th (调休),
        # 24th and 25th were working days (15th-23rd Spring Festival) -> 5 days paused
        lifecycle.resubmit(world.clerk, row, today=date(2026, 2, 25))
    row = db.session.get(LegalMatter, matter["id"])
    assert row.paused_days == 5 and row.status == "submitted"
    assert row.due_on == date(2026, 2, 28)  # Feb 14 + 5 working days: 24-27 and the 28th (调休)
    assert client.get(f"/api/v1/matters/{matter['id']}", headers=advisor).json["paused_days"] == 5


def test_overdue_is_flagged_from_the_due_date(client, world, token_for):
    clerk = token_for(world.clerk)
    body = matter_body(world, requested_on="2026-03-02", due_on="2026-03-04")
    matter = client.post("/api/v1/matters", json=body, headers=clerk).json
    row = db.session.get(LegalMatter, matter["id"])
    assert not row.is_overdue(date(2026, 3, 4)) and row.is_overdue(date(2026, 3, 5))
    listed = client.get("/api/v1/matters?overdue=true", headers=clerk).json
    assert [m["id"] for m in listed["items"]] == ([matter["id"]] if date.today() >
                                                  date(2026, 3, 4) else [])


def test_withdraw_needs_a_reason_and_ends_the_matter(client, world, token_for):
    clerk = token_for(world.clerk)
    matter = client.post("/api/v1/matters", json=matter_body(world), headers=clerk).json
    resp = client.post(f"/api/v1/matters/{matter['id']}/withdraw", json={"reason": ""},
                       headers=clerk)
    assert resp.status_code == 422 and "reason" in resp.json["error"]["fields"]
    resp = client.post(f"/api/v1/matters/{matter['id']}/withdraw",
                       json={"reason": "决策事项已取消"}, headers=clerk)
    assert resp.json["status"] == "withdrawn" and resp.json["actions"] == []
    assert db.session.execute(select(func.count(Recommendation.id))).scalar_one() == 0
