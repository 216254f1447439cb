"""The 聘任合同 pages through a real login and CSRF: form with field-level Chinese errors,
list by state, detail with transitions and files, draft edits, PDF preview."""

from __future__ import annotations

import io
import re
from datetime import date

from sqlalchemy import func, select

from tests.helpers import csrf_token, has_program, skip_or_fail
from tests.webapp.files import docx_bytes
from tests.webapp.test_engagements_fixtures import *  # noqa: F403
from tests.webapp.test_engagements_fixtures import body, contract_text, counts, create
from webapp.extensions import db
from webapp.models import Document, Engagement

YEAR = date.today().year
INLINE = re.compile(r"<script>|\sstyle=|\son[a-z]+=", re.I)


def form_data(world, token, **changes) -> dict:
    data = {"csrf_token": token, "agency_id": str(world.agency.id),
            "advisor_id": str(world.lawyer.id), "lawyer_ids": [str(world.lawyer.id)],
            "start_date": "2022-04-01", "end_date": "2023-03-31", "annual_fee": "68,000.00",
            "services": ["major_decision", "training"], "special_fee_terms": "按件另行协商。",
            "response_hours": "24", "dispute_resolution": "arbitration", "copies": "6",
            "signed_place": "", "agency_contact": ""}
    data.update(changes)
    return data


