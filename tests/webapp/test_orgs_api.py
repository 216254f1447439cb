"""The write API for agencies, firms and advisors: same rules as the forms, JSON errors."""

from __future__ import annotations

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Advisor, Agency, AuditEvent, LawFirm


def count(model) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count(model.id))).scalar_one()


def test_admin_creates_updates_and_deactivates_by_token(app, client, make_user, token_for):
    headers = token_for(make_user("admin"))
    resp = client.post("/api/v1/firms", json={"name": "河南接口律师事务所",
                                              "licence_no": "91410200MA44ABCD1X"},
                       headers=headers)
    assert resp.status_code == 201 and resp.json["licence_no"] == "91410200MA44ABCD1X"
    firm_id = resp.json["id"]
    resp = client.post("/api/v1/advisors", json={
        "name": "接口律师", "kind": "lawyer", "firm_id": firm_id,
        "licence_no": "14102201910000077"}, headers=headers)
    assert resp.status_code == 201 and resp.json["firm"] == "河南接口律师事务所"
    resp = client.post("/api/v1/agencies", json={"code": "API1", "name": "接口局",
                                                 "category": "市政府部门"}, headers=headers)
    assert resp.status_code == 201 and resp.json["category"] == "government_dept"
    agency_id = resp.json["id"]
    resp = client.put(f"/api/v1/agencies/{agency_id}", json={"phone": "13800000000"},
                      headers=headers)
    assert resp.status_code == 200 and resp.json["name"] == "接口局"
    assert db.session.get(Agency, agency_id).phone == "13800000000"
    resp = client.post(f"/api/v1/agencies/{agency_id}/deactivate", headers=headers)
    assert resp.status_code == 200 and resp.json["active"] is False
    assert count(Agency) == 1
    assert db.session.execute(select(func.count(AuditEvent.id)).where(
        AuditEvent.action.in_(("agency_created", "agency_updated", "agency_deactivated",
                               "law_firm_created", "advisor_created")))).scalar_one() == 5


def test_bad_input_is_422_with_chinese_fields(app, client, make_user, token_for):
    headers = token_for(make_user("admin"))
    resp = client.post("/api/v1/advisors", json={"name": "<b>", "kind": "lawyer",
                                                 "licence_no": "123", "email": "x"},
                       headers=headers)
    assert resp.status_code == 422
    fields = resp.json["error"]["fields"]
    assert "HTML" in fields["name"] and "17 位数字" in fields["licence_no"]
    assert "律师须填写" in fields["firm_id"] and "电子邮箱" in fields["email"]
    resp = client.post("/api/v1/agencies", json={"code": "A1", "nmae": "typo"},
                       headers=headers)
    assert resp.status_code == 422 and "nmae" in resp.json["error"]["fields"]
    assert count(Advisor) == 0 and count(Agency) == 0


def test_non_admin_is_refused(app, client, make_user, token_for, make_agency):
    agency = make_agency("R1")
    headers = token_for(make_user("auditor"))
    assert client.post("/api/v1/firms", json={"name": "x"}, headers=headers).status_code == 403
    assert client.put(f"/api/v1/agencies/{agency.id}", json={"name": "改名"},
                      headers=headers).status_code == 403
    assert client.post(f"/api/v1/agencies/{agency.id}/deactivate",
                       headers=headers).status_code == 403
    assert count(LawFirm) == 0 and db.session.get(Agency, agency.id).active


def test_session_writes_need_csrf(app, client, login_as):
    login_as("admin")
    resp = client.post("/api/v1/agencies", json={"code": "S1", "name": "会话局",
                                                 "category": "government_dept"})
    assert resp.status_code == 400 and resp.json["error"]["code"] == "csrf"
    assert count(Agency) == 0


def test_write_routes_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "post" in paths["/api/v1/agencies"] and "put" in paths["/api/v1/firms/{firm_id}"]
    assert "post" in paths["/api/v1/advisors/{obj_id}/deactivate"]
