"""Need-to-know (#15, UI finding 13): assessment results and advisors' phone numbers.

Reproduction (became these tests): an external advisor saw every agency's ranking with
the 约谈问责 names — on the page, in the Excel file, in the annual roll-up and through
the API — and every lawyer's mobile number. Now, for every role, the pages, the exports
and the API give the same answer, and that answer is the rule in ``webapp/policy/``:

- results: admin and auditor all; a clerk their own agency and, once published, the
  others; an advisor only the agencies that engaged them during the quarter;
- phones: admin and auditor all; a clerk the advisors of a current engagement of their
  agency (chief advisor and team lawyers); an advisor their own.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.helpers import PASSWORD, csrf_token
from tests.webapp.assessments_support import add_criteria, record_of, score_quarter
from webapp.extensions import db
from webapp.models import Engagement, User

PHONES = {"chief": "13911112222", "team": "13955556666", "former": "13933334444"}
_seq = iter(range(1, 1000))


def _engagement(agency, advisor, status: str, start: date, end: date, team=()) -> None:
    n = next(_seq)
    db.session.add(Engagement(
        contract_no=f"NTK〔{start.year}〕{n:03d}号", year=start.year, seq=n,
        agency_id=agency.id, advisor_id=advisor.id, status=status, start_date=start,
        end_date=end, annual_fee=Decimal("50000"), services=[],
        params={"lawyers": [{"name": a.name, "licence_no": a.licence_no} for a in team]}))
    db.session.commit()


@pytest.fixture
def ntk(app, make_agency, make_user, make_advisor):
    """Three agencies bottom five in 2021Q4 and 2022Q1 (all three interviewed); advisor
    ``chief`` engaged by OWN in 2022 (expired) and now (active, with ``team``);
    ``former`` engaged by OWN in 2022 only and by OTH now; THI engages ``chief`` only
    from 2023 (not during 2022Q1)."""
    own, other, third = make_agency("OWN"), make_agency("OTH"), make_agency("THI")
    chief = make_advisor("甲顾问", phone=PHONES["chief"])
    team = make_advisor("乙律师", phone=PHONES["team"], firm_id=chief.firm_id)
    former = make_advisor("丙律师", phone=PHONES["former"])
    admin = make_user("admin", username="ntk_admin")
    make_user("auditor", username="ntk_auditor")
    make_user("clerk", agency=own, username="ntk_clerk_own")
    make_user("clerk", agency=other, username="ntk_clerk_oth")
    make_user("advisor", advisor=chief, username="ntk_advisor")
    _engagement(own, chief, "expired", date(2022, 1, 1), date(2022, 12, 31))
    _engagement(own, chief, "active", date(2026, 1, 1), date(2099, 12, 31), team=[team])
    _engagement(own, former, "expired", date(2022, 1, 1), date(2022, 12, 31))
    _engagement(other, former, "active", date(2026, 1, 1), date(2099, 12, 31))
    _engagement(third, chief, "expired", date(2023, 1, 1), date(2023, 12, 31))
    add_criteria(admin)
    score_quarter("2021Q4", admin, {own: 60, other: 70, third: 80})
    score_quarter("2022Q1", admin, {own: 65, other: 75, third: 85})
    return {"OWN": own, "OTH": other, "THI": third}


def _client(app, username: str) -> FlaskClient:
    client = app.test_client()
    resp = client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf_token": csrf_token(client)})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    return client


def _sheet_codes(data: bytes, sheet: str, column: int) -> set[str]:
    book = load_workbook(io.BytesIO(data))
    return {r[column] for r in book[sheet].iter_rows(min_row=3, values_only=True)
            if r[column] and str(r[column]).startswith(("OWN", "OTH", "THI", "测试单位"))}


def _ranking_seen(app, ntk, username: str) -> dict[str, set[str]]:
    """Agency codes whose results each surface shows ``username``."""
    client = _client(app, username)
    names = {a.name: code for code, a in ntk.items()}
    api = client.get("/api/v1/assessments?period=2022Q1").json
    page = client.get("/assessments/?period=2022Q1").get_data(as_text=True)
    xlsx = client.get("/assessments/?period=2022Q1&format=xlsx").data
    annual = client.get("/assessments/annual?year=2022").get_data(as_text=True)
    annual_xlsx = client.get("/assessments/annual?year=2022&format=xlsx").data
    records = {code: client.get(f"/api/v1/assessments/{record_of(a, '2022Q1').id}").status_code
               for code, a in ntk.items()}
    pages = {code: client.get(f"/assessments/records/{record_of(a, '2022Q1').id}").status_code
             for code, a in ntk.items()}
    return {
        "api": {i["agency"]["code"] for i in api["items"]},
        "api_interviews": {i["agency"]["code"] for i in api["items"]
                           if i["accountability_interview"]},
        "page": {code for code in ntk if f'data-agency="{code}"' in page},
        "page_names": {code for name, code in names.items() if name in page},
        "xlsx": _sheet_codes(xlsx, "排名", 1),
        "meeting": {names[n] for n in _sheet_codes(xlsx, "后五位与约谈", 1)},
        "annual": {code for code in ntk if f'data-agency="{code}"' in annual},
        "annual_xlsx": _sheet_codes(annual_xlsx, "年度汇总", 1),
        "record_api": {code for code, status in records.items() if status == 200},
        "record_page": {code for code, status in pages.items() if status == 200},
    }


@pytest.mark.parametrize(("username", "expected"), [
    ("ntk_admin", {"OWN", "OTH", "THI"}),
    ("ntk_auditor", {"OWN", "OTH", "THI"}),
    ("ntk_clerk_oth", {"OWN", "OTH", "THI"}),  # the published ranking goes to every agency
    ("ntk_advisor", {"OWN"}),  # only the agency that engaged the advisor in 2022Q1
])
def test_assessment_results_agree_on_every_surface(app, ntk, username, expected):
    seen = _ranking_seen(app, ntk, username)
    assert seen["api_interviews"] == expected  # all three were interviewed in 2022Q1
    for surface, codes in seen.items():
        assert codes == expected, (surface, codes)


def test_advisor_sees_the_need_to_know_note_and_no_dashboard_ranking(app, ntk):
    client = _client(app, "ntk_advisor")
    page = client.get("/assessments/?period=2022Q1").get_data(as_text=True)
    assert 'id="need-to-know"' in page and "其余 2 个单位" in page
    dashboard = client.get("/").get_data(as_text=True)
    assert ntk["OTH"].name not in dashboard and ntk["THI"].name not in dashboard


def test_advisor_sees_no_results_before_publication_of_agencies_not_engaging_them(
        app, ntk):
    """2022Q2 is scored but not published (``GOVCOUNSEL_PUBLISH_SCORES`` on): the
    engaging agency's provisional line only."""
    bureau = db.session.execute(db.select(User).filter_by(username="ntk_admin")).scalar_one()
    score_quarter("2022Q2", bureau, {ntk["OWN"]: 90, ntk["OTH"]: 50, ntk["THI"]: 40},
                  publish=False)
    client = _client(app, "ntk_advisor")
    api = client.get("/api/v1/assessments?period=2022Q2").json
    assert [i["agency"]["code"] for i in api["items"]] == ["OWN"] and api["hidden"] == 2
    page = client.get("/assessments/?period=2022Q2").get_data(as_text=True)
    assert 'id="need-to-know"' in page and "公布前您只能查看本单位" not in page


