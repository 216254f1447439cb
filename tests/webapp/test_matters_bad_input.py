"""Bad input of issue #13: each gets a Chinese error (JSON under /api/) and changes nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.webapp.matters_support import docx_file, matter_body, seed
from webapp.extensions import db
from webapp.models import AuditEvent, Document, LegalMatter, Notification, Recommendation


@pytest.fixture
def world(app, make_user):
    return seed(make_user)


def _counts():
    return tuple(db.session.execute(select(func.count()).select_from(model)).scalar_one()
                 for model in (LegalMatter, Document, Recommendation, Notification))


def _audit_count():
    return db.session.execute(select(func.count(AuditEvent.id)).where(
        AuditEvent.action.like("matter%"))).scalar_one()


def _refused(resp, status, field=None):
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    error = resp.json["error"]
    text = error["fields"][field] if field else error["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    return text


def _new(client, world, token_for, **changes):
    resp = client.post("/api/v1/matters", json=matter_body(world, **changes),
                       headers=token_for(world.clerk))
    assert resp.status_code == 201, resp.json
    return resp.json


def test_assigning_an_advisor_the_agency_does_not_engage(client, world, token_for):
    before, audit = _counts(), _audit_count()
    resp = client.post("/api/v1/matters", json=matter_body(world, advisor_ids=[world.outsider.id]),
                       headers=token_for(world.clerk))
    assert "钱律师" in _refused(resp, 422, "advisor_ids")
    assert _counts() == before and _audit_count() == audit


def test_only_the_admin_may_override_with_a_reason(client, world, token_for):
    body = matter_body(world, advisor_ids=[world.outsider.id], override_reason="紧急事项")
    _refused(client.post("/api/v1/matters", json=body, headers=token_for(world.clerk)),
             422, "advisor_ids")
    resp = client.post("/api/v1/matters", json=body, headers=token_for(world.admin))
    assert resp.status_code == 201
    assert db.session.get(LegalMatter, resp.json["id"]).override_reason == "紧急事项"


def test_a_due_date_before_the_request(client, world, token_for):
    before = _counts()
    body = matter_body(world, requested_on="2026-03-10", due_on="2026-03-09")
    assert "2026-03-10" in _refused(client.post("/api/v1/matters", json=body,
                                                headers=token_for(world.clerk)), 422, "due_on")
    assert _counts() == before


def test_adoption_feedback_on_an_unanswered_matter(client, world, token_for):
    matter = _new(client, world, token_for)
    before, audit = _counts(), _audit_count()
    body = {"recommendations": [{"text": "建议一", "adoption": "adopted"}]}
    resp = client.post(f"/api/v1/matters/{matter['id']}/adopt", json=body,
                       headers=token_for(world.clerk))
    assert "尚未出具意见" in _refused(resp, 409)
    assert _counts() == before and _audit_count() == audit


def test_an_answer_by_someone_not_assigned(client, world, token_for):
    matter = _new(client, world, token_for)
    client.post(f"/api/v1/matters/{matter['id']}/accept", headers=token_for(world.advisor_user))
    before = _counts()
    data = {"file": (io.BytesIO(docx_file()), "意见.docx")}
    resp = client.post(f"/api/v1/matters/{matter['id']}/answer", data=data,
                       headers=token_for(world.clerk), content_type="multipart/form-data")
    assert "承办法律顾问" in _refused(resp, 403)
    resp = client.post(f"/api/v1/matters/{matter['id']}/answer",
                       data={"file": (io.BytesIO(docx_file()), "意见.docx")},
                       headers=token_for(world.outsider_user), content_type="multipart/form-data")
    assert resp.status_code == 403  # not theirs to see, let alone answer
    assert _counts() == before
    assert db.session.get(LegalMatter, matter["id"]).status == "accepted"


def _answered(client, world, token_for):
    matter = _new(client, world, token_for)
    advisor = token_for(world.advisor_user)
    client.post(f"/api/v1/matters/{matter['id']}/accept", headers=advisor)
    resp = client.post(f"/api/v1/matters/{matter['id']}/answer", headers=advisor,
                       data={"file": (io.BytesIO(docx_file()), "意见.docx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 200, resp.json
    return matter


def test_a_recommendation_without_text(client, world, token_for):
    matter = _answered(client, world, token_for)
    before, audit = _counts(), _audit_count()
    body = {"recommendations": [{"text": "建议一", "adoption": "adopted"},
                                {"text": "  ", "adoption": "adopted"}]}
    resp = client.post(f"/api/v1/matters/{matter['id']}/adopt", json=body,
                       headers=token_for(world.clerk))
    assert "第 2 条" in _refused(resp, 422, "recommendations.1.text")
    assert _counts() == before and _audit_count() == audit
    assert db.session.get(LegalMatter, matter["id"]).status == "answered"


def test_not_adopted_needs_a_reason(client, world, token_for):
    matter = _answered(client, world, token_for)
    body = {"recommendations": [{"text": "建议一", "adoption": "not_adopted"}]}
    resp = client.post(f"/api/v1/matters/{matter['id']}/adopt", json=body,
                       headers=token_for(world.clerk))
    _refused(resp, 422, "recommendations.0.reason")


def test_an_answer_without_a_file_keeps_no_document(client, world, token_for):
    matter = _new(client, world, token_for)
    advisor = token_for(world.advisor_user)
    client.post(f"/api/v1/matters/{matter['id']}/accept", headers=advisor)
    before = _counts()
    resp = client.post(f"/api/v1/matters/{matter['id']}/answer", headers=advisor,
                       data={"recommendations": "[\"建议\"]"}, content_type="multipart/form-data")
    _refused(resp, 422, "file")
    assert _counts() == before


def test_html_in_a_title_and_unknown_kind(client, world, token_for):
    before = _counts()
    clerk = token_for(world.clerk)
    _refused(client.post("/api/v1/matters", json=matter_body(world, title="<b>x</b>"),
                         headers=clerk), 422, "title")
    _refused(client.post("/api/v1/matters", json=matter_body(world, kind="bogus"),
                         headers=clerk), 422, "kind")
    assert _counts() == before


def test_a_clerk_requests_only_for_their_own_agency(client, world, token_for):
    before = _counts()
    body = matter_body(world, agency_id=world.other_agency.id)
    _refused(client.post("/api/v1/matters", json=body, headers=token_for(world.clerk)), 403)
    assert _counts() == before


def test_a_classified_matter_is_invisible_to_its_advisor(client, world, token_for):
    matter = _new(client, world, token_for, classified=True, title="涉密事项青龙桥")
    advisor = token_for(world.advisor_user)
    assert client.get(f"/api/v1/matters/{matter['id']}", headers=advisor).status_code == 403
    listed = client.get("/api/v1/matters", headers=advisor).get_data(as_text=True)
    assert "青龙桥" not in listed
    other = client.get("/api/v1/matters", headers=token_for(world.other_clerk))
    assert "青龙桥" not in other.get_data(as_text=True)
    notes = db.session.execute(select(Notification).where(
        Notification.user_id == world.advisor_user.id)).scalars().all()
    assert notes == []
    # the agency's clerk records the advisor's steps on the advisor's behalf
    clerk = token_for(world.clerk)
    assert client.post(f"/api/v1/matters/{matter['id']}/accept", headers=clerk).json[
        "status"] == "accepted"
