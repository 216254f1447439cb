"""The pages of #16: a supplementary agreement through the form, the terms in force on a
chosen date, redlines (contract against its sample, two document versions, two template
versions) in the page and as tracked-changes .docx, and the clause library."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

from sqlalchemy import select

from tests.helpers import csrf_token
from tests.webapp.engagements_support import body, create
from tests.webapp.files import docx_bytes
from webapp.engagements import contract_store
from webapp.extensions import db
from webapp.models import ContractClause, ContractTemplate, SupplementaryAgreement

TODAY = date.today()
START = TODAY - timedelta(days=30)
END = START.replace(year=START.year + 1) - timedelta(days=1)


def _signed(client, world) -> int:
    eng = create(client, world.headers, body(world, start_date=START.isoformat(),
                                             end_date=END.isoformat())).json
    client.post(f"/api/v1/engagements/{eng['id']}/sign", headers=world.headers,
                data={"file": (io.BytesIO(docx_bytes("签章页")), "scan.docx")},
                content_type="multipart/form-data")
    return eng["id"]


def _document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode("utf-8")


def test_clerk_adds_a_fee_change_and_sees_the_terms_on_two_dates(client, world, login, app):
    eng_id = _signed(app.test_client(), world)
    login(world.clerk.username)
    url = f"/engagements/{eng_id}/supplements/new"
    form = {"csrf_token": csrf_token(client, url), "effective_date": TODAY.isoformat(),
            "change_fee": "true", "new_annual_fee": "90000", "copies": "4"}
    bad = client.post(url, data={**form, "new_annual_fee": ""})
    assert bad.status_code == 422 and "变更后年度顾问费" in bad.get_data(as_text=True)
    resp = client.post(url, data=form)
    assert resp.status_code == 303, resp.get_data(as_text=True)[:3000]
    row = db.session.execute(select(SupplementaryAgreement)).scalar_one()
    page = client.get(f"/engagements/{eng_id}").get_data(as_text=True)
    assert row.agreement_no in page and "上传扫描件并签订" in page
    token = csrf_token(client, f"/engagements/{eng_id}")
    client.post(f"/engagements/supplements/{row.id}/sign", data={
        "csrf_token": token, "file": (io.BytesIO(docx_bytes("补充协议签章页")), "scan.docx")},
        content_type="multipart/form-data")
    yesterday = client.get(f"/engagements/{eng_id}?on={(TODAY - timedelta(days=1))}"
                           ).get_data(as_text=True)
    today = client.get(f"/engagements/{eng_id}?on={TODAY}").get_data(as_text=True)
    assert "¥68,000.00" in yesterday.split('id="terms-in-force"')[1].split("</table>")[0]
    assert "¥90,000.00" in today.split('id="terms-in-force"')[1].split("</table>")[0]
    bad_date = client.get(f"/engagements/{eng_id}?on=2022-02-30").get_data(as_text=True)
    assert "日期格式应为" in bad_date
    assert "补充协议变更对照" in today
    html = client.get(f"/engagements/{eng_id}/redline?against=terms").get_data(as_text=True)
    part = html.split('id="redline"')[1]
    assert "¥<del>68</del><ins>90</ins>,000.00" in part and "<ins>玖万</ins>" in part


def test_contract_against_the_active_sample_marks_the_v1_to_v2_changes(client, world, login,
                                                                        app):
    v2 = contract_store.active_template("standard")
    v2.active = False
    db.session.execute(select(ContractTemplate).filter_by(kind="standard", version=1)
                       ).scalar_one().active = True
    db.session.commit()
    eng_id = create(app.test_client(), world.headers, body(world)).json["id"]
    v2 = db.session.get(ContractTemplate, v2.id)
    for row in contract_store.versions("standard"):
        row.active = row.id == v2.id
    db.session.commit()
    login(world.clerk.username)
    same = client.get(f"/engagements/{eng_id}/redline").get_data(as_text=True)
    assert "没有修改" in same
    html = client.get(f"/engagements/{eng_id}/redline?against=active").get_data(as_text=True)
    part = html.split('id="redline"')[1]
    assert "<ins>（通用样本）</ins>" in part  # v1 printed the subtitle, v2 does not
    data = client.get(f"/engagements/{eng_id}/redline?against=active&format=docx").data
    assert "<w:ins " in _document_xml(data)


def test_two_versions_of_a_generated_draft_are_compared(client, world, login, app):
    api = app.test_client()
    eng_id = create(api, world.headers, body(world)).json["id"]
    login(world.admin.username)
    form = {"csrf_token": csrf_token(client, f"/engagements/{eng_id}/edit"),
            **{k: v for k, v in body(world, annual_fee="75000").items()
               if k not in ("lawyer_ids",)},
            "lawyer_ids": [str(world.partner.id)]}
    assert client.post(f"/engagements/{eng_id}/edit", data=form).status_code == 303
    doc_id = api.get(f"/api/v1/engagements/{eng_id}", headers=world.headers).json["document_id"]
    html = client.get(f"/engagements/redline/documents/{doc_id}").get_data(as_text=True)
    part = html.split('id="redline"')[1]
    assert "<del>陆万捌</del><ins>柒万伍</ins>仟元整" in part
    data = client.get(f"/engagements/redline/documents/{doc_id}?format=docx").data
    xml = _document_xml(data)
    assert "w:ins" in xml and "w:del" in xml
    assert client.get(f"/engagements/redline/documents/{doc_id}?old=2&new=2").status_code \
        == 422


def test_admin_compares_template_versions_and_previews_a_sample(client, world, login):
    login(world.admin.username)
    v2 = db.session.execute(select(ContractTemplate).filter_by(kind="standard", version=2)
                            ).scalar_one()
    html = client.get(f"/settings/templates/{v2.id}/redline").get_data(as_text=True)
    assert "<del" in html.split('id="redline"')[1]
    assert "w:del" in _document_xml(client.get(
        f"/settings/templates/{v2.id}/redline?format=docx").data)
    preview = client.get(f"/settings/templates/{v2.id}/preview.docx")
    assert preview.status_code == 200 and "{{" not in _document_xml(preview.data)
    page = client.get("/settings/").get_data(as_text=True)
    for label in ("法学专家个人顾问", "专项法律服务", "补充协议", "样例预览"):
        assert label in page


def test_clause_library_keeps_versions_and_refuses_blocks(client, world, login, app):
    login(world.admin.username)
    token = csrf_token(client, "/settings/clauses")
    resp = client.post("/settings/clauses", data={
        "csrf_token": token, "name": "integrity", "title": "廉洁从业条款",
        "text": "乙方不得向{{ agency_name }}输送利益。"})
    assert resp.status_code == 303
    rows = db.session.execute(select(ContractClause).filter_by(name="integrity")
                              .order_by(ContractClause.version)).scalars().all()
    assert [r.version for r in rows] == [1, 2]
    resp = client.post("/settings/clauses", data={
        "csrf_token": token, "name": "secrecy", "title": "保密",
        "text": "第一段\n{% if classified %}\n秘密\n{% endif %}"})
    assert resp.status_code == 422 and "条款" in resp.get_data(as_text=True)
    assert db.session.execute(select(ContractClause).filter_by(name="secrecy")).first() is None


def test_admin_uploads_an_individual_version_with_a_conditional_clause(client, world, login):
    import json

    from contract_templates import get_kind
    from tests.webapp.test_admin_settings import mini_docx, mini_manifest, upload

    login(world.admin.username)
    token = csrf_token(client, "/settings/")
    shipped = get_kind("individual").directory / "v1"
    resp = upload(client, (shipped / "template.docx").read_bytes(),
                  (shipped / "manifest.json").read_text(encoding="utf-8"), token)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "法学专家个人顾问模板第 2 版" in html
    preview = client.get("/settings/templates/pending/preview.docx")
    assert preview.status_code == 200 and "{%" not in _document_xml(preview.data)
    assert client.post("/settings/templates/accept", data={"csrf_token": token}
                       ).status_code == 302
    assert [r.version for r in contract_store.versions("individual")] == [2, 1]
    assert contract_store.active_template("individual").version == 2
    assert contract_store.active_template("standard").version == 2  # other kinds untouched
    bad = mini_manifest()
    resp = upload(client, mini_docx("{% if secret %}", "保密。", "{% endif %}"),
                  json.dumps(bad, ensure_ascii=False), token)
    assert resp.status_code == 422 and "secret" in resp.get_data(as_text=True)
    resp = upload(client, mini_docx("{% if onsite_service %}", "驻场。"), mini_manifest(fields=[
        *bad["fields"], {"name": "onsite_service", "label": "驻场", "type": "boolean",
                         "required": False}]), token)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and ("未闭合" in html or "endif" in html)
