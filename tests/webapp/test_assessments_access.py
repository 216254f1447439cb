"""Who sees what of the assessments, who may change them, and Excel = page."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from tests.webapp.assessments_support import (
    add_criteria,
    post,
    record_of,
    score_quarter,
)
from webapp.assessments import services
from webapp.extensions import db
from webapp.models import User


def _world(make_agency, make_user):
    own, other, third = make_agency("OWN"), make_agency("OTH"), make_agency("THI")
    admin = make_user("admin", username="bureau")
    make_user("clerk", agency=own, username="own_clerk")
    make_user("auditor", username="inspector")
    add_criteria(admin)
    score_quarter("2022Q1", admin, {own: 80, other: 90, third: 70}, publish=False)
    return own, other, third, admin


def test_clerk_sees_only_own_record_before_publication_when_scores_are_private(
        app, client, make_agency, make_user, login):
    app.config["GOVCOUNSEL_PUBLISH_SCORES"] = False
    own, other, _third, admin = _world(make_agency, make_user)
    login("own_clerk")
    api = client.get("/api/v1/assessments?period=2022Q1").json
    assert [i["agency"]["code"] for i in api["items"]] == ["OWN"]
    assert api["hidden"] == 2 and api["items"][0]["indicators"] is not None
    page = client.get("/assessments/?period=2022Q1").get_data(as_text=True)
    assert "OTH" not in page and "公布前您只能查看本单位" in page
    assert client.get(f"/assessments/records/{record_of(other, '2022Q1').id}").status_code == 403
    assert client.get(f"/api/v1/assessments/{record_of(other, '2022Q1').id}").status_code == 403
    xlsx = load_workbook(io.BytesIO(client.get(
        "/assessments/?period=2022Q1&format=xlsx").data))
    assert [r[1] for r in xlsx["排名"].iter_rows(min_row=3, values_only=True) if r[1]] == ["OWN"]
    services.publish("2022Q1", admin)
    db.session.commit()
    api = client.get("/api/v1/assessments?period=2022Q1").json
    rows = {i["agency"]["code"]: i for i in api["items"]}
    assert rows["OTH"]["rank"] == 1 and rows["OTH"]["score"] == 90.0
    assert rows["OTH"]["items"][0]["score"] == 70.0
    assert rows["OTH"]["indicators"] is None  # counts of documents the clerk may not open
    assert rows["OWN"]["indicators"] is not None


def test_clerk_sees_other_item_scores_early_when_the_bureau_allows_it(
        app, client, make_agency, make_user, login):
    _own, other, _third, _admin = _world(make_agency, make_user)
    login("own_clerk")
    api = client.get("/api/v1/assessments?period=2022Q1").json
    rows = {i["agency"]["code"]: i for i in api["items"]}
    assert set(rows) == {"OWN", "OTH", "THI"} and api["provisional"] is True
    assert rows["OTH"]["items"][0]["score"] == 70.0 and rows["OTH"]["indicators"] is None
    page = client.get(f"/assessments/records/{record_of(other, '2022Q1').id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="indicators"' not in html and 'id="evidence"' not in html


def test_auditor_reads_everything_and_changes_nothing(app, client, make_agency, make_user,
                                                      login, token_for):
    own, _other, _third, _admin = _world(make_agency, make_user)
    login("inspector")
    rec = record_of(own, "2022Q1")
    assert client.get("/assessments/?period=2022Q1").status_code == 200
    page = client.get(f"/assessments/records/{rec.id}").get_data(as_text=True)
    assert 'id="indicators"' in page and "保存得分" not in page and "提交更正" not in page
    for url, data in ((f"/assessments/records/{rec.id}/scores", {"scores.M1": "1"}),
                      (f"/assessments/records/{rec.id}/amend", {"reason": "x"}),
                      ("/assessments/periods/2022Q1/publish", {}),
                      ("/assessments/periods/2022Q1/open", {}),
                      ("/assessments/criteria/new", {"name": "x"})):
        assert post(client, url, data).status_code == 403, url
    auditor = db.session.query(User).filter_by(username="inspector").one()
    headers = token_for(auditor)
    client = app.test_client()  # bearer token only, no session
    assert client.put(f"/api/v1/assessments/{rec.id}/scores", headers=headers,
                      json={"scores": {"M1": 1}}).status_code == 403
    assert client.post("/api/v1/assessments/periods/2022Q1/publish",
                       headers=headers).status_code == 403
    assert client.get("/api/v1/assessments?period=2022Q1", headers=headers).status_code == 200
    assert record_of(own, "2022Q1").scores == {"M1": 70.0, "M2": 10.0}


def test_clerk_and_advisor_cannot_write(app, client, make_agency, make_user, make_advisor,
                                        token_for):
    own, _other, _third, _admin = _world(make_agency, make_user)
    rec = record_of(own, "2022Q1")
    clerk = db.session.query(User).filter_by(username="own_clerk").one()
    advisor = make_user("advisor", advisor=make_advisor())
    for user in (clerk, advisor):
        headers = token_for(user)
        assert client.post(f"/api/v1/assessments/{rec.id}/amendments", headers=headers,
                           json={"scores": {"M1": 1}, "reason": "x"}).status_code == 403
    advisor_rows = client.get("/api/v1/assessments?period=2022Q1",
                              headers=token_for(advisor)).json["items"]
    assert all(r["indicators"] is None for r in advisor_rows)


def _table(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'data-agency="(\w+)" data-rank="(\d*)" data-total="([\d.]*)"', html)


def test_ranking_excel_has_the_numbers_of_the_page(app, client, make_agency, make_user, login):
    own, other, third, admin = _world(make_agency, make_user)
    services.publish("2022Q1", admin)
    db.session.commit()
    login("bureau")
    page = _table(client.get("/assessments/?period=2022Q1").get_data(as_text=True))
    resp = client.get("/assessments/?period=2022Q1&format=xlsx")
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(resp.data))
    ws = wb["排名"]
    assert "2022年第一季度" in ws["A1"].value
    headers = [c.value for c in ws[2]]
    total_col = headers.index("总分")
    sheet = [(r[1], str(r[0]), f"{r[total_col]:.2f}")
             for r in ws.iter_rows(min_row=3, values_only=True) if r[1]]
    assert sheet == page
    assert ws.print_title_rows == "$1:$2" and ws.page_setup.orientation == "landscape"
    meeting = [r[1] for r in wb["后五位与约谈"].iter_rows(min_row=3, values_only=True) if r[1]]
    assert sorted(meeting) == sorted(a.name for a in (own, other, third))


def test_annual_roll_up_and_its_excel(app, client, make_agency, make_user, login):
    a, b = make_agency("Y1"), make_agency("Y2")
    admin = make_user("admin", username="bureau")
    add_criteria(admin, "2021Q1")
    score_quarter("2021Q3", admin, {a: 80, b: 90})
    score_quarter("2021Q4", admin, {a: 91, b: 70})
    score_quarter("2022Q1", admin, {a: 50, b: 60})
    login("bureau")
    html = client.get("/assessments/annual?year=2021").get_data(as_text=True)
    rows = re.findall(r'data-agency="(\w+)" data-rank="(\d+)" data-average="([\d.]+)"', html)
    assert rows == [("Y1", "1", "85.50"), ("Y2", "2", "80.00")]
    wb = load_workbook(io.BytesIO(client.get("/assessments/annual?year=2021&format=xlsx").data))
    sheet = [(r[1], str(r[0]), f"{r[8]:.2f}") for r in wb.active.iter_rows(min_row=3,
                                                                             values_only=True)
             if r[1]]
    assert sheet == rows
    assert client.get("/assessments/annual?year=20x1").status_code == 422
