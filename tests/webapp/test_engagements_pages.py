"""The 聘任合同 pages through a real login and CSRF: form with field-level Chinese errors,
list by state, detail with transitions and files, draft edits, PDF preview."""

from __future__ import annotations

import io
import re
from datetime import date

from sqlalchemy import func, select

from tests.helpers import csrf_token, has_program, skip_or_fail
from tests.webapp.engagements_support import body, contract_text, counts, create
from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.models import Document, Engagement

YEAR = date.today().year
INLINE = re.compile(r"<script>|\sstyle=|\son[a-z]+=", re.I)
RAW_JSON = re.compile(r'\{"|&#34;|"changed"|"from"|\[\{')


def date_cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def history_cells(html: str) -> list[str]:
    """The detail column of the page's history table, one string per event."""
    return re.findall(r'<td class="text-break" data-history>(.*?)</td>', html, re.S)


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
    page = client.get("/engagements/new?kind=standard")
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
    token = csrf_token(client, "/engagements/new?kind=standard")
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
    token = csrf_token(client, "/engagements/new?kind=standard")
    page = client.get("/engagements/new?kind=standard").get_data(as_text=True)
    assert "越过人才库选聘的理由" in page
    # no agency chosen yet: generic hints; each option carries its register for the script
    assert page.count('placeholder="留空则使用单位登记信息"') == 4
    assert "data-register='{\"agency_address\": \"开封市鼓楼区自由路2号\"" in page
    resp = client.post("/engagements/new", data=form_data(
        world, token, advisor_id=str(world.outsider.id), lawyer_ids=[],
        override_reason="原顾问承办的诉讼尚未审结"))
    assert resp.status_code == 303
    eng = db.session.execute(select(Engagement)).scalar_one()
    assert eng.pool_override_reason == "原顾问承办的诉讼尚未审结"


def test_draft_edit_keeps_the_number_and_adds_a_version(client, world, login):
    login(world.clerk.username)
    token = csrf_token(client, "/engagements/new?kind=standard")
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
    history = "".join(history_cells(html))
    for line in ("状态：草稿 → 已签订", "状态：已签订 → 已备案", "状态：已备案 → 履行中",
                 "备案号：汴司备〔2022〕1号", f"备案日期：{date_cn(date.today())}"):
        assert line in history, line


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
    assert client.get(f"/engagements/{eng_id}").status_code == 404  # as if missing (#15)
    assert client.get(f"/engagements/{eng_id}/contract.docx").status_code == 404
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
    assert client.get("/engagements/new?kind=standard").status_code == 403


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


def test_form_shows_the_register_and_asks_only_for_what_it_lacks(client, world, login):
    world.agency.address = None
    db.session.commit()
    login(world.clerk.username)
    html = client.get("/engagements/new?kind=standard").get_data(as_text=True)
    for value in ("王建国", "李娜", "0371-23456789"):
        assert f'placeholder="单位登记：{value}"' in html, value
    assert 'id="f-agency_address" name="agency_address" value="" maxlength="100" ' \
           'placeholder="单位登记信息中没有此项，请填写"' in html
    assert 'for="f-agency_address">甲方地址<span class="text-danger" data-required-star>*' in html
    assert html.count("data-required-star hidden") == 3
    assert f"编号示例：汴法顾〔{YEAR}〕第001号" in html
    assert "{year}" not in html and "{seq" not in html
    token = csrf_token(client, "/engagements/new?kind=standard")
    resp = client.post("/engagements/new", data=form_data(world, token))
    assert resp.status_code == 422
    lacks = "开封市市场监督管理局的登记信息中没有甲方地址，请在此填写。"
    assert lacks in resp.get_data(as_text=True)
    resp = client.post("/engagements/new", data=form_data(
        world, token, agency_address="开封市龙亭区宋都御街1号"))
    assert resp.status_code == 303
    eng = db.session.execute(select(Engagement)).scalar_one()
    text = contract_text(client.get(f"/engagements/{eng.id}/contract.docx").data)
    assert "开封市龙亭区宋都御街1号" in text and "李娜" in text


def test_history_names_what_a_draft_edit_changed(client, world, login):
    login(world.clerk.username)
    token = csrf_token(client, "/engagements/new?kind=standard")
    client.post("/engagements/new", data=form_data(world, token))
    eng = db.session.execute(select(Engagement)).scalar_one()
    resp = client.post(f"/engagements/{eng.id}/edit", data=form_data(
        world, token, annual_fee="80000", dispute_resolution="court", agency_contact="周敏&吴"))
    assert resp.status_code == 303
    cells = history_cells(client.get(f"/engagements/{eng.id}").get_data(as_text=True))
    history = "".join(cells)
    for line in ("年度顾问费：¥68,000.00 → ¥80,000.00",
                 "争议解决方式：申请仲裁 → 向人民法院起诉",
                 "甲方联系人：李娜 → 周敏&amp;吴",
                 f"合同编号：汴法顾〔{YEAR}〕第001号", "单位：开封市市场监督管理局",
                 "法律顾问：赵敏", "文书类型：聘任合同", "版本：第 2 版"):
        assert line in history, line
    assert not any(RAW_JSON.search(cell) for cell in cells), cells


def test_demo_clerk_generates_a_contract_from_the_demo_registers(demo, client):
    from pathlib import Path

    from webapp.models import Agency, User

    logins = dict(line.split("\t") for line in (Path(demo.config["GOVCOUNSEL_DATA_DIR"])
                                                / "demo_logins.txt").read_text().splitlines())
    client.post("/login", data={"username": "clerk", "password": logins["clerk"],
                                "csrf_token": csrf_token(client)})
    clerk = db.session.execute(select(User).where(User.username == "clerk")).scalar_one()
    agency = db.session.get(Agency, clerk.agency_id)
    assert agency.legal_rep and agency.address and agency.contact and agency.phone
    html = client.get("/engagements/new?kind=standard").get_data(as_text=True)
    assert f'placeholder="单位登记：{agency.address}"' in html
    assert html.count("data-required-star hidden") == 4  # the register has everything
    pool = re.search(r'<optgroup label="人才库在库成员">\s*<option value="(\d+)"', html)
    resp = client.post("/engagements/new", data={
        "csrf_token": csrf_token(client, "/engagements/new?kind=standard"),
        "agency_id": str(agency.id),
        "advisor_id": pool.group(1), "services": ["major_decision", "contract_review"],
        "start_date": f"{YEAR}-12-01", "end_date": f"{YEAR + 1}-11-30", "annual_fee": "68000",
        "special_fee_terms": "专项法律事务按件另行协商。", "response_hours": "24",
        "dispute_resolution": "court", "copies": "4"})
    assert resp.status_code == 303, re.findall(r"invalid-feedback[^>]*>([^<]*)<",
                                               resp.get_data(as_text=True))
    assert "已生成聘任合同" in client.get(resp.headers["Location"]).get_data(as_text=True)
    eng_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    text = contract_text(client.get(f"/engagements/{eng_id}/contract.docx").data)
    for value in (agency.name, agency.legal_rep, agency.address, agency.contact, agency.phone):
        assert value in text, value