def _phones_seen(app, username: str) -> dict[str, set[str]]:
    client = _client(app, username)
    page = client.get("/orgs/advisors").get_data(as_text=True)
    csv = client.get("/orgs/advisors?format=csv").get_data(as_text=True)
    api = client.get("/api/v1/advisors").json
    return {
        "page": {k for k, p in PHONES.items() if p in page},
        "export": {k for k, p in PHONES.items() if p in csv},
        "api": {k for k, p in PHONES.items() if p in {i["phone"] for i in api["items"]}},
    }


@pytest.mark.parametrize(("username", "expected"), [
    ("ntk_admin", {"chief", "team", "former"}),
    ("ntk_auditor", {"chief", "team", "former"}),  # reads everything
    ("ntk_clerk_own", {"chief", "team"}),  # current engagement; not the 2022 one
    ("ntk_clerk_oth", {"former"}),
    ("ntk_advisor", {"chief"}),  # their own number only
])
def test_phone_numbers_agree_on_page_export_and_api(app, ntk, username, expected):
    for surface, keys in _phones_seen(app, username).items():
        assert keys == expected, (surface, keys)


def test_api_schema_says_the_phone_may_be_hidden(app, client):
    spec = client.get("/api/v1/openapi.json").json
    advisor = spec["components"]["schemas"]["AdvisorOut"]["properties"]["phone"]
    assert "null" in str(advisor) and "可见" in advisor.get("description", "")


def test_an_engagement_ended_early_covers_only_the_quarters_it_ran(app, ntk, make_advisor,
                                                                    make_user):
    """Terminated on 2021-12-15, an engagement running to 2022-12-31 does not make its
    advisor one of OTH's in 2022Q1 (but does in 2021Q4)."""
    late = make_advisor("丁顾问")
    _engagement(ntk["OTH"], late, "terminated", date(2021, 1, 1), date(2022, 12, 31))
    eng = db.session.execute(db.select(Engagement).filter_by(advisor_id=late.id)).scalar_one()
    eng.terminated_on = date(2021, 12, 15)
    db.session.commit()
    make_user("advisor", advisor=late, username="ntk_late")
    client = _client(app, "ntk_late")
    seen = {p: {i["agency"]["code"] for i in client.get(
        f"/api/v1/assessments?period={p}").json["items"]} for p in ("2021Q4", "2022Q1")}
    assert seen == {"2021Q4": {"OTH"}, "2022Q1": set()}
