"""Computed matter indicators, the new criteria version that scores them (A5 adoption is
computed, no longer by hand), and the meeting-item gate on the dashboard."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from tests.webapp.assessments_support import add_criteria
from tests.webapp.matters_support import docx_file, seed
from webapp.assessments import indicators
from webapp.assessments.criteria import computed_points
from webapp.extensions import db
from webapp.matters import lifecycle, services
from webapp.matters.schemas import AdoptionInput, AnswerInput, MatterCreate, RecommendationIn
from webapp.models import LegalMatter
from webapp.transaction import unit_of_work

V3 = [
    {"code": "A3", "name": "上会事项合法性审查", "max_points": "10", "method": "computed",
     "indicator": "matter_meeting_review_rate", "rule": '{"none": "full"}'},
    {"code": "A5", "name": "意见建议采纳", "max_points": "20", "method": "computed",
     "indicator": "matter_adoption_rate"},
    {"code": "A9", "name": "按期答复", "max_points": "10", "method": "computed",
     "indicator": "matters_on_time_rate"},
]


@pytest.fixture
def world(app, make_user):
    return seed(make_user)


def _matter(world, requested: date, *, meeting=None, due=None) -> int:
    data = MatterCreate(agency_id=world.agency.id, kind="major_decision_review",
                        title=f"事项{requested.isoformat()}", meeting_type=meeting,
                        advisor_ids=[world.advisor.id], requested_on=requested, due_on=due)
    with unit_of_work():
        return services.create(world.clerk, data, today=requested).id


def _answer(world, matter_id: int, day: date, adoptions: list[str] | None = None) -> None:
    with unit_of_work():
        matter = db.session.get(LegalMatter, matter_id)
        lifecycle.accept(world.advisor_user, matter, today=day)
        lifecycle.answer(world.advisor_user, matter, io.BytesIO(docx_file()), "意见.docx",
                         AnswerInput(answered_on=day), today=day)
        if adoptions:
            rows = [RecommendationIn(text=f"建议{i}", adoption=a, reason="理由")
                    for i, a in enumerate(adoptions)]
            lifecycle.adopt(world.clerk, matter, AdoptionInput(recommendations=rows), today=day)


def test_indicators_of_a_quarter(world):
    # Monday 2026-03-02 + 5 working days = Monday 2026-03-09
    on_time = _matter(world, date(2026, 3, 2), meeting="executive_meeting")
    _answer(world, on_time, date(2026, 3, 4), ["adopted", "partly_adopted", "not_adopted",
                                               "adopted"])
    late = _matter(world, date(2026, 3, 2))
    _answer(world, late, date(2026, 3, 11), ["not_adopted"])
    _matter(world, date(2026, 3, 3), meeting="standing_committee")  # unanswered meeting item
    values = indicators.for_agency(world.agency.id, "2026Q1")
    assert values["matters_requested"] == 3 and values["matters_answered"] == 2
    assert values["matters_answered_on_time"] == 1 and values["matters_on_time_rate"] == 0.5
    assert values["matters_median_days"] == 4.5  # 2 and 7 working days
    assert values["matter_recommendations"] == 5
    assert values["matter_recommendations_adopted"] == 2.5
    assert values["matter_adoption_rate"] == 0.5
    assert values["matter_meetings"] == 2 and values["matter_meetings_reviewed"] == 1
    assert values["matter_meetings_unreviewed_standing_committee"] == 1
    assert values["matter_meeting_review_rate"] == 0.5
    assert indicators.for_agency(world.agency.id, "2026Q2")["matters_requested"] == 0


def test_the_new_criteria_version_scores_adoption_and_old_versions_still_work(world):
    matter = _matter(world, date(2026, 3, 2))
    _answer(world, matter, date(2026, 3, 3), ["adopted", "not_adopted"])
    old = add_criteria(world.admin, "2021Q1")
    new = add_criteria(world.admin, "2026Q1", V3, name="2026年版（法律事务计算指标）")
    values = indicators.for_agency(world.agency.id, "2026Q1")
    points = {item.code: computed_points(item, values[item.indicator]) for item in new.items}
    assert points == {"A3": Decimal("10.00"), "A5": Decimal("10.00"), "A9": Decimal("10.00")}
    assert all(item.method == "manual" for item in old.items)
    assert indicators.format_value(indicators.BY_CODE["matters_median_days"], None) == "—"


def _page(app, username: str) -> str:
    from tests.helpers import PASSWORD, csrf_token

    client = app.test_client()
    client.post("/login", data={"username": username, "password": PASSWORD,
                                "csrf_token": csrf_token(client)})
    return client.get("/").get_data(as_text=True)


def test_an_unreviewed_meeting_item_is_a_deficiency_on_the_dashboard(app, world):
    matter = _matter(world, date.today(), meeting="party_group")
    page = _page(app, world.clerk.username)
    assert "尚无合法性审查意见" in page and db.session.get(LegalMatter, matter).matter_no in page
    assert 'data-stat="unreviewed_meetings">1<' in _page(app, world.admin.username)
    _answer(world, matter, date.today())
    assert "尚无合法性审查意见" not in _page(app, world.clerk.username)


def test_statistics_page_and_workbook_show_matters(app, world):
    import openpyxl

    matter = _matter(world, date(2026, 3, 2), meeting="executive_meeting")
    _answer(world, matter, date(2026, 3, 4), ["adopted", "partly_adopted", "not_adopted",
                                              "adopted"])
    _matter(world, date(2026, 3, 3))
    from webapp.statistics.matters import matter_statistics

    stats = matter_statistics(2026)
    line = stats.by_kind["major_decision_review"]
    assert (line.requested, line.answered, line.median_days) == (2, 1, 2.0)
    assert line.adoption_rate == 0.625
    assert stats.by_agency[world.agency.id].requested == 2
    ranking = stats.advisor_ranking()
    assert ranking[0].label == "赵律师" and ranking[0].answered == 1
    assert stats.adoption == {"adopted": 2, "partly_adopted": 1, "not_adopted": 1, "pending": 0}
    from tests.helpers import PASSWORD, csrf_token

    client = app.test_client()
    client.post("/login", data={"username": world.admin.username, "password": PASSWORD,
                                "csrf_token": csrf_token(client)})
    page = client.get("/statistics/?year=2026").get_data(as_text=True)
    assert 'id="matters-by-kind"' in page and "赵律师" in page
    resp = client.get("/statistics/?year=2026&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    assert {"法律事务按类型", "法律顾问排名", "意见建议采纳"} <= set(book.sheetnames)
    rows = [[c.value for c in r] for r in book["法律顾问排名"].iter_rows()]
    assert any(r[:3] == [1, "赵律师", 2] for r in rows), rows
