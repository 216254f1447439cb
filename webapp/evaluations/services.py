"""Advisor evaluation (双向考核): the admin's yearly form, the agencies' evaluations, the
figures computed from the matters, and the pool review's audited decision.

- The form of a year is a list of items with maximum points (``EvaluationForm``).
- An agency (its clerk, or the admin for it) evaluates each advisor it engaged that year
  once: a score per item (0..max), the number of complaints, a comment.
- Figures per advisor and year come from the matters: handled (answered in the year),
  on-time rate, adoption rate (partly adopted counts ½).
- The suggested outcome: ``suspend`` when the average evaluation is below 60 % of the
  maximum or there were 3 complaints or more; ``renew`` at 80 % and more with an on-time
  rate of 80 % or more (or no answers) and no complaint; ``warn`` otherwise.
- The admin's decision is audited and changes the pool entry: renew → 已续聘, suspend →
  暂停 (who is suspended cannot be chosen for a renewal), warn → status unchanged; the
  year's review result is recorded on the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from .. import policy
from ..audit import services as audit
from ..errors import DomainError, Forbidden, ValidationFailed
from ..extensions import db
from ..messages import error_text, label
from ..models import (
    Advisor,
    AdvisorEvaluation,
    EvaluationForm,
    LegalMatter,
    MatterAdvisor,
    Recommendation,
    TalentPoolEntry,
    User,
)
from ..orgs import pool_services
from .reminders import engaged_in_year
from .schemas import DecisionInput, EvaluationInput, FormInput

REVIEW_RESULT = {"renew": "qualified", "warn": "basically_qualified", "suspend": "unqualified"}


def form_for(year: int) -> EvaluationForm | None:
    """The evaluation form of ``year``."""
    return db.session.execute(select(EvaluationForm).where(
        EvaluationForm.year == year)).scalar_one_or_none()


def save_form(user: User, data: FormInput) -> EvaluationForm:
    """Create or replace the form of a year (audited; refused once evaluations exist)."""
    policy.require(user, "evaluation.decide")
    form = form_for(data.year)
    used = db.session.execute(select(AdvisorEvaluation.id).where(
        AdvisorEvaluation.year == data.year)).first()
    if form is not None and used:
        raise DomainError("evaluation_exists", status=409, year=data.year)
    items = [item.model_dump(mode="json") for item in data.items]
    if form is None:
        form = EvaluationForm(year=data.year, items=items)
        db.session.add(form)
    else:
        form.items = items
    db.session.flush()
    audit.record("evaluation_form_saved", object_type="evaluation_form", object_id=form.id,
                 actor=user, detail={"year": data.year, "items": items})
    return form


def evaluate(user: User, agency_id: int, data: EvaluationInput) -> AdvisorEvaluation:
    """One agency's evaluation of one advisor for a year (once; audited)."""
    policy.require(user, "evaluation.submit")
    if not policy.can(user, "matter.for_agency", agency_id):
        raise Forbidden(error_text("not_own_agency"))
    advisor = db.session.get(Advisor, data.advisor_id)
    if advisor is None:
        raise ValidationFailed({"advisor_id": error_text("unknown_advisor",
                                                         value=data.advisor_id)})
    if (agency_id, advisor.id) not in engaged_in_year(data.year, agency_id):
        raise ValidationFailed({"advisor_id": error_text(
            "evaluation_not_engaged", year=data.year, name=advisor.name)})
    form = form_for(data.year)
    if form is None:
        raise ValidationFailed({"_": error_text("evaluation_form_missing", year=data.year)})
    scores = _scores(form, data.scores)
    if db.session.execute(select(AdvisorEvaluation.id).where(
            AdvisorEvaluation.year == data.year, AdvisorEvaluation.agency_id == agency_id,
            AdvisorEvaluation.advisor_id == advisor.id)).first():
        raise DomainError("evaluation_exists", status=409, year=data.year)
    row = AdvisorEvaluation(year=data.year, agency_id=agency_id, advisor_id=advisor.id,
                            scores=scores, total=sum(Decimal(str(v)) for v in scores.values()),
                            complaints=data.complaints, comment=data.comment,
                            evaluated_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    audit.record("advisor_evaluated", object_type="advisor_evaluation", object_id=row.id,
                 actor=user, detail={"year": data.year, "agency_id": agency_id,
                                     "advisor_id": advisor.id, "scores": scores,
                                     "complaints": data.complaints})
    return row


def _scores(form: EvaluationForm, given: dict[str, Any]) -> dict[str, float]:
    scores, errors = {}, {}
    for item in form.items:
        raw = given.get(item["code"])
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = -1.0
        if not 0 <= value <= float(item["max"]):
            errors[f"scores.{item['code']}"] = error_text(
                "evaluation_score_invalid", item=item["name"], max=item["max"])
        scores[item["code"]] = value
    if errors:
        raise ValidationFailed(errors)
    return scores


@dataclass
class Figures:
    """What the matters say about one advisor in one year."""

    handled: int = 0
    on_time: int = 0
    recommendations: int = 0
    adopted: float = 0.0

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.handled, 4) if self.handled else None

    @property
    def adoption_rate(self) -> float | None:
        return round(self.adopted / self.recommendations, 4) if self.recommendations else None


