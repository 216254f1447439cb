"""Register lists page, sort, filter and export; each shows only what the role may see."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from webapp.models import Agency


@pytest.fixture
def admin(demo, login_as):
    """An admin (not the demo one) logged in on the demo data set."""
    return login_as("admin")


def test_agency_list_pages_sorts_and_filters(demo, client, admin):
    resp = client.get("/orgs/agencies")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "单位管理" in html and "共 62 条" in html and "第 1/4 页" in html
    html = client.get("/orgs/agencies?sort=-code&per_page=5").get_data(as_text=True)
    assert html.index("SU06") < html.index("SU05")
    assert "PC01" not in html
    html = client.get("/orgs/agencies?category=county_district").get_data(as_text=True)
    assert "共 9 条" in html and "龙亭区人民政府" in html and "开封市教育局" not in html
    html = client.get("/orgs/agencies?q=教育").get_data(as_text=True)
    assert "共 1 条" in html
    html = client.get("/orgs/agencies?page=2&per_page=50").get_data(as_text=True)
    assert "第 2/2 页" in html and "共 62 条" in html


def test_sort_headers_are_links_that_toggle(demo, client, admin):
    html = client.get("/orgs/agencies?sort=name").get_data(as_text=True)
    assert "sort=-name" in html and "▲" in html


def test_bad_page_number_is_refused(demo, client, admin):
    assert client.get("/orgs/agencies?page=abc").status_code == 422


def test_inactive_rows_are_hidden_unless_asked(app, client, login_as, make_agency):
    make_agency("A1", "在用局")
    make_agency("A2", "停用局", active=False)
    login_as("admin")
    html = client.get("/orgs/agencies").get_data(as_text=True)
    assert "在用局" in html and "停用局" not in html
    html = client.get("/orgs/agencies?active=0").get_data(as_text=True)
    assert "停用局" in html and "在用局" not in html
    html = client.get("/orgs/agencies?active=all").get_data(as_text=True)
    assert "停用局" in html and "在用局" in html


def test_clerk_sees_only_own_agency(app, client, login_as, make_agency):
    own = make_agency("OWN", "本单位")
    make_agency("OTH", "他单位")
    login_as("clerk", agency=own)
    html = client.get("/orgs/agencies").get_data(as_text=True)
    assert "本单位" in html and "他单位" not in html
    body = client.get("/orgs/agencies?format=csv").data.decode("utf-8-sig")
    assert "本单位" in body and "他单位" not in body


def test_auditor_sees_all_agencies(app, client, login_as, make_agency):
    make_agency("A1", "甲局")
    make_agency("A2", "乙局")
    login_as("auditor")
    html = client.get("/orgs/agencies").get_data(as_text=True)
    assert "甲局" in html and "乙局" in html
    assert "新增" not in html and "导入" not in html


@pytest.mark.parametrize("role", ["clerk", "advisor", "auditor"])
def test_everyone_reads_pool_firms_and_advisors(demo, client, login_as, make_advisor, role):
    advisor = make_advisor("读者") if role == "advisor" else None
    login_as(role, advisor=advisor)
    for url, text in (("/orgs/pool", "人才库"), ("/orgs/firms", "律师事务所"),
                      ("/orgs/advisors", "法律顾问")):
        resp = client.get(url)
        assert resp.status_code == 200 and text in resp.get_data(as_text=True)
    assert client.get("/orgs/users").status_code == 403
    assert client.get("/orgs/users?format=xlsx").status_code == 403


def test_lists_need_login(client):
    resp = client.get("/orgs/firms")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_advisor_list_filters_by_kind_and_sorts_by_firm(demo, client, admin):
    html = client.get("/orgs/advisors?kind=scholar").get_data(as_text=True)
    assert "共 9 条" in html and "法学专家" in html
    html = client.get("/orgs/advisors?kind=lawyer&sort=-firm&per_page=200").get_data(
        as_text=True)
    assert "共 120 条" in html
    assert html.index("河南龙亭律师事务所") < html.index("河南大河律师事务所")


def test_pool_list_filters_by_status_and_category(demo, client, admin):
    html = client.get("/orgs/pool?status=suspended").get_data(as_text=True)
    assert "共 1 条" in html and "年度考核不合格" in html
    html = client.get("/orgs/pool?category=firm").get_data(as_text=True)
    assert "共 16 条" in html
    html = client.get("/orgs/pool?sort=-member&per_page=200").get_data(as_text=True)
    assert "共 107 条" in html


def test_user_list_for_admin_filters_by_role(demo, client, admin):
    html = client.get("/orgs/users?role=clerk").get_data(as_text=True)
    assert "共 1 条" in html and "clerk" in html and "中共开封市委办公室" in html


def test_xlsx_export_has_chinese_headers_and_every_filtered_row(demo, client, admin):
    resp = client.get("/orgs/agencies?format=xlsx&category=party_committee&per_page=5")
    assert resp.status_code == 200
    assert "attachment" in resp.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(resp.data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位代码", "单位名称", "类别")
    assert len(rows) == 1 + 13
    assert {r[2] for r in rows[1:]} == {"市委部委"}


def test_csv_export_is_utf8_with_bom(demo, client, admin):
    resp = client.get("/orgs/firms?format=csv")
    assert resp.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert rows[0] == ["律所名称", "统一社会信用代码", "负责人", "地址", "联系电话", "状态"]
    assert len(rows) == 1 + 29


@pytest.mark.parametrize("register", ["agencies", "firms", "advisors", "pool", "users"])
def test_every_register_exports_both_formats(demo, client, admin, register):
    for fmt in ("xlsx", "csv"):
        resp = client.get(f"/orgs/{register}?format={fmt}")
        assert resp.status_code == 200, register
        assert resp.headers["Content-Disposition"].endswith(f".{fmt}") or \
            f".{fmt}" in resp.headers["Content-Disposition"]


def test_export_never_turns_text_into_a_formula(app, client, login_as, make_agency):
    make_agency("F1", "公式局", address="=HYPERLINK(\"http://x\")")
    login_as("admin")
    sheet = load_workbook(io.BytesIO(client.get("/orgs/agencies?format=xlsx").data)).active
    cell = sheet.cell(row=2, column=6)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    body = client.get("/orgs/agencies?format=csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_names_are_escaped_in_lists(app, client, login_as):
    from webapp.extensions import db

    db.session.add(Agency(code="X1", name="<b>粗体</b>局", category="government_dept"))
    db.session.commit()
    login_as("admin")
    html = client.get("/orgs/agencies").get_data(as_text=True)
    assert "<b>粗体</b>" not in html and "&lt;b&gt;" in html
