"""The 文书管理 pages: upload form, list, detail, new version, delete, download."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from tests.helpers import csrf_token
from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.indexing.jobs import drain
from webapp.models import Document
from webapp.transaction import unit_of_work


def _upload(client, agency, files, **fields):
    token = csrf_token(client, "/documents/upload")
    data = {"csrf_token": token, "agency_id": str(agency.id), "doc_type": "legal_opinion",
            **fields, "file": [(io.BytesIO(b), n) for n, b in files]}
    return client.post("/documents/upload", data=data, content_type="multipart/form-data")


def test_clerk_uploads_and_sees_the_detail_page(client, make_agency, login_as):
    agency = make_agency("A01", "开封市测试局")
    login_as("clerk", agency=agency)
    resp = _upload(client, agency, [("意见.docx", docx_bytes("关于国资处置的法律意见"))],
                   title="关于国资处置的法律意见书", recommendations="2",
                   issued_on="2022-05-06")
    assert resp.status_code == 302
    drain()
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "关于国资处置的法律意见书" in html and "2022年5月6日" in html
    assert "2022年第二季度督察考评" in html  # quarters are named as on every page
    assert "关于国资处置的法律意见" in html  # extracted text preview
    assert "登记文书" in html  # audit history


def test_several_files_at_once(client, make_agency, login_as):
    agency = make_agency("A01")
    login_as("admin")
    resp = _upload(client, agency, [("一.docx", docx_bytes("一")), ("二.docx", docx_bytes("二"))])
    assert resp.status_code == 302
    titles = set(db.session.execute(select(Document.title)).scalars())
    assert titles == {"一", "二"}


def test_bad_file_in_form_shows_chinese_error_and_stores_nothing(client, make_agency,
                                                                   login_as):
    agency = make_agency("A01")
    login_as("admin")
    resp = _upload(client, agency, [("病毒.pdf", b"MZ" + b"\0" * 100)])
    assert resp.status_code == 422
    assert "不支持的文件类型" in resp.get_data(as_text=True)
    assert db.session.execute(select(func.count(Document.id))).scalar_one() == 0


def test_form_field_errors(client, make_agency, login_as):
    agency = make_agency("A01")
    login_as("admin")
    resp = _upload(client, agency, [("a.docx", docx_bytes())], title="<b>粗体</b>",
                   issued_on="2022-02-30")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "不能包含 HTML" in html and "日期格式不正确" in html


def test_list_filters_sort_and_export(client, make_agency, login_as):
    from openpyxl import load_workbook

    agency = make_agency("A01")
    login_as("admin")
    _upload(client, agency, [("甲.docx", docx_bytes("甲"))], matter_area="bidding")
    _upload(client, agency, [("乙.docx", docx_bytes("乙"))])
    html = client.get("/documents/?matter_area=bidding").get_data(as_text=True)
    assert "甲" in html and ">乙<" not in html
    resp = client.get("/documents/?format=xlsx")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    assert sheet["A1"].value == "登记号" and sheet.max_row == 3


def test_version_upload_and_delete(client, make_agency, login_as):
    agency = make_agency("A01")
    login_as("admin")
    location = _upload(client, agency, [("a.docx", docx_bytes("一稿"))]).headers["Location"]
    doc_id = int(location.rstrip("/").split("/")[-1])
    token = csrf_token(client, location)
    client.post(f"/documents/{doc_id}/versions", data={
        "csrf_token": token, "comment": "更正", "file": (io.BytesIO(docx_bytes("二稿")), "b.docx")},
        content_type="multipart/form-data")
    html = client.get(location).get_data(as_text=True)
    assert "第2版" in html and "第1版" in html
    resp = client.post(f"/documents/{doc_id}/delete", data={"csrf_token": token, "reason": ""})
    assert "请填写删除原因" in client.get(resp.headers["Location"]).get_data(as_text=True)
    client.post(f"/documents/{doc_id}/delete", data={"csrf_token": token, "reason": "重复"})
    assert client.get(location).status_code == 404


def test_other_agencys_classified_document_is_refused(client, make_agency, make_user,
                                                       login_as):
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document

    own, other = make_agency("A01"), make_agency("B02")
    admin = make_user("admin")
    with unit_of_work():
        doc = create_document(admin, DocumentMeta(agency_id=other.id, doc_type="other",
                                                  title="绝密文件", classified=True),
                              io.BytesIO(docx_bytes("绝密")), "s.docx")
    login_as("clerk", agency=own)
    resp = client.get(f"/documents/{doc.id}")
    assert resp.status_code == 404  # answered like a missing id (#15)
    assert "绝密文件" not in resp.get_data(as_text=True)
    assert client.get(f"/documents/{doc.id}/file").status_code == 404


def test_download_is_an_attachment_with_a_safe_name(client, make_agency, login_as):
    agency = make_agency("A01")
    login_as("admin")
    location = _upload(client, agency, [("意见 书.docx", docx_bytes())]).headers["Location"]
    resp = client.get(location + "/file")
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=UTF-8''" in disposition


def history_cells(html: str) -> list[str]:
    """The detail column of the page's 操作记录 table, one string per event."""
    return re.findall(r"<td class=\"text-break\" data-history>(.*?)</td>", html, re.S)


def test_history_shows_changes_in_words_not_json(client, make_agency, login_as):
    agency = make_agency("A01")
    login_as("admin")
    location = _upload(client, agency, [("a.docx", docx_bytes("一稿"))], title="初稿标题",
                       doc_type="legal_opinion", issued_on="2022-05-06").headers["Location"]
    token = csrf_token(client, location)
    client.post(location + "/edit", data={
        "csrf_token": token, "doc_type": "legality_review", "title": "改后标题 & 附件",
        "issued_on": "2022-07-01", "recommendations": "3", "classified": "y"})
    html = client.get(location).get_data(as_text=True)
    cells = history_cells(html)
    assert cells, "no history table"
    updated = next(cell for cell in cells if "→" in cell)
    for line in ("标题：初稿标题 → 改后标题 &amp; 附件",
                 "文书类型：法律意见书 → 合法性审查意见",
                 "出具日期：2022年5月6日 → 2022年7月1日",
                 "意见建议条数：0 → 3", "涉密：否 → 是"):
        assert line in updated, (line, updated)
    assert "文书信息已更新" in html
    created = cells[-1]
    assert "登记号：汴法顾登" in created and "标题：初稿标题" in created
    for raw in ("{&#34;", '{"', "&#34;before&#34;", "changes", "registration_no"):
        assert all(raw not in cell for cell in cells), raw
