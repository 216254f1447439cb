"""The demo set: four published quarters with a bottom five and accountability interviews."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.helpers import csrf_token
from webapp.demo.assessment_data import PERIODS
from webapp.extensions import db
from webapp.models import AssessmentCriteria, AssessmentRecord


def _records(period: str) -> list[AssessmentRecord]:
    return list(db.session.execute(select(AssessmentRecord).where(
        AssessmentRecord.period == period)).scalars())


def test_demo_quarters_are_published_with_bottom_five_and_interviews(demo):
    assert PERIODS == ("2021Q3", "2021Q4", "2022Q1", "2022Q2")
    for period in PERIODS:
        records = _records(period)
        assert len(records) == 62
        assert all(r.status == "finalised" and r.published for r in records)
        assert sum(r.bottom_five for r in records) >= 5
    q4 = {r.agency_id for r in _records("2021Q4") if r.bottom_five}
    interviews = {r.agency_id for r in _records("2022Q1") if r.accountability_interview}
    assert interviews and interviews <= q4  # across the year boundary
    versions = {c.version: c.id for c in db.session.execute(select(AssessmentCriteria))
                .scalars()}
    assert {r.criteria_id for r in _records("2021Q4")} == {versions[1]}
    assert {r.criteria_id for r in _records("2022Q1")} == {versions[2]}


def test_demo_ranking_page_renders(demo, client):
    logins = dict(line.split("\t") for line in (Path(demo.config["GOVCOUNSEL_DATA_DIR"])
                                                / "demo_logins.txt").read_text().splitlines())
    client.post("/login", data={"username": "admin", "password": logins["admin"],
                                "csrf_token": csrf_token(client)})
    html = client.get("/assessments/?period=2022Q1").get_data(as_text=True)
    assert html.count('data-flag="interview"') >= 1
    assert "排名已公布" in html
