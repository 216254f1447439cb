"""Issue #15, UI finding 4: the auditor can read the audit trail.

Reproduction (became these tests): the object column showed ``document 376``; the type
filter wanted English; details showed raw keys (``category：government_dept``,
``legal_rep``, ``rows：3``) and an agency name labelled 令牌名称; the Excel export had
JSON and English types.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from sqlalchemy import select

from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.models import Document, User

ASCII_KEY = re.compile(r"(^|>)\s*[a-z_]+[：:]")


@pytest.fixture
def trail(client, make_user, token_for, make_agency):
    """An admin (with a real name) creates an agency and registers a document."""
    admin = make_user("admin", username="wangfang")
    db.session.get(User, admin.id).display_name = "王芳"
    db.session.commit()
    headers = token_for(admin)
    agency = client.post("/api/v1/agencies", headers=headers, json={
        "code": "G77", "name": "开封市审计测试局", "category": "government_dept",
        "legal_rep": "李局长", "address": "开封市鼓楼区"}).json
    doc = client.post("/api/v1/documents", headers=headers, data={
        "agency_id": str(agency["id"]), "doc_type": "legal_opinion", "title": "审计意见书",
        "file": (io.BytesIO(docx_bytes("审计")), "审计.docx")},
        content_type="multipart/form-data").json
    make_user("auditor", username="inspector")
    return agency, doc


def test_every_event_reads_in_chinese_with_names_and_links(trail, client, login):
    agency, doc = trail
    login("inspector")
    html = client.get("/audit/").get_data(as_text=True)
    assert f'<a href="/documents/{doc["id"]}">{doc["registration_no"]}《审计意见书》</a>' in html
    assert f'/orgs/agencies/{agency["id"]}/edit">开封市审计测试局</a>' in html
    assert "document " + str(doc["id"]) not in html
    assert "单位名称：开封市审计测试局" in html and "类别：市政府部门" in html
    assert "负责人：李局长" in html
    assert "government_dept" not in html.split("<details")[0]
    assert "令牌名称：开封市" not in html
    details = re.findall(r'<td class="text-break" data-history>(.*?)<details', html, re.S)
    assert details and not any(ASCII_KEY.search(d) for d in details), \
        [ASCII_KEY.search(d).group(0) for d in details if ASCII_KEY.search(d)]
    assert "王芳" in html  # 操作人 by real name
    assert "显示原始记录" in html  # raw JSON only behind a toggle


def test_filters_offer_chinese_choices_and_find_real_names(trail, client, login):
    _, doc = trail
    login("inspector")
    html = client.get("/audit/").get_data(as_text=True)
    assert '<option value="document">文书</option>' in html
    assert '<option value="agency">单位</option>' in html
    docs_only = client.get("/audit/?object_type=document").get_data(as_text=True)
    assert doc["registration_no"] in docs_only and "开封市审计测试局</a>" not in docs_only
    by_name = client.get("/audit/?actor=王芳").get_data(as_text=True)
    assert doc["registration_no"] in by_name


def test_excel_export_is_in_chinese(trail, client, login):
    _, doc = trail
    login("inspector")
    resp = client.get("/audit/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = rows[0]
    assert header[:7] == ["序号", "时间", "操作人", "登录名", "操作", "对象类型", "对象"]
    created = next(r for r in rows[1:] if r[4] == "登记文书")
    assert created[2] == "王芳" and created[5] == "文书"
    assert created[6] == f"{doc['registration_no']}《审计意见书》"
    assert all("{" not in str(v) for r in rows[1:] for v in r[:9]), rows
    assert not any(v in ("document", "agency") for r in rows[1:] for v in r)
    assert db.session.execute(select(Document)).scalar_one().title == "审计意见书"


def test_every_kind_of_object_has_a_chinese_name():
    """Refusals name the object by its model (``policy.require``), events by their literal
    type: every one of them reads in Chinese in the 对象 column and the type filter."""
    from webapp.messages import LABELS

    snake = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
    types = {snake.sub("_", m.class_.__name__).lower() for m in db.Model.registry.mappers}
    known = LABELS["audit_object"].keys() | LABELS["audit_object_internal"].keys()
    missing = sorted(t for t in types if t not in known)
    assert not missing, missing


def test_a_clause_is_named_by_its_own_fields_not_as_a_token(client, make_user, login):
    """Review finding: a saved clause's ``name`` was labelled 令牌名称 (the engagement
    fields' fallback); each object type now names its own fields."""
    from tests.helpers import csrf_token

    make_user("admin", username="clauses_admin")
    login("clauses_admin")
    resp = client.post("/settings/clauses", data={
        "csrf_token": csrf_token(client, "/settings/clauses"), "name": "integrity",
        "title": "廉洁从业条款", "text": "乙方不得向{{ agency_name }}输送利益。"})
    assert resp.status_code == 303
    client.post("/logout", data={"csrf_token": csrf_token(client, "/settings/clauses")})
    make_user("auditor", username="clauses_auditor")
    login("clauses_auditor")
    html = client.get("/audit/").get_data(as_text=True)
    body = html[html.index("<tbody"):]
    row = body[body.index("保存条款库条款"):][:2000]
    assert "条款代码：integrity" in row and "条款名称：廉洁从业条款" in row
    assert "廉洁从业条款（第 " in row  # the object column names the clause
    assert "令牌名称" not in row
