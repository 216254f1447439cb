"""Every bad input gets a Chinese message on its field, and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.helpers import csrf_token
from webapp.extensions import db
from webapp.models import Advisor, Agency, AuditEvent, LawFirm
from webapp.orgs import validators as rules

FIRM_CODE = "91410200MA44ABCD1X"
GOOD = {
    "agencies": {"code": "GD99", "name": "开封市测试局", "category": "government_dept",
                 "phone": "0371-23456789"},
    "firms": {"name": "河南新测试律师事务所", "licence_no": "91410200MA44ABCD2Y",
              "phone": "13800000000"},
    "advisors": {"name": "孙律师", "kind": "lawyer", "licence_no": "14102201910000002",
                 "phone": "13800000001", "email": "sun@example.cn"},
}
CASES = [
    ("agencies", {"code": "PC01"}, "code", "已存在"),
    ("agencies", {"code": "pc01"}, "code", "已存在"),
    ("agencies", {"name": "已有局"}, "name", "已存在"),
    ("agencies", {"code": "坏 代码"}, "code", "单位代码只能包含"),
    ("agencies", {"code": ""}, "code", "必填"),
    ("agencies", {"name": "<script>alert(1)</script>"}, "name", "HTML"),
    ("agencies", {"name": "某局>"}, "name", "尖括号"),
    ("agencies", {"name": "某\x00局"}, "name", "控制字符"),
    ("agencies", {"name": "某\u202e局"}, "name", "控制字符"),
    ("agencies", {"name": "局" * 129}, "name", "128"),
    ("agencies", {"address": "路" * 201}, "address", "200"),
    ("agencies", {"category": "ministry"}, "category", "不是有效选项"),
    ("agencies", {"phone": "12345"}, "phone", "电话号码格式不正确"),
    ("agencies", {"phone": "23800000000"}, "phone", "电话号码格式不正确"),
    ("firms", {"licence_no": "91410200MA44ABCD1"}, "licence_no", "统一社会信用代码"),
    ("firms", {"licence_no": "91410200MA44ABCDIO"}, "licence_no", "统一社会信用代码"),
    ("firms", {"licence_no": "9141020XMA44ABCD1X"}, "licence_no", "统一社会信用代码"),
    ("firms", {"licence_no": FIRM_CODE}, "licence_no", "已存在"),
    ("firms", {"name": "河南已有律师事务所"}, "name", "已存在"),
    ("firms", {"licence_no": ""}, "licence_no", "必填"),
    ("firms", {"leader": "<img src=x>"}, "leader", "HTML"),
    ("advisors", {"licence_no": "1410220191000000"}, "licence_no", "17 位数字"),
    ("advisors", {"licence_no": "1410220191000000X"}, "licence_no", "17 位数字"),
    ("advisors", {"licence_no": ""}, "licence_no", "必填"),
    ("advisors", {"licence_no": "14102201910000001"}, "licence_no", "已存在"),
    ("advisors", {"firm_id": ""}, "firm_id", "律师须填写所属律师事务所"),
    ("advisors", {"firm_id": "9999"}, "firm_id", "不存在"),
    ("advisors", {"email": "not-an-email"}, "email", "电子邮箱格式不正确"),
    ("advisors", {"email": "a@" + "b" * 120 + ".cn"}, "email", "120"),
    ("advisors", {"phone": "0371-1234"}, "phone", "电话号码格式不正确"),
    ("advisors", {"name": ""}, "name", "必填"),
    ("advisors", {"name": "王<i>"}, "name", "HTML"),
    ("advisors", {"kind": "judge"}, "kind", "不是有效选项"),
    ("advisors", {"specialties": "法" * 201}, "specialties", "200"),
]


@pytest.fixture
def setup(app, login_as, make_agency):
    make_agency("PC01", "已有局")
    firm = LawFirm(name="河南已有律师事务所", licence_no=FIRM_CODE)
    db.session.add(firm)
    db.session.flush()
    db.session.add(Advisor(name="周律师", kind="lawyer", firm_id=firm.id,
                           licence_no="14102201910000001"))
    db.session.commit()
    login_as("admin")
    return firm


def counts() -> tuple[int, ...]:
    db.session.expire_all()
    return tuple(db.session.execute(select(func.count(m.id))).scalar_one()
                 for m in (Agency, LawFirm, Advisor, AuditEvent))


def field_errors(html: str) -> list[str]:
    import re

    return re.findall(r'<div class="invalid-feedback d-block">([^<]*)</div>', html)


@pytest.mark.parametrize(("register", "change", "field", "message"), CASES)
def test_bad_input_is_refused_on_its_field(client, setup, register, change, field, message):
    data = {**GOOD[register], **change}
    if register == "advisors" and "firm_id" not in change:
        data["firm_id"] = str(setup.id)
    before = counts()
    resp = client.post(f"/orgs/{register}/new",
                       data={**data, "csrf_token": csrf_token(client, "/orgs/firms")})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    errors = field_errors(html)
    assert any(message in e for e in errors), errors
    assert f'id="{field}"' in html and "is-invalid" in html
    assert counts() == before


def test_good_input_for_each_register_is_accepted(client, setup):
    for register, data in GOOD.items():
        if register == "advisors":
            data = {**data, "firm_id": str(setup.id)}
        before = counts()
        resp = client.post(f"/orgs/{register}/new",
                           data={**data, "csrf_token": csrf_token(client, "/orgs/firms")})
        assert resp.status_code == 302, field_errors(resp.get_data(as_text=True))
        assert counts() != before


def test_editing_keeps_own_unique_values(client, setup):
    firm = setup
    resp = client.post(f"/orgs/firms/{firm.id}/edit", data={
        "name": firm.name, "licence_no": firm.licence_no, "leader": "新主任",
        "csrf_token": csrf_token(client, "/orgs/firms")})
    assert resp.status_code == 302


def test_lawyer_cannot_move_to_an_inactive_firm(client, setup):
    closed = LawFirm(name="已停用律师事务所", licence_no="91410200MA44ABCD3Z", active=False)
    db.session.add(closed)
    db.session.commit()
    data = {**GOOD["advisors"], "firm_id": str(closed.id),
            "csrf_token": csrf_token(client, "/orgs/firms")}
    resp = client.post("/orgs/advisors/new", data=data)
    assert resp.status_code == 422 and "已停用" in "".join(field_errors(resp.get_data(
        as_text=True)))


@pytest.mark.parametrize(("value", "ok"), [
    ("13812345678", True), ("0371-23456789", True), ("037123456789", True),
    ("010-1234567", True), ("1381234567", False), ("+8613812345678", False),
    ("0371 23456789", False), ("", True)])
def test_phone_rule(value, ok):
    if ok:
        rules.phone(value)
    else:
        with pytest.raises(rules.FieldError):
            rules.phone(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("2022-03-31", "2022-03-31"), ("2022/3/31", "2022-03-31"), ("2022年3月31日", "2022-03-31"),
    ("2022.3.1", "2022-03-01")])
def test_date_rule_accepts_chinese_forms(value, expected):
    assert rules.parse_date(value).isoformat() == expected


def test_date_rule_refuses_nonsense():
    for value in ("2022-02-30", "明天", "31/03/2022"):
        with pytest.raises(rules.FieldError):
            rules.parse_date(value)


def test_multiline_text_allows_newlines_only_where_asked():
    assert rules.text("第一行\n第二行", 50, multiline=True) == "第一行\n第二行"
    with pytest.raises(rules.FieldError):
        rules.text("第一行\n第二行", 50)
