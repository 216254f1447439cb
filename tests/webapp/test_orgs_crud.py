"""Admin creates, edits and deactivates agencies, firms and advisors; others are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.helpers import csrf_token
from webapp.extensions import db
from webapp.models import Advisor, Agency, AuditEvent, LawFirm

FIRM_CODE = "91410200MA44ABCD1X"
LAWYER_NO = "14102201910123456"


def count(model) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count(model.id))).scalar_one()


def events(action: str) -> list[AuditEvent]:
    return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == action))
                .scalars())


def post(client, url: str, data: dict, token: bool = True):
    if token:
        data = {**data, "csrf_token": csrf_token(client, "/orgs/firms")}
    return client.post(url, data=data)


AGENCY = {"code": "GD99", "name": "开封市测试局", "category": "government_dept",
          "legal_rep": "王局长", "phone": "0371-23456789"}
FIRM = {"name": "河南测试律师事务所", "licence_no": FIRM_CODE, "leader": "李主任",
        "address": "开封市龙亭区测试路1号", "phone": "13800000000"}


def test_admin_creates_and_edits_an_agency(app, client, login_as):
    login_as("admin")
    resp = post(client, "/orgs/agencies/new", {**AGENCY, "is_classified_unit": "y"})
    assert resp.status_code == 302
    agency = db.session.execute(select(Agency).where(Agency.code == "GD99")).scalar_one()
    assert agency.is_classified_unit and agency.active and agency.phone == "0371-23456789"
    resp = post(client, f"/orgs/agencies/{agency.id}/edit",
                {**AGENCY, "name": "开封市测试管理局", "category": "stationed_unit"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert agency.name == "开封市测试管理局" and agency.category == "stationed_unit"
    assert not agency.is_classified_unit
    updated = events("agency_updated")[-1]
    assert updated.detail["before"]["name"] == "开封市测试局"
    assert updated.detail["after"]["name"] == "开封市测试管理局"
    assert events("agency_created")


def test_edit_form_is_prefilled(app, client, login_as, make_agency):
    agency = make_agency("P1", "预填局", phone="13912345678")
    login_as("admin")
    html = client.get(f"/orgs/agencies/{agency.id}/edit").get_data(as_text=True)
    assert 'value="预填局"' in html and 'value="13912345678"' in html


def test_admin_deactivates_and_reactivates_but_never_deletes(app, client, login_as,
                                                             make_agency):
    agency = make_agency("D1", "停用测试局")
    login_as("admin")
    assert post(client, f"/orgs/agencies/{agency.id}/deactivate", {}).status_code == 302
    db.session.expire_all()
    assert agency.active is False and count(Agency) == 1
    assert events("agency_deactivated")[-1].detail == {"before": {"active": True},
                                                       "after": {"active": False}}
    assert post(client, f"/orgs/agencies/{agency.id}/reactivate", {}).status_code == 302
    db.session.expire_all()
    assert agency.active is True


def test_admin_creates_firm_and_lawyer(app, client, login_as):
    login_as("admin")
    assert post(client, "/orgs/firms/new", FIRM).status_code == 302
    firm = db.session.execute(select(LawFirm)).scalar_one()
    resp = post(client, "/orgs/advisors/new", {
        "name": "赵律师", "kind": "lawyer", "firm_id": str(firm.id), "licence_no": LAWYER_NO,
        "title": "合伙人", "specialties": "行政法", "phone": "13700000000",
        "email": "zhao@example.cn"})
    assert resp.status_code == 302
    lawyer = db.session.execute(select(Advisor)).scalar_one()
    assert lawyer.firm_id == firm.id and lawyer.licence_no == LAWYER_NO
    html = client.get("/orgs/advisors").get_data(as_text=True)
    assert "赵律师" in html and "河南测试律师事务所" in html


def test_scholar_needs_no_firm_or_licence(app, client, login_as):
    login_as("admin")
    resp = post(client, "/orgs/advisors/new", {"name": "钱教授", "kind": "scholar",
                                               "title": "河南大学法学院教授"})
    assert resp.status_code == 302
    assert count(Advisor) == 1


def test_full_width_digits_are_normalised(app, client, login_as):
    login_as("admin")
    resp = post(client, "/orgs/firms/new", {**FIRM, "phone": "１３８００００００００",
                                            "licence_no": FIRM_CODE.lower()})
    assert resp.status_code == 302
    firm = db.session.execute(select(LawFirm)).scalar_one()
    assert firm.phone == "13800000000" and firm.licence_no == FIRM_CODE


@pytest.mark.parametrize("role", ["clerk", "advisor", "auditor"])
def test_non_admin_writes_are_refused(app, client, login_as, make_agency, make_advisor, role):
    agency = make_agency("R1", "只读局")
    advisor = make_advisor("只读律师")
    login_as(role, agency=agency if role == "clerk" else None,
             advisor=advisor if role == "advisor" else None)
    before = (count(Agency), count(LawFirm), count(Advisor))
    assert client.get("/orgs/agencies/new").status_code == 403
    assert post(client, "/orgs/agencies/new", AGENCY).status_code == 403
    assert post(client, "/orgs/firms/new", FIRM).status_code == 403
    assert post(client, f"/orgs/agencies/{agency.id}/edit", AGENCY).status_code == 403
    assert post(client, f"/orgs/agencies/{agency.id}/deactivate", {}).status_code == 403
    assert post(client, f"/orgs/advisors/{advisor.id}/deactivate", {}).status_code == 403
    assert client.get("/orgs/agencies/import").status_code == 403
    db.session.expire_all()
    assert (count(Agency), count(LawFirm), count(Advisor)) == before
    assert agency.active and advisor.active


def test_missing_csrf_token_is_refused(app, client, login_as, make_agency):
    agency = make_agency("C1", "防伪局")
    login_as("admin")
    resp = post(client, "/orgs/agencies/new", AGENCY, token=False)
    assert resp.status_code == 400 and "页面已过期" in resp.get_data(as_text=True)
    resp = post(client, f"/orgs/agencies/{agency.id}/deactivate", {}, token=False)
    assert resp.status_code == 400
    resp = client.post("/orgs/agencies/new", data={**AGENCY, "csrf_token": "forged"})
    assert resp.status_code == 400
    db.session.expire_all()
    assert count(Agency) == 1 and agency.active


def test_unknown_record_is_404(app, client, login_as):
    login_as("admin")
    assert client.get("/orgs/firms/999/edit").status_code == 404
    assert post(client, "/orgs/advisors/999/deactivate", {}).status_code == 404


def test_forms_render_for_admin(app, client, login_as):
    login_as("admin")
    for url in ("/orgs/agencies/new", "/orgs/firms/new", "/orgs/advisors/new"):
        html = client.get(url).get_data(as_text=True)
        assert 'name="csrf_token"' in html and "保存" in html
        assert "<script>" not in html and "style=" not in html