def test_clerk_generates_through_the_form(client, world, login):
    login(world.clerk.username)
    page = client.get("/engagements/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "开封市市场监督管理局" in html and "开封市审计局" not in html
    assert "越过人才库" not in html
    assert not INLINE.search(html)
    resp = client.post("/engagements/new", data=form_data(world, csrf_token(client,
                                                                            "/engagements/new")))
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    detail = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f"汴法顾〔{YEAR}〕第001号" in detail and "草稿" in detail
    eng = db.session.execute(select(Engagement)).scalar_one()
    data = client.get(f"/engagements/{eng.id}/contract.docx").data
    text = contract_text(data)
    assert "甲方所在地仲裁委员会" in text and "一式六份" in text and "¥68,000.00" in text


def test_form_shows_field_errors_in_chinese_and_stores_nothing(client, world, login, app):
    login(world.clerk.username)
    token = csrf_token(client, "/engagements/new")
    before = counts(app)
    resp = client.post("/engagements/new", data=form_data(
        world, token, end_date="2021-01-01", annual_fee="-5", services=[],
        special_fee_terms="<img src=x>", advisor_id=str(world.suspended.id),
        lawyer_ids=[str(world.suspended.id)]))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    for message in ("服务期限结束日期必须晚于开始日期", "年度顾问费不能为负数", "请填写服务范围",
                    "不能包含 HTML 标签"):
        assert message in html, message
    assert "&lt;img src=x&gt;" in html and "<img src=x>" not in html
    assert html.count("invalid-feedback") >= 4
    assert counts(app) == before
    resp = client.post("/engagements/new", data=form_data(
        world, token, advisor_id=str(world.suspended.id), lawyer_ids=[str(world.suspended.id)]))
    assert resp.status_code == 422
    assert "暂停" in resp.get_data(as_text=True)
    assert counts(app) == before


def test_form_without_csrf_is_refused(client, world, login):
    login(world.clerk.username)
    resp = client.post("/engagements/new", data=form_data(world, "bad"))
    assert resp.status_code == 400
    assert db.session.execute(select(func.count(Engagement.id))).scalar_one() == 0


def test_admin_may_override_the_pool_in_the_form(client, world, login):
    login(world.admin.username)
    token = csrf_token(client, "/engagements/new")
    assert "越过人才库选聘的理由" in client.get("/engagements/new").get_data(as_text=True)
    resp = client.post("/engagements/new", data=form_data(
        world, token, advisor_id=str(world.outsider.id), lawyer_ids=[],
        override_reason="原顾问承办的诉讼尚未审结"))
    assert resp.status_code == 303
    eng = db.session.execute(select(Engagement)).scalar_one()
    assert eng.pool_override_reason == "原顾问承办的诉讼尚未审结"


def test_draft_edit_keeps_the_number_and_adds_a_version(client, world, login):
    login(world.clerk.username)
    token = csrf_token(client, "/engagements/new")
    client.post("/engagements/new", data=form_data(world, token))
    eng = db.session.execute(select(Engagement)).scalar_one()
    page = client.get(f"/engagements/{eng.id}/edit").get_data(as_text=True)
    assert 'value="68000.00"' in page
    resp = client.post(f"/engagements/{eng.id}/edit", data=form_data(
        world, token, annual_fee="80000"))
    assert resp.status_code == 303
    db.session.expire_all()
    eng = db.session.get(Engagement, eng.id)
    doc = db.session.get(Document, eng.document_id)
    assert eng.contract_no.endswith("第001号") and doc.current_version_no == 2
    assert "¥80,000.00" in contract_text(client.get(f"/engagements/{eng.id}/contract.docx").data)
    verify = client.get(f"/engagements/{eng.id}/verify", follow_redirects=True)
    assert "完全一致" in verify.get_data(as_text=True)


def test_sign_file_and_activate_through_the_detail_page(client, world, login, app):
    eng_id = create(client, world.headers, body(world, start_date=date.today().isoformat(),
                                                end_date=f"{YEAR + 1}-12-31")).json["id"]
    login(world.clerk.username)
    html = client.get(f"/engagements/{eng_id}").get_data(as_text=True)
    assert "确认签订" in html and "登记备案" not in html
    assert not INLINE.search(html)
    token = csrf_token(client, f"/engagements/{eng_id}")
    resp = client.post(f"/engagements/{eng_id}/sign", content_type="multipart/form-data",
                       data={"csrf_token": token, "signed_on": date.today().isoformat(),
                             "file": (io.BytesIO(docx_bytes("签章页")), "签章.docx")})
    assert resp.status_code == 303
    page = client.get(f"/engagements/{eng_id}").get_data(as_text=True)
    assert "已签订，条款已锁定" in page and "签字盖章扫描件" in page
    assert "修改草稿" not in page and "确认签订" not in page
    resp = client.post(f"/engagements/{eng_id}/file", data={
        "csrf_token": token, "filing_no": "备1", "filed_on": date.today().isoformat()})
    assert resp.status_code == 403
    client.post("/logout", data={"csrf_token": token})
    login(world.admin.username)
    token = csrf_token(client, f"/engagements/{eng_id}")
    resp = client.post(f"/engagements/{eng_id}/file", follow_redirects=True, data={
        "csrf_token": token, "filing_no": "汴司备〔2022〕1号",
        "filed_on": date.today().isoformat()})
    assert "已备案" in resp.get_data(as_text=True)
    resp = client.post(f"/engagements/{eng_id}/activate", data={"csrf_token": token},
                       follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "履行中" in html and "合同备案" in html and "合同启用" in html


def test_refused_transition_shows_the_reason(client, world, login):
    eng_id = create(client, world.headers, body(world)).json["id"]
    login(world.admin.username)
    token = csrf_token(client, f"/engagements/{eng_id}")
    resp = client.post(f"/engagements/{eng_id}/terminate", follow_redirects=True,
                       data={"csrf_token": token, "reason": ""})
    assert "请填写原因" in resp.get_data(as_text=True)
    assert db.session.get(Engagement, eng_id).status == "draft"


def test_list_by_state_and_export(client, world, login):
    first = create(client, world.headers, body(world)).json
    create(client, world.headers, body(world, agency_id=world.other_agency.id))
    client.post(f"/api/v1/engagements/{first['id']}/terminate", json={"reason": "作废"},
                headers=world.headers)
    login(world.clerk.username)
    html = client.get("/engagements/").get_data(as_text=True)
    assert first["contract_no"] in html and "第002号" not in html
    assert not INLINE.search(html)
    html = client.get("/engagements/?status=draft").get_data(as_text=True)
    assert first["contract_no"] not in html
    csv = client.get("/engagements/?format=csv").get_data(as_text=True)
    assert first["contract_no"] in csv and "已解除" in csv


def test_views_respect_scope(client, world, login, token_for, app):
    eng_id = create(client, world.headers, body(world)).json["id"]
    api = app.test_client()
    login(world.other_clerk.username)
    assert client.get(f"/engagements/{eng_id}").status_code == 403
    assert client.get(f"/engagements/{eng_id}/contract.docx").status_code == 403
    listing = api.get("/api/v1/engagements", headers=token_for(world.other_clerk)).json
    assert listing["total"] == 0
    assert api.get("/api/v1/engagements", headers=token_for(world.auditor)).json["total"] == 1
    advisor = api.get("/api/v1/engagements", headers=token_for(world.advisor_user)).json
    assert advisor["total"] == 1 and advisor["items"][0]["id"] == eng_id


def test_auditor_reads_but_has_no_actions(client, world, login):
    eng_id = create(client, world.headers, body(world)).json["id"]
    login(world.auditor.username)
    html = client.get(f"/engagements/{eng_id}").get_data(as_text=True)
    assert "确认签订" not in html and "解除合同" not in html and "生成合同" not in html
    assert client.get("/engagements/new").status_code == 403


def test_pdf_preview_is_hidden_without_libreoffice(client, world, login, monkeypatch):
    from webapp.engagements import preview

    monkeypatch.setattr(preview, "available", lambda: False)
    eng_id = create(client, world.headers, body(world)).json["id"]
    login(world.clerk.username)
    assert "PDF 预览" not in client.get(f"/engagements/{eng_id}").get_data(as_text=True)
    assert client.get(f"/engagements/{eng_id}/contract.pdf").status_code == 404


def test_pdf_preview_contains_the_contract_number(client, world, login):
    import pdfplumber

    if not has_program("soffice"):
        skip_or_fail("LibreOffice (soffice) is needed for the PDF preview")
    out = create(client, world.headers, body(world)).json
    login(world.clerk.username)
    assert "PDF 预览" in client.get(f"/engagements/{out['id']}").get_data(as_text=True)
    resp = client.get(f"/engagements/{out['id']}/contract.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(resp.data)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    compact = re.sub(r"\s+", "", text)
    assert out["contract_no"] in compact
    assert "开封市市场监督管理局" in compact
