"""系统设置: template versions (check before acceptance, nothing stored on rejection),
numbering patterns, and the user's own API tokens."""

from __future__ import annotations

import copy
import io
import json
from datetime import date
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from contract_templates import standard_template_dir
from tests.helpers import csrf_token
from tests.webapp.engagements_support import body, contract_text, counts, create
from tests.webapp.files import EXE
from webapp.engagements import contract_store
from webapp.extensions import db
from webapp.models import ApiToken, ContractTemplate

STANDARD = standard_template_dir() / "v1"
ENCRYPTED = Path(__file__).parents[1] / "contract_templates" / "data" / "encrypted.docx"
MINI_FIELDS = [
    {"name": "contract_no", "label": "合同编号", "type": "text"},
    {"name": "agency_name", "label": "甲方", "type": "text"},
    {"name": "start_date", "label": "开始日期", "type": "date"},
    {"name": "end_date", "label": "结束日期", "type": "date"},
    {"name": "annual_fee", "label": "年度顾问费", "type": "money"},
    {"name": "services", "label": "服务范围", "type": "list", "min_items": 1,
     "items": {"name": "s", "label": "服务", "type": "choice",
               "choices": [{"value": "training", "label": "法治培训"}]}},
]


def mini_manifest(**changes) -> dict:
    manifest = {"template": "standard", "version": "v1", "title": "简式聘任合同",
                "fields": copy.deepcopy(MINI_FIELDS)}
    manifest.update(changes)
    return manifest


def mini_docx(*extra: str) -> bytes:
    """A template whose contract number placeholder is split over three runs."""
    document = docx.Document()
    paragraph = document.add_paragraph("合同编号：")
    for part in ("{{ cont", "ract_", "no }}"):
        paragraph.add_run(part)
    for line in ("甲方：{{ agency_name }}", "期限：{{ start_date }}至{{ end_date }}",
                 "费用：{{ annual_fee }}（{{ annual_fee | money_upper }}）", "服务：{{ services }}",
                 *extra):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, docx_data: bytes, manifest, token: str):
    text = manifest if isinstance(manifest, str) else json.dumps(manifest, ensure_ascii=False)
    return client.post("/settings/templates/check", content_type="multipart/form-data", data={
        "csrf_token": token, "template": (io.BytesIO(docx_data), "模板.docx"),
        "manifest": (io.BytesIO(text.encode("utf-8")), "manifest.json")})


@pytest.fixture
def admin_client(client, world, login):
    login(world.admin.username)
    return client, csrf_token(client, "/settings/")


def test_settings_page_lists_versions_and_numbering(admin_client, world, app):
    client, _ = admin_client
    create(app.test_client(), world.headers, body(world))
    html = client.get("/settings/").get_data(as_text=True)
    assert "党政机关法律顾问聘任合同（通用样本）" in html and "当前使用" in html
    year = date.today().year
    assert f"汴法顾〔{year}〕第002号" in html and "汴法顾〔{year}〕第{seq:03d}号" in html
    assert "合同签订后应在多少天内备案" in html


@pytest.mark.parametrize("role", ["clerk", "auditor"])
def test_settings_are_for_admins(client, world, login, role):
    login(getattr(world, role).username)
    assert client.get("/settings/").status_code == 403


def test_a_good_version_is_checked_then_accepted(admin_client, world, app):
    client, token = admin_client
    resp = upload(client, mini_docx(), mini_manifest(), token)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "通过检查" in html and "常年法律顾问模板第 3 版" in html  # shipped v1, v2 first
    assert len(contract_store.versions("standard")) == 2
    resp = client.post("/settings/templates/accept", data={"csrf_token": token,
                                                           "notes": "简化条款"})
    assert resp.status_code == 302
    rows = db.session.execute(select(ContractTemplate).where(ContractTemplate.kind == "standard")
                              .order_by(ContractTemplate.version)).scalars().all()
    assert [(r.version, r.active) for r in rows] == [(1, False), (2, False), (3, True)]
    assert rows[2].manifest["version"] == "v3" and rows[2].notes == "简化条款"
    assert all(r.active for r in contract_store.versions("individual"))
    api = app.test_client()
    out = create(api, world.headers, {"agency_id": world.agency.id,
                                         "advisor_id": world.lawyer.id,
                                         "start_date": "2022-01-01", "end_date": "2022-12-31",
                                         "annual_fee": 50000, "services": ["training"]}).json
    assert out["template_version"] == 3
    text = contract_text(api.get(f"/api/v1/engagements/{out['id']}/contract.docx",
                                 headers=world.headers).data)
    assert f"合同编号：{out['contract_no']}" in text and "伍万元整" in text
    assert not list((Path(app.config["GOVCOUNSEL_DATA_DIR"]) / "tmp").glob("template-*"))


