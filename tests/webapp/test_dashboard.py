"""工作台 by role: the bureau's to-dos, a clerk's gaps, the auditor's summary, an advisor's work."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.webapp.assessments_support import add_criteria, add_doc, score_quarter
from webapp.assessments import services
from webapp.assessments.periods import current_period
from webapp.extensions import db
from webapp.models import Engagement, User

TODAY = date.today()
_n = iter(range(1, 1000))


def engagement(agency, status, end_in_days, due_in_days=None, advisor=None):
    n = next(_n)
    eng = Engagement(contract_no=f"E{n:03d}", year=TODAY.year, seq=n, agency_id=agency.id,
                     advisor_id=advisor.id if advisor else None, status=status,
                     start_date=TODAY - timedelta(days=100),
                     end_date=TODAY + timedelta(days=end_in_days), annual_fee=Decimal(1),
                     filing_due_on=None if due_in_days is None else
                     TODAY + timedelta(days=due_in_days))
    db.session.add(eng)
    db.session.commit()
    return eng


@pytest.fixture
def city(app, make_agency, make_user, make_advisor):
    own, busy, idle = make_agency("OWN"), make_agency("BUSY"), make_agency("IDLE")
    advisor = make_advisor("丙律师")
    make_user("admin", username="bureau")
    make_user("clerk", agency=own, username="own_clerk")
    make_user("auditor", username="inspector")
    make_user("advisor", advisor=advisor, username="counsel")
    return {"own": own, "busy": busy, "idle": idle, "advisor": advisor,
            "overdue": engagement(own, "signed", 300, due_in_days=-3),
            "due_soon": engagement(busy, "signed", 300, due_in_days=5),
            "e30": engagement(busy, "active", 10, advisor=advisor),
            "e60": engagement(busy, "filed", 45),
            "e90": engagement(busy, "active", 80),
            "later": engagement(busy, "active", 200),
            "expired": engagement(idle, "expired", -5)}


def _ids(html: str, section: str) -> set[str]:
    block = re.search(rf'id="{section}">(.*?)</div></div></div>', html, re.S).group(1)
    return set(re.findall(r'data-engagement="(\d+)"', block))


def test_bureau_dashboard(city, client, login):
    admin = db.session.query(User).filter_by(username="bureau").one()
    add_criteria(admin, "2021Q1")
    score_quarter("2022Q1", admin, {city["own"]: 80, city["busy"]: 90, city["idle"]: 70})
    login("bureau")
    html = client.get("/").get_data(as_text=True)
    assert 'data-stat="agencies">3<' in html  # the shared counts are still there
    assert _ids(html, "overdue-filings") == {str(city["overdue"].id)}
    windows = dict(re.findall(r'data-window="(\d+)">.*?（(\d+)）', html, re.S))
    assert windows == {"30": "1", "60": "1", "90": "1"}
    assert _ids(html, "expiring") == {str(city[k].id) for k in ("e30", "e60", "e90")}
    without = re.search(r'id="without-advisor">(.*?)</div>', html, re.S).group(1)
    assert set(re.findall(r'data-agency="(\w+)"', without)) == {"IDLE"}
    assert "最新公布排名：2022年第一季度" in html


def test_clerk_dashboard_shows_own_record_and_gaps(city, client, login):
    admin = db.session.query(User).filter_by(username="bureau").one()
    add_criteria(admin, "2021Q1")
    services.open_period(current_period(), admin)
    db.session.commit()
    add_doc(city["own"], TODAY, "legal_opinion", meeting_type="executive_meeting",
            service_type="major_decision")
    login("own_clerk")
    html = client.get("/").get_data(as_text=True)
    assert "本单位" in html and "查看考评记录" in html
    assert "本季度没有全程履行的法律顾问聘任合同" not in html  # the signed one covers it
    assert "本季度没有重点领域" in html
    assert f"合同 {city['overdue'].contract_no}" in html and "已逾期" in html
    assert "有 1 件上会事项没有合法性审查意见" in html
    assert "尚有 2 项待司法局评分" in html
    assert 'data-indicator="services_total"' in html
    assert "BUSY" not in html and city["e30"].contract_no not in html


def test_auditor_dashboard_and_chain_check(city, client, login):
    add_doc(city["own"], TODAY)
    login("inspector")
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'data-stat="registered_total">1<', html)
    assert "立即校验" in html and 'data-chain=' not in html
    checked = client.get("/?verify=1").get_data(as_text=True)
    assert 'data-chain="ok"' in checked


def test_advisor_dashboard_lists_submissions(city, client, login):
    add_doc(city["busy"], TODAY, title="丙律师的法律意见书", advisor_id=city["advisor"].id)
    add_doc(city["busy"], TODAY, title="别人的文书")
    login("counsel")
    html = client.get("/").get_data(as_text=True)
    assert "丙律师的法律意见书" in html and "别人的文书" not in html
    assert re.search(r'data-stat="submitted_total">1<', html)
    assert city["e30"].contract_no in html
