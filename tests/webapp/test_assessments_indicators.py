"""Computed indicators against a hand-counted fixture, and the documents behind each number."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.webapp.assessments_support import add_criteria, add_doc, record_of
from webapp.assessments import indicators, services
from webapp.assessments.criteria import computed_points
from webapp.extensions import db
from webapp.models import Engagement

EXPECTED = {
    "services_total": 5, "services_major_decision": 2, "services_normative_document": 1,
    "services_litigation": 1, "services_contract_review": 1, "services_training": 0,
    "documents_total": 6, "documents_legal_opinion": 1, "documents_legality_review": 2,
    "documents_risk_assessment": 1, "documents_review_report": 1, "documents_contract": 0,
    "documents_other": 1, "recommendations": 15,
    "engagement_in_force": True, "contracts_due": 3, "contracts_filed_on_time": 1,
    "filing_on_time_rate": 0.3333,
    "decision_meetings": 4, "decision_meetings_reviewed": 2, "decision_review_rate": 0.5,
    "meetings_standing_committee": 2, "meetings_reviewed_standing_committee": 1,
    "meetings_executive_meeting": 1, "meetings_reviewed_executive_meeting": 1,
    "meetings_party_group": 1, "meetings_reviewed_party_group": 0,
    "key_area_documents": 3, "key_area_major_investment": 1, "key_area_bidding": 2,
}
COMPUTED = [
    {"code": "C1", "name": "法律服务", "max_points": "20", "method": "computed",
     "indicator": "services_total", "rule": '{"full_at": 4}'},
    {"code": "C2", "name": "上会审查", "max_points": "10", "method": "computed",
     "indicator": "decision_review_rate"},
    {"code": "C3", "name": "聘任", "max_points": "5", "method": "computed",
     "indicator": "engagement_in_force"},
    {"code": "C4", "name": "按时备案", "max_points": "9", "method": "computed",
     "indicator": "filing_on_time_rate"},
    {"code": "M1", "name": "人工评分", "max_points": "56", "method": "manual"},
]


def _engagement(agency, n, status, start, end, due=None, filed=None):
    db.session.add(Engagement(contract_no=f"汴法顾〔2022〕第{n:03d}号", year=2022, seq=n,
                              agency_id=agency.id, status=status, start_date=start,
                              end_date=end, annual_fee=Decimal("68000"), filing_due_on=due,
                              filed_on=filed))


@pytest.fixture
def world(app, make_agency, make_user):
    """Agency X with the hand-counted documents and engagements of 2022Q1 (and noise)."""
    x, y = make_agency("X"), make_agency("Y")
    admin = make_user("admin", username="bureau")
    add_criteria(admin, "2021Q1", COMPUTED)
    services.open_period("2022Q1", admin)
    db.session.commit()
    record = record_of(x, "2022Q1")
    d = {
        "d1": add_doc(x, date(2022, 1, 1), "legal_opinion", service_type="major_decision",
                      meeting_type="standing_committee", recommendations=3,
                      matter_area="major_investment"),
        "d2": add_doc(x, date(2022, 3, 31), "legality_review",
                      service_type="normative_document", meeting_type="standing_committee",
                      recommendations=5),
        "d3": add_doc(x, date(2022, 2, 15), "legality_review", service_type="litigation",
                      meeting_type="executive_meeting", recommendations=2, matter_area="bidding"),
        "d4": add_doc(x, date(2022, 2, 20), "risk_assessment", service_type="major_decision",
                      meeting_type="party_group", classified=True),
        "d5": add_doc(x, date(2022, 3, 1), "review_report", service_type="contract_review",
                      recommendations=4, matter_area="bidding"),
        "d6": add_doc(x, date(2022, 3, 10), "other", recommendations=1),
        "before": add_doc(x, date(2021, 12, 31), service_type="major_decision"),
        "after": add_doc(x, date(2022, 4, 1), service_type="major_decision"),
        "deleted": add_doc(x, date(2022, 2, 1), service_type="major_decision",
                           deleted_at=datetime(2022, 2, 2)),
        "other_agency": add_doc(y, date(2022, 2, 1), service_type="major_decision"),
        "undated": add_doc(x, None, assessment_record_id=record.id),
    }
    _engagement(x, 1, "active", date(2021, 6, 1), date(2022, 5, 31), date(2021, 6, 16),
                date(2021, 6, 10))
    _engagement(x, 2, "filed", date(2022, 2, 1), date(2023, 1, 31), date(2022, 2, 16),
                date(2022, 2, 20))
    _engagement(x, 3, "signed", date(2022, 3, 1), date(2023, 2, 28), date(2022, 3, 16))
    _engagement(x, 4, "filed", date(2022, 1, 5), date(2022, 12, 31), date(2022, 1, 20),
                date(2022, 1, 18))
    _engagement(x, 5, "draft", date(2022, 1, 5), date(2022, 12, 31), date(2022, 1, 20))
    _engagement(y, 6, "terminated", date(2021, 1, 1), date(2022, 12, 31))
    db.session.commit()
    return SimpleNamespace(x=x, y=y, admin=admin, record=record, docs=d)


def test_indicators_match_the_hand_count(world):
    values = indicators.for_agency(world.x.id, "2022Q1")
    assert {k: values[k] for k in EXPECTED} == EXPECTED
    other = indicators.for_agency(world.y.id, "2022Q1")
    assert other["services_total"] == 1 and other["engagement_in_force"] is False
    assert other["decision_review_rate"] is None


def test_record_page_and_api_show_the_same_numbers(world, client, login):
    login("bureau")
    html = client.get(f"/assessments/records/{world.record.id}").get_data(as_text=True)
    shown = dict(re.findall(r'data-indicator="(\w+)" data-value="([^"]*)"', html))
    for code, value in EXPECTED.items():
        assert shown[code] == str(value), code
    api = client.get(f"/api/v1/assessments/{world.record.id}").json
    assert {k: api["indicators"][k] for k in EXPECTED} == EXPECTED


def test_each_number_links_to_the_documents_behind_it(world, client, login):
    login("bureau")
    html = client.get(f"/assessments/records/{world.record.id}").get_data(as_text=True)
    rows = dict(re.findall(r'data-indicator="(\w+)" data-value="[^"]*"><td[^>]*>[^<]*</td>\s*'
                           r'<td class="text-end"><a href="([^"]+)"', html))
    expected_link = (f"/documents/?agency_id={world.x.id}&amp;date_from=2022-01-01"
                     f"&amp;date_to=2022-03-31&amp;service_type=litigation")
    assert rows["services_litigation"] == expected_link
    assert rows["contracts_due"].endswith("#engagements")
    listed = client.get(expected_link.replace("&amp;", "&")).get_data(as_text=True)
    assert "共 1 条" in listed and world.docs["d3"].title in listed
    assert "共 2 条" in client.get(rows["documents_legality_review"].replace("&amp;", "&")
                                  ).get_data(as_text=True)
    composite = rows["decision_meetings"].replace("&amp;", "&")
    assert "evidence=decision_meetings" in composite
    evidence = client.get(composite).get_data(as_text=True)
    ids = set(re.findall(r'data-document="(\d+)"', evidence))
    assert ids == {str(world.docs[k].id) for k in ("d1", "d2", "d3", "d4")}
    assert "上会事项（合计）" in evidence


def test_evidence_lists_the_documents_of_the_agency_and_quarter(world, client, login):
    login("bureau")
    html = client.get(f"/assessments/records/{world.record.id}").get_data(as_text=True)
    ids = set(re.findall(r'data-document="(\d+)"', html))
    wanted = {"d1", "d2", "d3", "d4", "d5", "d6", "undated"}
    assert ids == {str(world.docs[k].id) for k in wanted}
    assert "未填出具日期的文书不计入计算指标" in html
    engagements = set(re.findall(r'data-engagement="(\d+)"', html))
    assert len(engagements) == 4  # the draft is not evidence
    assert "¥68,000.00" in html and "2021年6月1日 至 2022年5月31日" in html
    bad = client.get(f"/assessments/records/{world.record.id}?evidence=nonsense")
    assert bad.status_code == 422


def test_computed_items_are_scored_from_the_data_and_frozen_at_finalising(world):
    record = world.record
    services.finalise(record, world.admin, {"M1": "50"})
    db.session.commit()
    record = record_of(world.x, "2022Q1")
    assert record.scores == {"C1": 20.0, "C2": 5.0, "C3": 5.0, "C4": 3.0, "M1": 50.0}
    assert str(record.total) == "83.00"
    add_doc(world.x, date(2022, 1, 9), "legality_review", meeting_type="party_group")
    assert record_of(world.x, "2022Q1").scores["C2"] == 5.0  # frozen, not recomputed


@pytest.mark.parametrize(("kind_code", "rule", "value", "points"), [
    ("services_total", {"full_at": 4}, 2, "10.00"),
    ("services_total", {"full_at": 4}, 9, "20.00"),
    ("services_total", {"per": 3}, 5, "15.00"),
    ("services_total", None, 0, "0.00"),
    ("decision_review_rate", None, None, "20.00"),
    ("decision_review_rate", {"none": "zero"}, None, "0.00"),
    ("decision_review_rate", None, 0.25, "5.00"),
    ("engagement_in_force", None, False, "0.00"),
])
def test_computed_points_rules(kind_code, rule, value, points):
    item = SimpleNamespace(max_points=Decimal("20"), rule=rule, indicator=kind_code)
    assert str(computed_points(item, value)) == points
