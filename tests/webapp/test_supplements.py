"""Supplementary agreements (补充协议): refused on drafts and terminated contracts and for
changes the pool rules forbid (each with a Chinese message, nothing stored); numbered per
kind; generated, signed and filed; the terms in force on any date follow them."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from tests.webapp.engagements_support import body, contract_text, counts, create
from tests.webapp.files import docx_bytes
from tests.webapp.kinds_support import add_scholar, individual_body
from webapp.extensions import db
from webapp.models import Counter, Engagement, TalentPoolEntry

TODAY = date.today()
START = TODAY - timedelta(days=30)
END = START.replace(year=START.year + 1) - timedelta(days=1)


def _sign(client, headers, url):
    data = {"file": (io.BytesIO(docx_bytes("签章页扫描件")), "签章扫描件.docx")}
    return client.post(url, data=data, headers=headers, content_type="multipart/form-data")


def _signed(client, world, data=None) -> int:
    data = data or body(world, start_date=START.isoformat(), end_date=END.isoformat())
    eng = create(client, world.headers, data).json
    assert _sign(client, world.headers, f"/api/v1/engagements/{eng['id']}/sign"
                 ).status_code == 200
    return eng["id"]


def _supplement(client, world, eng_id, **data):
    return client.post(f"/api/v1/engagements/{eng_id}/supplements", headers=world.headers,
                       json={"effective_date": TODAY.isoformat(), **data})


def _terms(client, world, eng_id, on: date) -> dict:
    return client.get(f"/api/v1/engagements/{eng_id}/terms?on={on.isoformat()}",
                      headers=world.headers).json


def test_a_fee_change_is_generated_signed_filed_and_in_force_from_its_date(client, world):
    eng_id = _signed(client, world)
    resp = _supplement(client, world, eng_id, change_fee=True, new_annual_fee="80000")
    assert resp.status_code == 201, resp.json
    out = resp.json
    year = TODAY.year
    assert out["agreement_no"] == f"汴法顾补〔{year}〕第001号" and out["status"] == "draft"
    data = client.get(f"/api/v1/supplements/{out['id']}/agreement.docx",
                      headers=world.headers).data
    text = contract_text(data)
    for value in (out["agreement_no"], "开封市市场监督管理局", "河南汴梁律师事务所",
                  "¥68,000.00", "¥80,000.00"):
        assert value in text, value
    assert "{{" not in text and "{%" not in text
    assert _terms(client, world, eng_id, TODAY)["annual_fee"] == "68000.00"  # a draft
    signed = _sign(client, world.headers, f"/api/v1/supplements/{out['id']}/sign")
    assert signed.status_code == 200 and signed.json["status"] == "signed"
    before = _terms(client, world, eng_id, TODAY - timedelta(days=1))
    after = _terms(client, world, eng_id, TODAY)
    assert before["annual_fee"] == "68000.00" and before["applied"] == []
    assert after["annual_fee"] == "80000.00" and after["applied"] == [out["agreement_no"]]
    filed = client.post(f"/api/v1/supplements/{out['id']}/file", headers=world.headers,
                        json={"filing_no": "汴司法顾备补〔2026〕1号",
                              "filed_on": TODAY.isoformat()})
    assert filed.status_code == 200 and filed.json["status"] == "filed"
    listed = client.get(f"/api/v1/engagements/{eng_id}/supplements",
                        headers=world.headers).json
    assert listed["total"] == 1 and listed["items"][0]["filing_no"]


def test_extension_and_added_lawyer_change_the_terms_and_the_expiry(client, world, app):
    from webapp.engagements.lifecycle import check_expiry
    from webapp.transaction import unit_of_work

    eng_id = _signed(client, world, body(world, lawyer_ids=[world.lawyer.id],
                                         start_date=START.isoformat(),
                                         end_date=END.isoformat()))
    new_end = END + timedelta(days=90)
    resp = _supplement(client, world, eng_id, extend_term=True,
                       new_end_date=new_end.isoformat(), change_lawyers=True,
                       lawyer_change_mode="add", added_lawyer_ids=[world.partner.id])
    assert resp.status_code == 201, resp.json
    _sign(client, world.headers, f"/api/v1/supplements/{resp.json['id']}/sign")
    terms = _terms(client, world, eng_id, END + timedelta(days=30))
    assert terms["in_force"] and terms["end_date"] == new_end.isoformat()
    assert [m["name"] for m in terms["lawyers"]] == ["赵敏", "钱军"]
    assert [m["name"] for m in _terms(client, world, eng_id, START)["lawyers"]] == ["赵敏"]
    with unit_of_work():
        check_expiry(END + timedelta(days=5))
    assert db.session.get(Engagement, eng_id).status != "expired"


def test_replacing_a_lawyer_removes_them_from_the_team(client, world):
    eng_id = _signed(client, world, body(world, start_date=START.isoformat(),
                                         end_date=END.isoformat()))
    db.session.add(TalentPoolEntry(category="firm", firm_id=world.firm.id,
                                   admitted_on=TODAY))
    db.session.commit()
    resp = _supplement(client, world, eng_id, change_lawyers=True,
                       lawyer_change_mode="replace", removed_lawyer_names=["钱军"],
                       added_lawyer_ids=[world.partner.id])
    assert resp.status_code == 201, resp.json
    _sign(client, world.headers, f"/api/v1/supplements/{resp.json['id']}/sign")
    names = [m["name"] for m in _terms(client, world, eng_id, TODAY)["lawyers"]]
    assert names == ["赵敏", "钱军"]


@pytest.mark.parametrize(("data", "field", "words"), [
    ({}, "change_fee", "至少选择一项变更"),
    ({"change_fee": True}, "new_annual_fee", "变更后年度顾问费"),
    ({"extend_term": True, "new_end_date": "2000-01-01"}, "new_end_date", "必须晚于"),
    ({"extend_term": True, "new_end_date": "2999-01-01"}, "new_end_date", "一年"),
    ({"change_lawyers": True, "lawyer_change_mode": "add",
      "added_lawyer_ids": ["OUTSIDER"]}, "added_lawyer_ids", "律师事务所"),
    ({"change_lawyers": True, "lawyer_change_mode": "replace",
      "removed_lawyer_names": ["张三"], "added_lawyer_ids": ["PARTNER"]},
     "removed_lawyer_names", "不是本合同现有的指派律师"),
    ({"change_fee": True, "new_annual_fee": "1", "effective_date": "2000-01-01"},
     "effective_date", "服务期限内"),
])
def test_bad_changes_are_refused_with_the_field_named(client, world, app, data, field, words):
    eng_id = _signed(client, world)
    ids = {"OUTSIDER": world.outsider.id, "PARTNER": world.partner.id}
    data = {k: [ids.get(x, x) for x in v] if isinstance(v, list) else v
            for k, v in data.items()}
    before = counts(app)
    resp = _supplement(client, world, eng_id, **data)
    assert resp.status_code == 422, resp.json
    fields = resp.json["error"]["fields"]
    assert field in fields and words in fields[field], fields
    assert counts(app) == before
    assert db.session.get(Counter, ("contract_supplement", TODAY.year)) is None or \
        db.session.get(Counter, ("contract_supplement", TODAY.year)).value == 0


def test_a_draft_or_terminated_contract_takes_no_supplement(client, world, app):
    draft = create(client, world.headers, body(world)).json["id"]
    resp = _supplement(client, world, draft, change_fee=True, new_annual_fee="1")
    assert resp.status_code == 409 and "草稿" in resp.json["error"]["message"]
    eng_id = _signed(client, world)
    client.post(f"/api/v1/engagements/{eng_id}/terminate", headers=world.headers,
                json={"reason": "机构改革"})
    before = counts(app)
    resp = _supplement(client, world, eng_id, change_fee=True, new_annual_fee="1")
    assert resp.status_code == 409 and "已解除" in resp.json["error"]["message"]
    assert counts(app) == before


def test_an_extension_past_a_suspended_member_needs_an_admin_reason(client, world):
    eng_id = _signed(client, world)
    entry = db.session.query(TalentPoolEntry).filter_by(advisor_id=world.partner.id).one()
    entry.status = "suspended"
    db.session.commit()
    new_end = (END + timedelta(days=30)).isoformat()
    resp = _supplement(client, world, eng_id, extend_term=True, new_end_date=new_end)
    assert resp.status_code == 422 and "钱军" in resp.json["error"]["fields"]["new_end_date"]
    resp = _supplement(client, world, eng_id, extend_term=True, new_end_date=new_end,
                       override_reason="案件尚未审结，经研究同意延期")
    assert resp.status_code == 201 and resp.json["pool_override_reason"]


def test_a_scholars_contract_takes_a_fee_change_but_no_lawyers(client, world):
    scholar = add_scholar()
    eng_id = _signed(client, world, individual_body(world.agency.id, scholar.id,
                                                    start_date=START.isoformat(),
                                                    end_date=END.isoformat()))
    resp = _supplement(client, world, eng_id, change_lawyers=True,
                       lawyer_change_mode="add", added_lawyer_ids=[world.partner.id])
    assert resp.status_code == 422 and "change_lawyers" in resp.json["error"]["fields"]
    resp = _supplement(client, world, eng_id, change_fee=True, new_annual_fee="36000")
    assert resp.status_code == 201, resp.json
    text = contract_text(client.get(f"/api/v1/supplements/{resp.json['id']}/agreement.docx",
                                    headers=world.headers).data)
    assert "刘学明" in text and "¥36,000.00" in text


def test_a_clerk_of_another_agency_sees_nothing(client, world, token_for):
    eng_id = _signed(client, world)
    sid = _supplement(client, world, eng_id, change_fee=True, new_annual_fee="1").json["id"]
    other = token_for(world.other_clerk)
    assert client.get(f"/api/v1/supplements/{sid}", headers=other).status_code in (403, 404)
    resp = client.post(f"/api/v1/engagements/{eng_id}/supplements", headers=other,
                       json={"effective_date": TODAY.isoformat(), "change_fee": True,
                             "new_annual_fee": "1"})
    assert resp.status_code in (403, 404)