def _problems(resp) -> str:
    assert resp.status_code == 422
    return resp.get_data(as_text=True)


REJECTIONS = [
    ("missing placeholder", lambda: mini_docx(), lambda: mini_manifest(fields=[
        *MINI_FIELDS, {"name": "copies", "label": "合同份数", "type": "integer"}]),
     "copies（合同份数）未在模板中使用"),
    ("extra placeholder", lambda: mini_docx("备注：{{ remarks }}"), mini_manifest,
     "{{ remarks }} 未在字段清单中定义"),
    ("bad markup", lambda: mini_docx("{% if x %}"), mini_manifest, "不支持"),
    ("corrupt", lambda: b"PK\x03\x04" + b"\x00" * 300, mini_manifest, "损坏"),
    ("encrypted", ENCRYPTED.read_bytes, mini_manifest, "已加密"),
    ("not docx", lambda: EXE, mini_manifest, "不是 Word 文档"),
    ("pdf", lambda: b"%PDF-1.4\n%%EOF\n", mini_manifest, "不是 Word 文档"),
    ("manifest json", lambda: mini_docx(), lambda: "{not json", "字段清单无效"),
    ("manifest without services", mini_docx,
     lambda: mini_manifest(fields=MINI_FIELDS[:5]), "缺少系统必需的字段 services"),
]


@pytest.mark.parametrize(("case", "make_docx", "make_manifest", "words"), REJECTIONS,
                         ids=[r[0] for r in REJECTIONS])
def test_rejected_uploads_show_problems_and_store_nothing(admin_client, app, case, make_docx,
                                                          make_manifest, words):
    client, token = admin_client
    before = counts(app)
    html = _problems(upload(client, make_docx(), make_manifest(), token))
    assert words in html.replace("&#34;", '"'), html[-3000:]
    assert "未通过检查" in html or "字段清单无效" in html
    assert counts(app) == before
    resp = client.post("/settings/templates/accept", data={"csrf_token": token})
    assert resp.status_code == 302
    assert counts(app) == before


def test_missing_files_are_named(admin_client, app):
    client, token = admin_client
    resp = client.post("/settings/templates/check", data={"csrf_token": token},
                       content_type="multipart/form-data")
    html = _problems(resp)
    assert "请选择模板文件" in html and "请选择或粘贴字段清单" in html


def test_the_shipped_template_passes_the_check(admin_client):
    client, token = admin_client
    manifest = (STANDARD / "manifest.json").read_text(encoding="utf-8")
    resp = upload(client, (STANDARD / "template.docx").read_bytes(), manifest, token)
    assert resp.status_code == 200 and "通过检查" in resp.get_data(as_text=True)
    client.post("/settings/templates/cancel", data={"csrf_token": token})
    assert len(contract_store.versions("standard")) == 2


def test_an_older_version_can_be_made_current(admin_client, world, app):
    client, token = admin_client
    upload(client, mini_docx(), mini_manifest(), token)
    client.post("/settings/templates/accept", data={"csrf_token": token})
    first = db.session.execute(select(ContractTemplate).filter_by(kind="standard", version=1)
                               ).scalar_one()
    client.post(f"/settings/templates/{first.id}/activate", data={"csrf_token": token})
    assert create(app.test_client(), world.headers, body(world)).json["template_version"] == 1


def test_user_manages_own_tokens(client, world, login, app):
    login(world.clerk.username)
    token = csrf_token(client, "/settings/tokens")
    resp = client.post("/settings/tokens", data={"csrf_token": token, "name": "档案系统对接"})
    html = resp.get_data(as_text=True)
    secret = html.split("data-token>")[1].split("<")[0].strip()
    api = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.get("/api/v1/engagements", headers=headers).status_code == 200
    row = db.session.execute(select(ApiToken).where(ApiToken.name == "档案系统对接")).scalar_one()
    assert row.user_id == world.clerk.id
    page = client.get("/settings/tokens").get_data(as_text=True)
    assert secret not in page and row.prefix in page
    client.post(f"/settings/tokens/{row.id}/revoke", data={"csrf_token": token})
    assert api.get("/api/v1/engagements", headers=headers).status_code == 401


def test_tokens_of_others_cannot_be_revoked(client, world, login, token_for):
    token_for(world.admin)
    other = db.session.execute(select(ApiToken).where(ApiToken.user_id == world.admin.id)
                               ).scalars().first()
    login(world.clerk.username)
    token = csrf_token(client, "/settings/tokens")
    assert client.post(f"/settings/tokens/{other.id}/revoke",
                       data={"csrf_token": token}).status_code == 404
    db.session.refresh(other)
    assert other.revoked_at is None
    resp = client.post("/settings/tokens", data={"csrf_token": token, "name": "<b>"})
    assert resp.status_code == 422 and "HTML" in resp.get_data(as_text=True)
