"""Document fields declared once: one registry entry reaches every place that knows fields;
custom fields added in 系统设置 are validated in Chinese and behave the same."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.helpers import csrf_token
from tests.webapp.files import docx_bytes
from webapp.documents.registry import FIELDS, FieldSpec
from webapp.extensions import db
from webapp.indexing.jobs import drain
from webapp.models import Document


@contextmanager
def extra_field(spec: FieldSpec) -> Iterator[FieldSpec]:
    """Declare ``spec`` in the registry for the duration of a block: one entry, nothing else."""
    FIELDS.append(spec)
    try:
        yield spec
    finally:
        FIELDS.remove(spec)


def _upload(client, agency, headers, **fields):
    """Upload through the API with a token (a client without the page session)."""
    data = {"agency_id": str(agency.id), "doc_type": "legal_opinion",
            "file": (io.BytesIO(docx_bytes(f"正文 {sorted(fields.items())}")), "意见.docx"),
            **fields}
    return client.application.test_client().post(
        "/api/v1/documents", data=data, headers=headers, content_type="multipart/form-data")


@pytest.fixture
def admin(client, login_as, make_agency, token_for):
    agency = make_agency("F01", "开封市字段局")
    user = login_as("admin")
    return agency, token_for(user)


def test_a_field_added_to_the_registry_reaches_form_schema_filters_export_audit_index(
        client, admin):
    agency, headers = admin
    spec = FieldSpec("project_code", "项目编号", "text", max_length=40, filterable=True,
                     searchable=True)
    with extra_field(spec):
        # the upload form and the API schema (upload body, list filters, output)
        assert 'name="project_code"' in client.get("/documents/upload").get_data(as_text=True)
        api = client.get("/api/v1/openapi.json").json
        upload = api["paths"]["/api/v1/documents"]["post"]["requestBody"]["content"]
        assert "project_code" in upload["multipart/form-data"]["schema"]["properties"]
        params = [p["name"] for p in api["paths"]["/api/v1/documents"]["get"]["parameters"]]
        assert "project_code" in params
        assert "project_code" in api["components"]["schemas"]["DocumentOut"]["properties"]
        # stored (no column: documents.extra), shown, validated
        made = _upload(client, agency, headers, project_code="XM-2022-07")
        assert made.status_code == 201 and made.json["project_code"] == "XM-2022-07"
        _upload(client, agency, headers, title="另一份")
        too_long = _upload(client, agency, headers, project_code="X" * 41)
        assert too_long.status_code == 422 and "project_code" in too_long.json["error"]["fields"]
        # filters (API and page), export
        found = client.get("/api/v1/documents?project_code=2022-07", headers=headers).json
        assert [d["id"] for d in found["items"]] == [made.json["id"]]
        page = client.get("/documents/?project_code=XM-2022").get_data(as_text=True)
        assert "意见" in page and "另一份" not in page
        sheet = load_workbook(io.BytesIO(client.get("/documents/?format=xlsx").data)).active
        header = [c.value for c in sheet[1]]
        column = header.index("项目编号")
        assert "XM-2022-07" in [row[column] for row in sheet.iter_rows(min_row=2,
                                                                      values_only=True)]
        # the audit diff of an edit, in words
        doc_id = made.json["id"]
        resp = client.post(f"/documents/{doc_id}/edit", data={
            "csrf_token": csrf_token(client, f"/documents/{doc_id}"), "doc_type": "legal_opinion",
            "title": "意见", "project_code": "XM-2023-01"})
        assert resp.status_code == 302
        html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
        assert "项目编号：XM-2022-07 → XM-2023-01" in html
        # searchable: its text goes to the index with the document
        drain()
        hits = client.get('/api/v1/search?q="XM-2023-01"', headers=headers).json
        assert [h["id"] for h in hits["hits"]] == [doc_id]
    assert "project_code" not in client.get("/documents/upload").get_data(as_text=True)


def _add_field(client, **form):
    data = {"csrf_token": csrf_token(client, "/settings/fields"), "filterable": "y",
            "exported": "y", **form}
    return client.post("/settings/fields", data=data)


@pytest.mark.parametrize(("form", "message"), [
    ({"name": "Bad Name", "label": "坏代码", "kind": "text"}, "字段代码须以小写字母开头"),
    ({"name": "title", "label": "标题二", "kind": "text"}, "已被使用或为系统保留"),
    ({"name": "grade", "label": "等级", "kind": "choice"}, "至少需要一个选项"),
    ({"name": "grade", "label": "<b>等级</b>", "kind": "text"}, "不能包含 HTML"),
    ({"name": "grade", "label": "", "kind": "text"}, "字段名称"),
])
def test_custom_field_definitions_are_checked_in_chinese(client, admin, form, message):
    resp = _add_field(client, **form)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)


def test_custom_fields_validate_uploads_filter_and_stay_when_deactivated(client, admin):
    agency, headers = admin
    assert _add_field(client, name="grade", label="重要程度", kind="choice",
                      choices="一般\n重要\n特别重要", required="y").status_code == 303
    assert _add_field(client, name="partner", label="协办单位", kind="agency",
                      doc_types=["legal_opinion"]).status_code == 303
    assert _add_field(client, name="amount", label="涉及金额", kind="number").status_code == 303
    html = client.get("/documents/upload").get_data(as_text=True)
    assert "重要程度" in html and "协办单位" in html and "特别重要" in html

    def errors(**fields):
        resp = _upload(client, agency, headers, **fields)
        assert resp.status_code == 422, resp.json
        return resp.json["error"]["fields"]

    assert "此项为必填项" in errors()["grade"]
    assert "选项无效" in errors(grade="紧急")["grade"]
    assert "单位“999999”不存在" in errors(grade="重要", partner="999999")["partner"]
    assert "不适用于其他" in errors(grade="重要", doc_type="other",
                                     partner=str(agency.id))["partner"]
    assert "应为数字" in errors(grade="重要", amount="很多")["amount"]
    made = _upload(client, agency, headers, grade="特别重要", partner=str(agency.id),
                   amount="1250000.5")
    assert made.status_code == 201, made.json
    assert (made.json["grade"], made.json["partner"], made.json["amount"]) == (
        "特别重要", agency.id, 1250000.5)
    other = _upload(client, agency, headers, grade="一般")
    listed = client.get("/api/v1/documents?grade=特别重要", headers=headers).json
    assert [d["id"] for d in listed["items"]] == [made.json["id"]]
    assert client.get(f"/api/v1/documents?partner={agency.id}",
                      headers=headers).json["total"] == 1
    detail = client.get(f"/documents/{made.json['id']}").get_data(as_text=True)
    assert "开封市字段局" in detail and "特别重要" in detail
    # deactivated: gone from forms and the API, the stored values kept
    field_id = re.search(r'/settings/fields/(\d+)/deactivate', client.get(
        "/settings/fields").get_data(as_text=True)).group(1)
    resp = client.post(f"/settings/fields/{field_id}/deactivate",
                       data={"csrf_token": csrf_token(client, "/settings/fields")})
    assert resp.status_code == 303
    assert 'name="grade"' not in client.get("/documents/upload").get_data(as_text=True)
    assert "grade" not in client.get(f"/api/v1/documents/{other.json['id']}",
                                     headers=headers).json
    doc = db.session.execute(select(Document).where(Document.id == other.json["id"])
                             ).scalar_one()
    assert doc.extra["grade"] == "一般"
