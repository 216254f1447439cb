"""The talent pool life cycle: admit, renew, suspend, remove, yearly review."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.helpers import csrf_token
from webapp.extensions import db
from webapp.models import AuditEvent, LawFirm, TalentPoolEntry


def post(client, url: str, data: dict):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, "/orgs/pool")})


def entries() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count(TalentPoolEntry.id))).scalar_one()


@pytest.fixture
def lawyer(app, make_advisor):
    return make_advisor("吴律师", specialties="合同法")


@pytest.fixture
def entry(lawyer):
    row = TalentPoolEntry(category="lawyer", advisor_id=lawyer.id, admitted_on=date(2021, 3, 1))
    db.session.add(row)
    db.session.commit()
    return row


def test_admin_admits_a_lawyer_with_his_specialties(client, login_as, lawyer):
    login_as("admin")
    html = client.get("/orgs/pool/new").get_data(as_text=True)
    assert "吴律师（律师）" in html and date.today().isoformat() in html
    resp = post(client, "/orgs/pool/new", {"category": "lawyer", "advisor_id": str(lawyer.id),
                                           "admitted_on": "2022-01-10"})
    assert resp.status_code == 302
    row = db.session.execute(select(TalentPoolEntry)).scalar_one()
    assert row.status == "admitted" and row.specialties == "合同法"
    assert row.admitted_on == date(2022, 1, 10)
    assert db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "pool_admitted")).scalar_one().object_id == str(row.id)


def test_admin_admits_a_firm(client, login_as, app):
    firm = LawFirm(name="河南入库律师事务所", licence_no="91410200MA44ABCD1X")
    db.session.add(firm)
    db.session.commit()
    login_as("admin")
    resp = post(client, "/orgs/pool/new", {"category": "firm", "firm_id": str(firm.id),
                                           "admitted_on": "2022-01-10"})
    assert resp.status_code == 302 and entries() == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"category": "lawyer"}, "请选择入库的"),
    ({"category": "scholar"}, "与入库类别不符"),
    ({"category": "lawyer", "admitted_on": ""}, "必填"),
    ({"category": "lawyer", "admitted_on": "2022-13-01"}, "日期格式不正确"),
    ({"category": "lawyer", "advisor_id": "99999"}, "不存在"),
    ({"category": "lawyer", "notes": "<script>"}, "HTML"),
])
def test_bad_admissions_write_nothing(client, login_as, lawyer, data, message):
    login_as("admin")
    payload = {"advisor_id": str(lawyer.id), "admitted_on": "2022-01-10", **data}
    if data == {"category": "lawyer"}:
        payload["advisor_id"] = ""
    resp = post(client, "/orgs/pool/new", payload)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert entries() == 0


def test_a_member_is_admitted_only_once(client, login_as, lawyer, entry):
    login_as("admin")
    resp = post(client, "/orgs/pool/new", {"category": "lawyer", "advisor_id": str(lawyer.id),
                                           "admitted_on": "2022-01-10"})
    assert resp.status_code == 422 and "已在人才库中（已入库）" in resp.get_data(as_text=True)
    assert entries() == 1


def test_suspend_needs_a_reason_then_renew_then_remove(client, login_as, entry):
    login_as("admin")
    url = f"/orgs/pool/{entry.id}"
    resp = post(client, url + "/suspend", {"on_date": "2022-02-15", "reason": ""})
    assert resp.status_code == 422 and "请填写原因" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert entry.status == "admitted"
    resp = post(client, url + "/suspend", {"on_date": "2022-02-15", "reason": "考核不合格"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert (entry.status, entry.suspended_on, entry.status_reason) == (
        "suspended", date(2022, 2, 15), "考核不合格")
    assert post(client, url + "/renew", {"on_date": "2023-03-01"}).status_code == 302
    db.session.expire_all()
    assert entry.status == "renewed" and entry.renewed_on == date(2023, 3, 1)
    resp = post(client, url + "/remove", {"on_date": "2023-06-01", "reason": "本人申请退出"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert entry.status == "removed" and entries() == 1
    html = client.get(url).get_data(as_text=True)
    assert "已出库" in html and "本人申请退出" in html
    actions = db.session.execute(select(AuditEvent.action).where(
        AuditEvent.object_type == "talent_pool_entry")).scalars().all()
    assert actions == ["pool_suspended", "pool_renewed", "pool_removed"]


def test_removed_entry_cannot_be_suspended_or_reviewed(client, login_as, entry):
    entry.status, entry.removed_on, entry.status_reason = "removed", date(2022, 1, 1), "退出"
    db.session.commit()
    login_as("admin")
    resp = post(client, f"/orgs/pool/{entry.id}/suspend", {"on_date": "2022-02-01",
                                                           "reason": "x"})
    assert resp.status_code == 409 and "不能执行此操作" in resp.get_data(as_text=True)
    resp = post(client, f"/orgs/pool/{entry.id}/review", {"year": "2022",
                                                          "result": "qualified"})
    assert resp.status_code == 409


def test_status_date_cannot_precede_admission(client, login_as, entry):
    login_as("admin")
    resp = post(client, f"/orgs/pool/{entry.id}/remove", {"on_date": "2020-01-01",
                                                          "reason": "退出"})
    assert resp.status_code == 422 and "不能早于入库日期" in resp.get_data(as_text=True)


def test_yearly_review_is_recorded_and_checked(client, login_as, entry):
    login_as("admin")
    url = f"/orgs/pool/{entry.id}/review"
    resp = post(client, url, {"year": "1999", "result": "qualified"})
    assert resp.status_code == 422 and "考核年度应在" in resp.get_data(as_text=True)
    resp = post(client, url, {"year": str(date.today().year + 1), "result": "qualified"})
    assert resp.status_code == 422
    resp = post(client, url, {"year": "2022", "result": "best"})
    assert resp.status_code == 422 and "不是有效选项" in resp.get_data(as_text=True)
    assert post(client, url, {"year": "2022", "result": "excellent"}).status_code == 302
    db.session.expire_all()
    assert (entry.last_review_year, entry.last_review_result) == (2022, "excellent")
    resp = post(client, url, {"year": "2021", "result": "qualified"})
    assert resp.status_code == 422 and "不能改为更早的年度" in resp.get_data(as_text=True)
    html = client.get("/orgs/pool").get_data(as_text=True)
    assert "2022 年度：优秀" in html


def test_admin_edits_entry_notes(client, login_as, entry):
    login_as("admin")
    resp = post(client, f"/orgs/pool/{entry.id}/edit", {
        "specialties": "行政法、合同法", "admitted_on": "2021-03-01", "notes": "第一行\n第二行"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert entry.notes == "第一行\n第二行" and entry.specialties == "行政法、合同法"


def test_pool_detail_readable_but_actions_admin_only(client, login_as, entry):
    login_as("auditor")
    html = client.get(f"/orgs/pool/{entry.id}").get_data(as_text=True)
    assert "吴律师" in html and "暂停" not in html
    for action in ("suspend", "renew", "remove", "review", "edit"):
        resp = post(client, f"/orgs/pool/{entry.id}/{action}",
                    {"on_date": "2022-02-01", "reason": "x", "year": "2022",
                     "result": "qualified", "admitted_on": "2021-03-01"})
        assert resp.status_code == 403
    assert post(client, "/orgs/pool/new", {"category": "lawyer"}).status_code == 403
    db.session.expire_all()
    assert entry.status == "admitted" and entry.last_review_year is None
