"""Records: scoring through the pages, criteria versions, locking, amendments, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token
from tests.webapp.assessments_support import add_criteria, post, record_of, score_quarter
from webapp.assessments import services
from webapp.extensions import db
from webapp.models import AssessmentAmendment, AssessmentCriteria, AuditEvent


@pytest.fixture
def setup(app, make_agency, make_user, login):
    """Two agencies, criteria v1 from 2021Q3, an admin logged in, 2022Q1 records open."""
    agencies = [make_agency("B1"), make_agency("B2")]
    admin = make_user("admin", username="bureau")
    add_criteria(admin, "2021Q3")
    services.open_period("2022Q1", admin)
    db.session.commit()
    login("bureau")
    return agencies, admin


def events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == action))
                .scalars())


def test_admin_scores_and_finalises_through_the_record_page(setup, client):
    agencies, _admin = setup
    rec = record_of(agencies[0], "2022Q1")
    page = client.get(f"/assessments/records/{rec.id}").get_data(as_text=True)
    assert 'name="scores.M1"' in page and "保存并定稿" in page
    resp = post(client, f"/assessments/records/{rec.id}/scores", {"scores.M1": "65.5"})
    assert resp.status_code == 302
    assert record_of(agencies[0], "2022Q1").scores == {"M1": 65.5}
    resp = post(client, f"/assessments/records/{rec.id}/finalise",
                {"scores.M1": "65.5", "scores.M2": "20"})
    assert resp.status_code == 302
    rec = record_of(agencies[0], "2022Q1")
    assert rec.status == "finalised" and str(rec.total) == "85.50"
    assert len(events("assessment_scores_saved")) == 1
    finalised = events("assessment_finalised")[0].detail
    assert finalised["total"] == "85.50" and finalised["before"] == {"M1": 65.5}


def test_finalising_an_incomplete_record_is_refused(setup, client):
    agencies, _admin = setup
    rec = record_of(agencies[0], "2022Q1")
    resp = post(client, f"/assessments/records/{rec.id}/finalise", {"scores.M1": "60"})
    assert resp.status_code == 422
    assert "以下评分项尚未评分：意见质量" in resp.get_data(as_text=True)
    rec = record_of(agencies[0], "2022Q1")
    assert rec.status == "open" and rec.scores == {}
    api = client.post(f"/api/v1/assessments/{rec.id}/finalise",
                      headers={"X-CSRFToken": csrf_token(client, "/")})
    assert api.status_code == 422
    assert api.json["error"]["code"] == "record_incomplete"
    assert "scores.M1" in api.json["error"]["fields"]


@pytest.mark.parametrize(("value", "message"), [
    ("70.01", "得分不能超过该项满分 70.00 分。"), ("-1", "得分不能为负数。"),
    ("abc", "得分应为数字"), ("1.234", "得分应为数字")])
def test_bad_scores_are_refused_and_nothing_changes(setup, client, value, message):
    agencies, _admin = setup
    rec = record_of(agencies[0], "2022Q1")
    resp = post(client, f"/assessments/records/{rec.id}/scores",
                {"scores.M1": value, "scores.M2": "10"})
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert record_of(agencies[0], "2022Q1").scores == {}
    assert events("assessment_scores_saved") == []


def test_bad_scores_through_the_api(setup, client):
    agencies, _admin = setup
    rec = record_of(agencies[0], "2022Q1")
    headers = {"X-CSRFToken": csrf_token(client, "/")}
    resp = client.put(f"/api/v1/assessments/{rec.id}/scores", headers=headers,
                      json={"scores": {"M1": 80, "M2": -2, "XX": 1}})
    assert resp.status_code == 422
    fields = resp.json["error"]["fields"]
    assert fields["scores.M1"] == "得分不能超过该项满分 70.00 分。"
    assert fields["scores.M2"] == "得分不能为负数。"
    assert "不在本期考评标准中" in fields["scores.XX"]
    ok = client.put(f"/api/v1/assessments/{rec.id}/scores", headers=headers,
                    json={"scores": {"M1": 70, "M2": "12.5"}})
    assert ok.status_code == 200 and ok.json["score"] == 82.5 and ok.json["status"] == "open"


def test_a_period_that_does_not_exist(setup, client):
    page = client.get("/assessments/?period=2022Q5")
    assert page.status_code == 422
    assert "考评期间格式应为 2022Q1" in page.get_data(as_text=True)
    api = client.get("/api/v1/assessments?period=2022Q5")
    assert api.status_code == 422
    assert api.json["error"]["fields"]["period"].startswith("考评期间格式应为")
    opened = post(client, "/assessments/periods/2022Q5/open")
    assert opened.status_code == 422
    assert len(events("assessment_period_opened")) == 1  # only the fixture's 2022Q1


def test_a_locked_record_refuses_edits(setup, client):
    agencies, admin = setup
    rec = record_of(agencies[0], "2022Q1")
    services.finalise(rec, admin, {"M1": "60", "M2": "20"})
    db.session.commit()
    resp = post(client, f"/assessments/records/{rec.id}/scores", {"scores.M1": "70"})
    assert resp.status_code == 409
    assert "已定稿锁定，不能直接修改" in resp.get_data(as_text=True)
    api = client.put(f"/api/v1/assessments/{rec.id}/scores",
                     headers={"X-CSRFToken": csrf_token(client, "/")},
                     json={"scores": {"M1": 70}})
    assert api.status_code == 409 and api.json["error"]["code"] == "record_locked"
    again = client.post(f"/api/v1/assessments/{rec.id}/finalise",
                        headers={"X-CSRFToken": csrf_token(client, "/")})
    assert again.status_code == 409
    assert record_of(agencies[0], "2022Q1").scores == {"M1": 60.0, "M2": 20.0}


def test_amendments_keep_before_and_after_and_are_audited(setup, client):
    agencies, admin = setup
    rec = record_of(agencies[0], "2022Q1")
    services.finalise(rec, admin, {"M1": "60", "M2": "20"})
    db.session.commit()
    page = client.get(f"/assessments/records/{rec.id}").get_data(as_text=True)
    assert "提交更正" in page and "更正原因" in page
    refused = post(client, f"/assessments/records/{rec.id}/amend", {"scores.M1": "66"})
    assert refused.status_code == 422 and "请填写原因" in refused.get_data(as_text=True)
    assert record_of(agencies[0], "2022Q1").scores["M1"] == 60.0
    resp = post(client, f"/assessments/records/{rec.id}/amend",
                {"scores.M1": "66", "scores.M2": "20", "reason": "补交佐证材料，复核加分"})
    assert resp.status_code == 302
    rec = record_of(agencies[0], "2022Q1")
    assert str(rec.total) == "86.00" and rec.status == "finalised"
    amendment = db.session.execute(select(AssessmentAmendment)).scalar_one()
    assert amendment.before == {"scores": {"M1": 60.0, "M2": 20.0}, "total": "80.00"}
    assert amendment.after["total"] == "86.00"
    event = events("assessment_amended")[0]
    assert event.detail["reason"] == "补交佐证材料，复核加分"
    assert event.actor_name == "bureau"
    detail = client.get(f"/api/v1/assessments/{rec.id}").json
    assert detail["amendments"][0]["reason"] == "补交佐证材料，复核加分"
    page = client.get(f"/assessments/records/{rec.id}").get_data(as_text=True)
    assert "更正记录" in page and "组织领导：60.0 → 66.0" in page
    audit = client.get("/audit/?action=assessment_amended").get_data(as_text=True)
    for line in ("原因：补交佐证材料，复核加分", "总分：80.00 → 86.00",
                 "得分：M1 60.0；M2 20.0 → M1 66.0；M2 20.0", "考评季度：2022年第一季度"):
        assert f"<div>{line}</div>" in audit, line


def test_amending_an_open_record_is_a_conflict(setup, client):
    agencies, _admin = setup
    rec = record_of(agencies[0], "2022Q1")
    resp = client.post(f"/api/v1/assessments/{rec.id}/amendments",
                       headers={"X-CSRFToken": csrf_token(client, "/")},
                       json={"scores": {"M1": 1}, "reason": "x"})
    assert resp.status_code == 409 and resp.json["error"]["code"] == "record_not_finalised"


def test_past_periods_keep_the_criteria_they_were_scored_under(setup, client):
    agencies, admin = setup
    score_quarter("2021Q4", admin, {agencies[0]: 80, agencies[1]: 70})
    form = {"name": "2022年修订", "valid_from": "2022Q1",
            "items-0-code": "N1", "items-0-name": "新评分项", "items-0-max_points": "60",
            "items-0-method": "manual",
            "items-1-code": "N2", "items-1-name": "法律服务", "items-1-max_points": "40",
            "items-1-method": "computed", "items-1-indicator": "services_total",
            "items-1-rule_kind": "full_at", "items-1-rule_n": "4"}
    resp = post(client, "/assessments/criteria/new", form)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    versions = db.session.execute(select(AssessmentCriteria).order_by(
        AssessmentCriteria.version)).scalars().all()
    assert [v.version for v in versions] == [1, 2]
    old = record_of(agencies[0], "2021Q4")
    page = client.get(f"/assessments/records/{old.id}").get_data(as_text=True)
    assert 'data-item="M1"' in page and 'data-item="N1"' not in page and "第 1 版" in page
    new = record_of(agencies[0], "2022Q1")
    page = client.get(f"/assessments/records/{new.id}").get_data(as_text=True)
    assert 'data-item="N1"' in page and 'data-item="M1"' not in page and "第 2 版" in page
    # a version may not take effect in a quarter that already has finalised records
    late = post(client, "/assessments/criteria/new", {**form, "valid_from": "2021Q4"})
    assert late.status_code == 422
    assert "新版标准最早只能从 2022年第一季度 起施行" in late.get_data(as_text=True)
    assert len(db.session.execute(select(AssessmentCriteria)).scalars().all()) == 2


def test_criteria_form_reports_each_bad_field(setup, client):
    form = {"name": "", "valid_from": "2023Q7",
            "items-0-code": "坏 code", "items-0-name": "甲", "items-0-max_points": "120",
            "items-1-code": "C", "items-1-name": "乙", "items-1-max_points": "10",
            "items-1-method": "computed", "items-1-indicator": "",
            "items-2-code": "C", "items-2-name": "丙", "items-2-max_points": "5",
            "items-2-method": "computed", "items-2-indicator": "services_total",
            "items-2-rule_kind": "per", "items-2-rule_n": "{bad"}
    resp = post(client, "/assessments/criteria/new", form)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    for text in ("此项为必填项", "考评期间格式应为", "评分项代码只能包含", "满分应大于 0",
                 "须选择一个计算指标", "评分项代码“C”重复", "请填写 N"):
        assert text in html, text
    assert len(db.session.execute(select(AssessmentCriteria)).scalars().all()) == 1


def test_the_api_routes_are_described_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/assessments", "/api/v1/assessments/{record_id}",
            "/api/v1/assessments/{record_id}/scores", "/api/v1/assessments/{record_id}/finalise",
            "/api/v1/assessments/{record_id}/amendments",
            "/api/v1/assessments/periods/{period}/publish", "/api/v1/statistics"} <= set(paths)
    params = paths["/api/v1/assessments"]["get"]["parameters"]
    assert [p["name"] for p in params] == ["period"]
