"""Bad input to contract generation and signing: a clear error naming the field,
and nothing stored (rows, blobs, temp files and the number counter unchanged)."""

from __future__ import annotations

import io
from datetime import date

import pytest

from tests.webapp.engagements_support import body, counts, create
from tests.webapp.files import EXE, zip_bomb
from webapp.extensions import db
from webapp.models import Counter, Engagement

CASES = [
    ({"end_date": "2022-03-01"}, "end_date", "结束日期必须晚于开始日期"),
    ({"end_date": "2022-04-01"}, "end_date", "结束日期必须晚于开始日期"),
    ({"start_date": "2022-02-30"}, "start_date", "日期"),
    ({"annual_fee": "-100"}, "annual_fee", "不能为负数"),
    ({"annual_fee": "六万八"}, "annual_fee", "金额"),
    ({"annual_fee": "68000.001"}, "annual_fee", "两位小数"),
    ({"annual_fee": None}, "annual_fee", "请填写年度顾问费"),
    ({"services": []}, "services", "服务范围"),
    ({"services": ["major_decision", "cooking"]}, "services[1]", "服务范围"),
    ({"copies": "两份"}, "copies", "整数"),
    ({"dispute_resolution": "duel"}, "dispute_resolution", "争议解决方式"),
    ({"special_fee_terms": "<script>alert(1)</script>"}, "special_fee_terms", "HTML"),
    ({"special_fee_terms": "按件\x07收费"}, "special_fee_terms", "控制字符"),
    ({"agency_contact": "李<b>娜</b>"}, "agency_contact", "HTML"),
    ({"agency_phone": "12345"}, "agency_phone", "联系电话"),
    ({"colour": "red"}, "colour", "未知字段"),
    ({"contract_no": "汴法顾〔2022〕第999号"}, "contract_no", "自动填写"),
    ({"lawyers": [{"name": "某", "licence_no": "1"}]}, "lawyers", "自动填写"),
    ({"agency_id": "abc"}, "agency_id", "整数"),
    ({"agency_id": 999}, "agency_id", "不存在"),
    ({"advisor_id": 999, "lawyer_ids": None}, "advisor_id", "不存在"),
    ({"lawyer_ids": [999]}, "lawyer_ids", "不存在"),
]


@pytest.mark.parametrize(("changes", "field", "words"), CASES,
                         ids=[c[1] + ":" + str(list(c[0].values())[0])[:12] for c in CASES])
def test_refused_with_the_field_named_and_nothing_stored(client, world, app, changes, field,
                                                          words):
    before = counts(app)
    resp = create(client, world.headers, body(world, **changes))
    assert resp.status_code == 422, resp.json
    fields = resp.json["error"]["fields"]
    assert field in fields, fields
    assert words in fields[field] or words in resp.json["error"]["message"], fields
    assert counts(app) == before
    counter = db.session.get(Counter, ("contract", date.today().year))
    assert counter is None or counter.value == 0


def test_advisor_not_in_the_pool_is_refused(client, world, app):
    before = counts(app)
    resp = create(client, world.headers, body(world, advisor_id=world.outsider.id,
                                                lawyer_ids=None))
    assert resp.status_code == 422
    assert "不在法律顾问人才库中" in resp.json["error"]["fields"]["advisor_id"]
    assert counts(app) == before


def test_suspended_advisor_is_refused(client, world, app):
    before = counts(app)
    resp = create(client, world.headers, body(world, lawyer_ids=[world.lawyer.id,
                                                                world.suspended.id]))
    assert resp.status_code == 422
    assert "孙强" in resp.json["error"]["fields"]["advisor_id"]
    assert "暂停" in resp.json["error"]["fields"]["advisor_id"]
    assert counts(app) == before


def test_lawyer_of_another_firm_is_refused(client, world, app):
    resp = create(client, world.headers, body(world, lawyer_ids=[world.lawyer.id,
                                                                world.outsider.id]))
    assert resp.status_code == 422
    assert "不是所选律师事务所的律师" in resp.json["error"]["fields"]["lawyer_ids"]


def test_clerk_of_another_agency_is_refused(client, world, app, token_for):
    headers = token_for(world.other_clerk)
    before = counts(app)
    resp = create(client, headers, body(world))
    assert resp.status_code == 403
    assert counts(app) == before


@pytest.mark.parametrize("role", ["auditor", "advisor_user"])
def test_readers_cannot_generate(client, world, token_for, role):
    resp = create(client, token_for(getattr(world, role)), body(world))
    assert resp.status_code == 403
    assert db.session.query(Engagement).count() == 0


def test_body_must_be_a_json_object(client, world):
    resp = client.post("/api/v1/engagements", data="[]", headers=world.headers,
                       content_type="application/json")
    assert resp.status_code == 400


def test_every_bad_field_is_reported_at_once(client, world):
    resp = create(client, world.headers, body(world, annual_fee="-1", end_date="2021-01-01",
                                              copies="x", colour="red"))
    assert {"annual_fee", "end_date", "copies", "colour"} <= set(resp.json["error"]["fields"])


@pytest.mark.parametrize(("data", "name", "status"), [
    (EXE, "扫描件.pdf", 415),
    (b"%PDF-1.4 broken", "扫描件.pdf", 422),
    (zip_bomb(), "扫描件.docx", 422),
    (b"just text", "扫描件.txt", 415),
])
def test_bad_scans_are_refused_and_nothing_stored(client, world, app, data, name, status):
    eng_id = create(client, world.headers, body(world)).json["id"]
    before = counts(app)
    resp = client.post(f"/api/v1/engagements/{eng_id}/sign", headers=world.headers,
                       content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name)})
    assert resp.status_code in (status, 413, 415, 422), resp.json
    assert resp.json["error"]["message"]
    assert counts(app) == before
    assert db.session.get(Engagement, eng_id).status == "draft"
