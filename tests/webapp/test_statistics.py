"""Annual statistics: hand-counted figures, page = Excel = API, charts without inline script."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tests.webapp.assessments_support import add_doc

BY_TYPE = {"major_decision": 1, "normative_document": 1, "litigation": 1,
           "contract_review": 1, "training": 1}


@pytest.fixture
def year_2021(app, make_agency, make_advisor, make_user):
    """Six counted documents of 2021 across groups and advisors, plus three that don't count."""
    p1 = make_agency("P1", category="party_committee")
    g1, g2 = make_agency("G1"), make_agency("G2")
    c1 = make_agency("C1", category="county_district")
    a1 = make_advisor("甲律师")
    a2 = make_advisor("乙教授", kind="scholar")
    add_doc(g1, date(2021, 1, 15), service_type="major_decision", advisor_id=a1.id,
            recommendations=3)
    add_doc(g1, date(2021, 3, 20), "legality_review", service_type="normative_document",
            advisor_id=a1.id, recommendations=5, meeting_type="standing_committee")
    add_doc(g2, date(2021, 6, 30), "review_report", service_type="contract_review",
            advisor_id=a2.id, recommendations=2, matter_area="bidding")
    add_doc(p1, date(2021, 12, 31), service_type="litigation", advisor_id=a2.id,
            recommendations=1)
    add_doc(c1, date(2021, 7, 1), "other", recommendations=4)
    add_doc(c1, date(2021, 7, 2), service_type="training", advisor_id=a1.id)
    add_doc(g1, date(2020, 12, 31), service_type="major_decision", recommendations=9)
    add_doc(g1, date(2022, 1, 1), service_type="major_decision", recommendations=9)
    add_doc(g2, date(2021, 5, 5), service_type="major_decision", recommendations=9,
            deleted_at=datetime(2021, 6, 1))
    make_user("admin", username="bureau")
    make_user("auditor", username="inspector")
    return a1, a2


def test_the_page_shows_the_hand_count(year_2021, client, login):
    login("inspector")
    html = client.get("/statistics/?year=2021").get_data(as_text=True)
    assert "2021年，全市法律顾问共提供法律服务 5 件" in html
    assert "提出意见建议 15 条" in html
    table = re.search(r'id="by-service-type">(.*?)</table>', html, re.S).group(1)
    assert {k: int(v) for k, v in re.findall(r'data-key="(\w+)" data-value="(\d+)"',
                                             table)} == BY_TYPE
    groups = re.search(r'id="by-group">(.*?)</table>', html, re.S).group(1)
    assert dict(re.findall(r'data-key="(\w+)" data-value="(\d+)"', groups)) == {
        "party_committee": "1", "government_dept": "3", "county_district": "1",
        "stationed_unit": "0"}
    advisors = re.findall(r'data-advisor="(\d*)" data-value="(\d+)"', html)
    a1, a2 = year_2021
    assert advisors == [(str(a1.id), "3"), (str(a2.id), "2"), ("", "0")]


def test_excel_and_api_carry_the_numbers_of_the_page(year_2021, client, login):
    login("bureau")
    html = client.get("/statistics/?year=2021").get_data(as_text=True)
    page_groups = re.findall(r'<tr data-key="(\w+)" data-value="\d+"><td>[^<]+</td>'
                             r'<td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>'
                             r'<td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>',
                             html)
    wb = load_workbook(io.BytesIO(client.get("/statistics/?year=2021&format=xlsx").data))
    assert wb.sheetnames[:5] == ["按服务类型", "按文书类型", "按单位类别", "按法律顾问", "按月份"]
    by_type = {r[0]: r[1] for r in wb["按服务类型"].iter_rows(min_row=3, values_only=True)
               if r[1] is not None}
    assert by_type == {"重大决策": 1, "规范性文件": 1, "复议诉讼": 1, "合同审查": 1, "法治培训": 1,
                       "合计": 5}
    sheet_groups = [tuple(str(v) for v in r[1:]) for r in wb["按单位类别"].iter_rows(
        min_row=3, values_only=True) if r[1] is not None][:4]
    assert sheet_groups == [tuple(g[1:]) for g in page_groups]
    advisors = [(r[0], r[3], r[4], r[5]) for r in wb["按法律顾问"].iter_rows(
        min_row=3, values_only=True) if r[3] is not None]
    assert advisors == [("甲律师", 3, 3, 8), ("乙教授", 2, 2, 3), ("（未指定法律顾问）", 0, 1, 4)]
    months = [r[1] for r in wb["按月份"].iter_rows(min_row=3, values_only=True)
              if r[1] is not None]
    assert months == [1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1]
    api = client.get("/api/v1/statistics?year=2021").json
    assert api["services_total"] == 5 and api["recommendations_total"] == 15
    assert {c["key"]: c["count"] for c in api["by_service_type"]} == BY_TYPE
    assert api["by_month"] == months
    assert [(a["name"], a["services"]) for a in api["by_advisor"]][:2] == [("甲律师", 3),
                                                                          ("乙教授", 2)]


def test_charts_are_data_not_inline_script(year_2021, client, login):
    login("bureau")
    resp = client.get("/statistics/?year=2021")
    html = resp.get_data(as_text=True)
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "vendor/chartjs/chart.umd.js" in html and "app/charts.js" in html
    for chart_id in re.findall(r'<canvas data-chart="([\w-]+)"', html):
        block = re.search(rf'<script type="application/json" id="{chart_id}">(.*?)</script>',
                          html, re.S).group(1)
        config = json.loads(block)
        assert config["type"] in ("bar", "line", "doughnut") and config["data"]["datasets"]
    by_type = json.loads(re.search(r'id="chart-by-type">(.*?)</script>', html, re.S).group(1))
    assert by_type["data"]["datasets"][0]["data"] == [1, 1, 1, 1, 1]


def test_only_the_bureau_and_auditors_see_statistics(year_2021, app, client, make_user,
                                                      make_agency, login, token_for):
    clerk = make_user("clerk", agency=make_agency("Z9"), username="z_clerk")
    login("z_clerk")
    assert client.get("/statistics/").status_code == 403
    api = app.test_client().get("/api/v1/statistics?year=2021", headers=token_for(clerk))
    assert api.status_code == 403


def test_a_bad_year_is_refused(year_2021, client, login):
    login("bureau")
    page = client.get("/statistics/?year=21a")
    assert page.status_code == 422 and "年份应在 2000–2100 之间" in page.get_data(as_text=True)
    api = client.get("/api/v1/statistics?year=1800")
    assert api.status_code == 422 and "year" in api.json["error"]["fields"]
