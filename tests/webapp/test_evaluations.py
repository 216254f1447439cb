"""双向考核: the admin's form, agencies' evaluations (bad input refused), the pool review's
suggestion from evaluations and matter figures, and the audited decision that decides
who can be chosen for a renewal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.webapp.matters_support import seed
from webapp.engagements.pool import available_advisor_ids, check
from webapp.errors import ValidationFailed
from webapp.evaluations import services
from webapp.evaluations.schemas import DecisionInput, EvaluationInput, FormInput, FormItem
from webapp.extensions import db
from webapp.models import AuditEvent, TalentPoolEntry
from webapp.transaction import unit_of_work

YEAR = date.today().year


@pytest.fixture
def world(app, make_user):
    w = seed(make_user)
    db.session.add(TalentPoolEntry(category="lawyer", advisor_id=w.advisor.id,
                                   admitted_on=date(YEAR - 1, 1, 1)))
    db.session.commit()
    with unit_of_work():
        services.save_form(w.admin, FormInput(year=YEAR, items=[
            FormItem(code="Q1", name="服务质量", max=60),
            FormItem(code="Q2", name="响应及时", max=40)]))
    return w


def _evaluate(world, user, agency, q1, q2, complaints=0):
    with unit_of_work():
        return services.evaluate(user, agency.id, EvaluationInput(
            year=YEAR, advisor_id=world.advisor.id, scores={"Q1": q1, "Q2": q2},
            complaints=complaints, comment="意见"))


def test_bad_evaluations_are_refused(world):
    with pytest.raises(ValidationFailed) as exc, unit_of_work():
        services.evaluate(world.clerk, world.agency.id, EvaluationInput(
            year=YEAR, advisor_id=world.outsider.id, scores={"Q1": 1, "Q2": 1}))
    assert "未聘任" in exc.value.fields["advisor_id"]
    with pytest.raises(ValidationFailed) as exc:
        _evaluate(world, world.clerk, world.agency, 61, 10)
    assert "满分" not in exc.value.fields["scores.Q1"] and "60" in exc.value.fields["scores.Q1"]
    _evaluate(world, world.clerk, world.agency, 50, 35)
    with pytest.raises(Exception) as exc:
        _evaluate(world, world.clerk, world.agency, 50, 35)
    assert "已提交" in str(exc.value)


def test_review_suggests_and_the_suspension_blocks_a_renewal(world):
    _evaluate(world, world.clerk, world.agency, 20, 10, complaints=1)  # 30 %
    _evaluate(world, world.other_clerk, world.other_agency, 30, 20)  # 50 %
    row = next(r for r in services.review_rows(YEAR) if r["entry"].advisor_id == world.advisor.id)
    assert row["average"] == pytest.approx(0.4) and row["suggestion"] == "suspend"
    entry = row["entry"]
    with pytest.raises(ValidationFailed), unit_of_work():
        services.decide(world.admin, entry, DecisionInput(year=YEAR, outcome="suspend"))
    with unit_of_work():
        services.decide(world.admin, entry, DecisionInput(year=YEAR, outcome="suspend",
                                                          reason="两家单位考核均不合格"))
    entry = db.session.get(TalentPoolEntry, entry.id)
    assert entry.status == "suspended" and entry.last_review_result == "unqualified"
    assert world.advisor.id not in available_advisor_ids()
    with pytest.raises(ValidationFailed):
        check(world.clerk, [world.advisor], None)
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "pool_decision")).scalar_one()
    assert event.detail["outcome"] == "suspend" and event.detail["suggested"] == "suspend"


def test_good_results_suggest_renewal(world):
    _evaluate(world, world.clerk, world.agency, 55, 38)
    row = next(r for r in services.review_rows(YEAR) if r["entry"].advisor_id == world.advisor.id)
    assert row["suggestion"] == "renew"
    with unit_of_work():
        services.decide(world.admin, row["entry"], DecisionInput(year=YEAR, outcome="renew"))
    assert db.session.get(TalentPoolEntry, row["entry"].id).status == "renewed"


def test_pages(client, world, login):
    _evaluate(world, world.clerk, world.agency, 55, 38)
    login(world.admin.username)
    page = client.get(f"/evaluations/review?year={YEAR}").get_data(as_text=True)
    assert "赵律师" in page and 'data-suggestion="renew"' in page
    assert "服务质量" in client.get(f"/evaluations/form?year={YEAR}").get_data(as_text=True)
