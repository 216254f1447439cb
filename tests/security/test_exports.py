"""Formula injection: no exported text ever becomes a spreadsheet formula (issue 15, 4).

Text typed by anyone — even an anonymous visitor's user name at the login page — ends up
in the .xlsx and .csv files that auditors and the bureau open in Excel or WPS. A string
such as ``=HYPERLINK("http://x","查看详情")`` must arrive there as that literal text:
in .xlsx a text cell (``data_type == "s"``), in CSV behind a leading apostrophe. Every
export goes through ``webapp.exports``; these tests drive the real pages.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from tests.helpers import csrf_token
from tests.webapp.files import docx_bytes

PAYLOAD = '=HYPERLINK("http://x","查看详情")'


def _cells(data: bytes, text: str) -> list:
    """Every cell of every sheet of an .xlsx whose value contains ``text``."""
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, str) and text in cell.value]


def test_a_failed_login_name_is_text_in_the_auditors_audit_log_export(app, client, login_as):
    anonymous = app.test_client()
    token = csrf_token(anonymous, "/login")
    resp = anonymous.post("/login", data={"username": PAYLOAD, "password": "whatever-pass",
                                          "csrf_token": token})
    assert resp.status_code == 401
    login_as("auditor")
    export = client.get("/audit/?format=xlsx")
    assert export.status_code == 200
    cells = _cells(export.data, "HYPERLINK")
    assert cells, "the failed login is in the export"
    assert all(c.data_type == "s" for c in cells)
    assert PAYLOAD in [c.value for c in cells]
    body = client.get("/audit/?format=csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def _upload(client, agency, title: str):
    token = csrf_token(client, "/documents/upload")
    return client.post("/documents/upload", content_type="multipart/form-data", data={
        "csrf_token": token, "agency_id": str(agency.id), "doc_type": "legal_opinion",
        "title": title, "file": (io.BytesIO(docx_bytes("正文")), "a.docx")})


def test_a_title_starting_with_equals_is_text_in_the_document_list_export(client, make_agency,
                                                                           login_as):
    agency = make_agency("F1")
    login_as("admin")
    assert _upload(client, agency, "=1+2 关于合同的意见").status_code == 302
    cells = _cells(client.get("/documents/?format=xlsx").data, "关于合同的意见")
    assert [(c.data_type, c.value) for c in cells] == [("s", "=1+2 关于合同的意见")]
    body = client.get("/documents/?format=csv").data.decode("utf-8-sig")
    assert "'=1+2 关于合同的意见" in body


def test_report_workbooks_write_names_as_text(client, make_agency, make_advisor, make_user,
                                              login):
    """The statistics and ranking workbooks (a writer of their own before) obey the rule."""
    from tests.webapp.assessments_support import add_criteria, add_doc, score_quarter

    agency = make_agency("F2", "@SUM(A1) 公式局")
    advisor = make_advisor("=1+1 律师")
    admin = make_user("admin", username="bureau")
    add_doc(agency, date(2021, 11, 1), advisor_id=advisor.id, service_type="litigation")
    add_criteria(admin, "2021Q1")
    score_quarter("2021Q4", admin, {agency: 80})
    login("bureau")
    for url, text in (("/statistics/?year=2021&format=xlsx", "=1+1 律师"),
                      ("/assessments/?period=2021Q4&format=xlsx", "@SUM(A1) 公式局"),
                      ("/assessments/annual?year=2021&format=xlsx", "@SUM(A1) 公式局")):
        cells = _cells(client.get(url).data, text)
        assert cells and {(c.data_type, c.value) for c in cells} == {("s", text)}, url


def test_control_characters_do_not_break_a_download(client, make_agency, login_as):
    make_agency("F3", "制表\x07局")
    login_as("admin")
    resp = client.get("/orgs/agencies?format=xlsx")
    assert resp.status_code == 200
    assert [c.value for c in _cells(resp.data, "制表")] == ["制表局"]
