"""Ranking rules: ties share a rank, the bottom five, and interviews across a year boundary."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.helpers import csrf_token
from tests.webapp.assessments_support import (
    add_criteria,
    post,
    record_of,
    score_quarter,
    split,
)
from webapp.assessments import ranking, services
from webapp.extensions import db
from webapp.models import Agency, AuditEvent


def D(x) -> Decimal:
    return Decimal(str(x))


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranks = ranking.competition_ranks({"a": D(90), "b": D(85), "c": D(85), "d": D(80)})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_bottom_five_takes_everyone_tied_at_the_boundary():
    totals = {k: D(v) for k, v in zip("abcdefgh", (95, 90, 80, 70, 70, 70, 60, 50),
                                      strict=True)}
    # last five places are d..h; d and e and f are tied at 70, and c is above them
    assert ranking.bottom_five(totals) == {"d", "e", "f", "g", "h"}
    totals["c"] = D(70)  # now the 5th-from-last place (70) is shared by c, d, e, f
    assert ranking.bottom_five(totals) == {"c", "d", "e", "f", "g", "h"}


def test_bottom_five_of_a_small_field_is_everyone():
    assert ranking.bottom_five({"a": D(1), "b": D(2)}) == {"a", "b"}
    assert ranking.bottom_five({}) == set()


@pytest.fixture
def field(app, make_agency, make_user):
    """Ten agencies, an admin and hand-scored criteria from 2021Q1."""
    agencies = [make_agency(f"A{i}") for i in range(1, 11)]
    admin = make_user("admin", username="bureau")
    add_criteria(admin)
    return agencies, admin


def _page_ranks(html: str) -> dict[str, tuple[str, str]]:
    return {code: (rank, total) for code, rank, total in re.findall(
        r'data-agency="(\w+)" data-rank="(\d*)" data-total="([\d.]*)"', html)}


def test_ranking_page_shows_shared_ranks_and_explains_them(field, client, login):
    agencies, admin = field
    totals = [95, 90, 90, 80, 70, 70, 70, 60, 55, 50]
    score_quarter("2022Q1", admin, dict(zip(agencies, totals, strict=True)))
    login("bureau")
    html = client.get("/assessments/?period=2022Q1").get_data(as_text=True)
    ranks = _page_ranks(html)
    assert [ranks[f"A{i}"][0] for i in range(1, 11)] == \
        ["1", "2", "2", "4", "5", "5", "5", "8", "9", "10"]
    assert ranks["A2"][1] == "90.00"
    assert "名次并列" in html and "后五位可能多于五个单位" in html
    # places 6-10 are the last five; A5 shares place 5 with A6 and A7, so it is in too
    bottom = re.search(r'id="bottom-five">(.*?)</ul>', html, re.S).group(1)
    assert set(re.findall(r'data-agency="(\w+)"', bottom)) == {f"A{i}" for i in range(5, 11)}
    assert "本季度后五位共 6 个单位" in html
    resp = client.get("/api/v1/assessments?period=2022Q1")
    assert resp.status_code == 200
    api = {i["agency"]["code"]: i for i in resp.json["items"]}
    assert api["A3"]["rank"] == 2 and api["A3"]["score"] == 90.0
    assert resp.json["published"] is True and resp.json["provisional"] is False


def test_consecutive_bottom_five_across_the_year_boundary_means_an_interview(field, client,
                                                                              login):
    agencies, admin = field
    a = agencies
    score_quarter("2021Q4", admin, dict(zip(a, [99, 98, 97, 96, 95, 60, 59, 58, 57, 56],
                                            strict=True)))
    # 2022Q1: A6, A7, A9, A10 are bottom five again, A4 for the first time, A8 escapes.
    score_quarter("2022Q1", admin, dict(zip(a, [99, 98, 97, 60, 95, 55, 50, 96, 58, 94],
                                            strict=True)))
    q1 = {x.agency.code: x for x in (record_of(ag, "2022Q1") for ag in a)}
    assert {c for c, r in q1.items() if r.bottom_five} == {"A4", "A6", "A7", "A9", "A10"}
    interviews = {"A6", "A7", "A9", "A10"}
    assert {c for c, r in q1.items() if r.accountability_interview} == interviews
    login("bureau")
    html = client.get("/assessments/?period=2022Q1").get_data(as_text=True)
    listed = re.search(r'id="interviews">(.*?)</ul>', html, re.S).group(1)
    assert set(re.findall(r'data-agency="(\w+)"', listed)) == interviews
    assert "2021年第四季度" in html
    api = {i["agency"]["code"]: i for i in client.get(
        "/api/v1/assessments?period=2022Q1").json["items"]}
    assert api["A6"]["accountability_interview"] is True
    assert api["A4"]["bottom_five"] is True and api["A4"]["accountability_interview"] is False
    assert api["A8"]["bottom_five"] is False


def test_publishing_the_earlier_quarter_later_updates_the_interviews(field):
    agencies, admin = field
    a = agencies
    score_quarter("2021Q4", admin, dict(zip(a, [99, 98, 97, 96, 95, 50, 49, 48, 47, 46],
                                            strict=True)), publish=False)
    score_quarter("2022Q1", admin, dict(zip(a, [99, 98, 97, 96, 50, 49, 48, 47, 46, 95],
                                            strict=True)))
    assert not record_of(a[5], "2022Q1").accountability_interview
    services.publish("2021Q4", admin)
    db.session.commit()

    def interviewed() -> set[str]:
        return {ag.code for ag in a if record_of(ag, "2022Q1").accountability_interview}

    assert interviewed() == {"A6", "A7", "A8", "A9"}
    # Amending A6's 2021Q4 record to 100 lifts it out of that bottom five and pushes A5
    # (95) in: A6's 2022Q1 interview is cleared and A5 gets one.
    services.amend(record_of(a[5], "2021Q4"), {"M1": "70", "M2": "30"}, "复核后更正", admin)
    db.session.commit()
    assert record_of(a[5], "2021Q4").rank == 1
    assert record_of(a[4], "2021Q4").bottom_five
    assert interviewed() == {"A5", "A7", "A8", "A9"}


def test_publication_needs_every_record_finalised(field, client, login):
    agencies, admin = field
    score_quarter("2022Q1", admin, dict(zip(agencies[:9], [90] * 9, strict=True)),
                  publish=False)
    services.save_scores(record_of(agencies[9], "2022Q1"), {"M1": "10"}, admin)
    db.session.commit()
    login("bureau")
    page = client.get("/assessments/?period=2022Q1").get_data(as_text=True)
    assert "尚未公布，名次为暂定" in page
    resp = post(client, "/assessments/periods/2022Q1/publish")
    assert resp.status_code == 409
    assert "还有 1 个单位的考评记录未定稿" in resp.get_data(as_text=True)
    api = client.post("/api/v1/assessments/periods/2022Q1/publish",
                      headers={"X-CSRFToken": _token(client)})
    assert api.status_code == 409 and api.json["error"]["code"] == "period_not_finalised"
    assert not services.is_published("2022Q1")
    assert db.session.query(AuditEvent).filter_by(action="assessment_published").count() == 0


def test_publication_refused_while_an_agency_has_no_record(field, client, login):
    agencies, admin = field
    score_quarter("2022Q1", admin, dict(zip(agencies, [90] * 10, strict=True)), publish=False)
    db.session.add(Agency(code="NEW", name="新设单位", category="government_dept"))
    db.session.commit()
    login("bureau")
    resp = post(client, "/assessments/periods/2022Q1/publish")
    assert resp.status_code == 409 and "尚未建立考评记录" in resp.get_data(as_text=True)
    assert record_of(agencies[0], "2022Q1").published is False


def test_batch_finalise_reports_incomplete_records(field, client, login):
    agencies, admin = field
    services.open_period("2022Q1", admin)
    for agency in agencies[:6]:
        services.save_scores(record_of(agency, "2022Q1"), split(80), admin)
    services.save_scores(record_of(agencies[6], "2022Q1"), {"M1": "50"}, admin)
    db.session.commit()
    login("bureau")
    resp = post(client, "/assessments/periods/2022Q1/finalise")
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已定稿 6 条考评记录；4 条尚不完整" in page
    assert record_of(agencies[6], "2022Q1").status == "open"


def _token(client) -> str:
    return csrf_token(client, "/")


def visible_text(html: str) -> str:
    """What the reader sees: tags (and their attributes, e.g. ``?period=2022Q1``) removed."""
    return re.sub(r"<[^>]+>", " ", html)


def test_quarters_are_named_one_way_on_every_page(field, client, login):
    agencies, admin = field
    score_quarter("2021Q4", admin, dict(zip(agencies, range(90, 80, -1), strict=True)))
    score_quarter("2022Q1", admin, dict(zip(agencies, range(80, 70, -1), strict=True)),
                  publish=False)
    login("bureau")
    resp = post(client, "/assessments/periods/2022Q1/publish")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "2022年第一季度 排名已公布。" in page
    assert "<option value=\"2021Q4\">2021年第四季度</option>" in page
    record = record_of(agencies[0], "2022Q1")
    for url in ("/", "/assessments/?period=2022Q1", "/assessments/annual?year=2022",
                "/assessments/criteria", "/assessments/criteria/new",
                f"/assessments/records/{record.id}"):
        text = visible_text(client.get(url).get_data(as_text=True))
        assert not re.search(r"\d{4}Q[1-4]|第\d季度", text), (url, re.findall(
            r".{20}(?:\d{4}Q[1-4]|第\d季度).{20}", text))
    assert "2022年第一季度督察考评" in visible_text(
        client.get(f"/assessments/records/{record.id}").get_data(as_text=True))
    assert "自2021年第一季度起施行" in client.get("/assessments/criteria").get_data(as_text=True)
    refused = post(client, "/assessments/periods/2022Q1/publish")
    assert "2022年第一季度 的排名已经公布。" in refused.get_data(as_text=True)
    api = client.get("/api/v1/assessments?period=2022Q1").json
    assert api["period"] == "2022Q1"  # the API keeps the machine form