def figures(year: int) -> dict[int, Figures]:
    """{advisor id: Figures} from the matters answered in ``year``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    out: dict[int, Figures] = {}
    rows = db.session.execute(select(MatterAdvisor.advisor_id, LegalMatter).join(
        LegalMatter, LegalMatter.id == MatterAdvisor.matter_id).where(
        LegalMatter.answered_on >= start, LegalMatter.answered_on <= end)).all()
    matter_advisors: dict[int, list[int]] = {}
    for advisor_id, matter in rows:
        f = out.setdefault(advisor_id, Figures())
        f.handled += 1
        f.on_time += not matter.answered_late
        matter_advisors.setdefault(matter.id, []).append(advisor_id)
    if matter_advisors:
        recs = db.session.execute(select(Recommendation.matter_id, Recommendation.adoption).where(
            Recommendation.matter_id.in_(list(matter_advisors)),
            Recommendation.adoption != "pending"))
        for matter_id, adoption in recs:
            for advisor_id in matter_advisors[matter_id]:
                out[advisor_id].recommendations += 1
                out[advisor_id].adopted += {"adopted": 1, "partly_adopted": 0.5}.get(adoption, 0)
    return out


def suggestion(average: float | None, complaints: int, fig: Figures) -> str:
    """renew / warn / suspend (see the module docstring)."""
    if (average is not None and average < 0.6) or complaints >= 3:
        return "suspend"
    on_time = fig.on_time_rate
    if average is not None and average >= 0.8 and complaints == 0 and (
            on_time is None or on_time >= 0.8):
        return "renew"
    return "warn"


def review_rows(year: int) -> list[dict[str, Any]]:
    """One row per pool member who is an advisor: evaluations, figures, suggestion."""
    form = form_for(year)
    maximum = sum(float(i["max"]) for i in form.items) if form else 0.0
    evals: dict[int, list[AdvisorEvaluation]] = {}
    for row in db.session.execute(select(AdvisorEvaluation).where(
            AdvisorEvaluation.year == year)).scalars():
        evals.setdefault(row.advisor_id, []).append(row)
    figs = figures(year)
    entries = db.session.execute(select(TalentPoolEntry).where(
        TalentPoolEntry.advisor_id.is_not(None), TalentPoolEntry.status != "removed")
        .order_by(TalentPoolEntry.id)).scalars()
    rows = []
    for entry in entries:
        mine = evals.get(entry.advisor_id, [])
        average = (sum(float(e.total) for e in mine) / len(mine) / maximum) \
            if mine and maximum else None
        complaints = sum(e.complaints for e in mine)
        fig = figs.get(entry.advisor_id, Figures())
        rows.append({"entry": entry, "evaluations": mine, "average": average,
                     "complaints": complaints, "figures": fig,
                     "suggestion": suggestion(average, complaints, fig)})
    return rows


def decide(user: User, entry: TalentPoolEntry, data: DecisionInput,
           today: date | None = None) -> None:
    """The admin's decision on a pool member after the yearly review (audited)."""
    policy.require(user, "evaluation.decide")
    today = today or date.today()
    row = next((r for r in review_rows(data.year) if r["entry"].id == entry.id), None)
    if row is None:
        raise DomainError("not_found", status=404)
    if data.outcome == "suspend" and not data.reason:
        raise ValidationFailed({"reason": error_text("reason_required")})
    if data.outcome == "renew" and entry.status != "renewed":
        pool_services.change_status(entry, "renew", {"on_date": today.isoformat()})
    elif data.outcome == "suspend" and entry.status != "suspended":
        pool_services.change_status(entry, "suspend", {"on_date": today.isoformat(),
                                                       "reason": data.reason})
    entry.last_review_year = data.year
    entry.last_review_result = REVIEW_RESULT[data.outcome]
    fig = row["figures"]
    audit.record("pool_decision", object_type="talent_pool_entry", object_id=entry.id,
                 actor=user, detail={
                     "year": data.year, "outcome": data.outcome,
                     "outcome_label": label("pool_outcome", data.outcome),
                     "suggested": row["suggestion"], "reason": data.reason,
                     "average": row["average"], "complaints": row["complaints"],
                     "handled": fig.handled, "on_time_rate": fig.on_time_rate,
                     "adoption_rate": fig.adoption_rate, "status": entry.status})
