"""The demo year of matters: a few hundred, every kind, some overdue and returned, adoption
mixed — and what the demo users see of it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.matters.queries import overdue_condition
from webapp.models import MATTER_KINDS, LegalMatter, Recommendation


def test_a_realistic_year_of_matters(demo):
    total = db.session.execute(select(func.count(LegalMatter.id))).scalar_one()
    assert 200 <= total <= 600
    kinds = set(db.session.execute(select(LegalMatter.kind).distinct()).scalars())
    assert kinds == set(MATTER_KINDS)
    assert db.session.execute(select(func.count()).where(
        overdue_condition(date.today()))).scalar_one() > 0
    paused = db.session.execute(select(func.count()).where(
        LegalMatter.paused_days > 0)).scalar_one()
    returned = db.session.execute(select(func.count()).where(
        LegalMatter.status == "returned")).scalar_one()
    assert paused + returned > 0
    adoption = dict(db.session.execute(select(Recommendation.adoption, func.count())
                                       .group_by(Recommendation.adoption)).all())
    assert all(adoption.get(a, 0) > 0 for a in ("adopted", "partly_adopted", "not_adopted"))
    assert all(m.is_demo for m in db.session.execute(select(LegalMatter)).scalars())
    assert db.session.execute(select(LegalMatter.id).where(
        LegalMatter.requested_on < date.today().replace(year=date.today().year - 1))).first() \
        is None


def test_the_demo_users_see_their_matters(demo, client, login):
    from webapp.demo import _read_logins

    logins = _read_logins(demo)
    login("clerk", logins["clerk"])
    page = client.get("/matters/").get_data(as_text=True)
    assert "法律事务" in page and "涉密" in page
    assert client.get("/matters/?format=xlsx").status_code == 200
    client.post("/logout", data={})
    classified = db.session.execute(select(LegalMatter.matter_no).where(
        LegalMatter.classified.is_(True))).scalars().all()
    assert classified
    other = demo.test_client()
    from tests.helpers import csrf_token

    other.post("/login", data={"username": "advisor", "password": logins["advisor"],
                               "csrf_token": csrf_token(other)})
    listing = other.get("/matters/?per_page=200").get_data(as_text=True)
    assert "法律事务" in listing
    assert not [no for no in classified if no in listing]


def test_this_years_criteria_compute_adoption_from_the_matters(demo):
    from webapp.assessments.criteria import criteria_for
    from webapp.assessments.periods import current_period

    criteria = criteria_for(current_period())
    a5 = next(i for i in criteria.items if i.code == "A5")
    assert a5.method == "computed" and a5.indicator == "matter_adoption_rate"
    assert criteria_for("2022Q1").version == 2  # the demo's earlier versions are unchanged
