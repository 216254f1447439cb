"""双向考核 pages: the agency's evaluations of its advisors, the admin's form, and the
talent-pool review (年度审核) with the suggested outcome and the admin's decision."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import policy, transaction
from ..errors import DomainError, Forbidden, NotFound
from ..extensions import db
from ..messages import label, notice
from ..models import Advisor, AdvisorEvaluation, Agency, TalentPoolEntry
from ..validation import MAX_DB_INT, parse
from . import services
from .reminders import engaged_in_year
from .schemas import DecisionInput, EvaluationInput, FormInput

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")


def _year() -> int:
    raw = request.values.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else date.today().year


def _agency_id() -> int | None:
    if current_user.role == "clerk":
        return current_user.agency_id
    raw = request.values.get("agency_id", "")
    return int(raw) if raw.isdigit() and int(raw) <= MAX_DB_INT else None


def _page(year: int, agency_id: int | None, errors: dict[str, str]):
    pairs = sorted(engaged_in_year(year, agency_id)) if agency_id else []
    done = {e.advisor_id: e for e in db.session.execute(select(AdvisorEvaluation).where(
        AdvisorEvaluation.year == year, AdvisorEvaluation.agency_id == agency_id)).scalars()}
    agencies = db.session.execute(select(Agency).where(policy.agency_scope(current_user))
                                  .order_by(Agency.code)).scalars().all()
    return render_template("evaluations/index.html", year=year, agency_id=agency_id,
                           advisors=[db.session.get(Advisor, a) for _, a in pairs], done=done,
                           form=services.form_for(year), errors=errors, agencies=agencies), \
        422 if errors else 200


@bp.route("/")
@login_required
def index():
    """The agency's advisors of the year, evaluated or still to evaluate."""
    policy.require(current_user, "evaluation.view")
    return _page(_year(), _agency_id(), {})


@bp.route("/submit", methods=["POST"])
@login_required
def submit():
    """Submit the agency's evaluation of one advisor (clerk; the admin for an agency)."""
    policy.require(current_user, "evaluation.submit")
    year, agency_id = _year(), _agency_id()
    form = services.form_for(year)
    raw = {"year": year, "advisor_id": request.form.get("advisor_id") or 0,
           "complaints": request.form.get("complaints") or 0,
           "comment": request.form.get("comment") or None,
           "scores": {i["code"]: request.form.get(f"score_{i['code']}")
                      for i in (form.items if form else [])}}
    try:
        row = services.evaluate(current_user, agency_id or 0, parse(EvaluationInput, raw))
    except Forbidden:
        raise
    except DomainError as exc:
        transaction.fail()
        return _page(year, agency_id, exc.fields or {"_": exc.message})
    flash(notice("evaluation_saved", name=row.advisor.name, year=year), "success")
    return redirect(url_for(".index", year=year, agency_id=agency_id), 303)


@bp.route("/form", methods=["GET", "POST"])
@login_required
def form():
    """The evaluation form of a year: one item a line, ``代码|名称|满分`` (admin)."""
    policy.require(current_user, "evaluation.decide")
    year = _year()
    errors: dict[str, str] = {}
    if request.method == "POST":
        lines = [line.split("|") for line in request.form.get("items", "").splitlines()
                 if line.strip()]
        items = [{"code": p[0].strip(), "name": p[1].strip() if len(p) > 1 else "",
                  "max": p[2].strip() if len(p) > 2 else ""} for p in lines]
        try:
            services.save_form(current_user, parse(FormInput, {"year": year, "items": items}))
        except DomainError as exc:
            transaction.fail()
            errors = exc.fields or {"_": exc.message}
        else:
            flash(notice("evaluation_form_saved", year=year), "success")
            return redirect(url_for(".form", year=year), 303)
    current = services.form_for(year)
    text = request.form.get("items") if errors else "\n".join(
        f"{i['code']}|{i['name']}|{i['max']:g}" for i in (current.items if current else []))
    return render_template("evaluations/form.html", year=year, text=text or "",
                           errors=errors), 422 if errors else 200


@bp.route("/review")
@login_required
def review():
    """The talent-pool review of a year: evaluations, figures, suggested outcome."""
    policy.require(current_user, "evaluation.review")
    year = _year()
    return render_template("evaluations/review.html", year=year,
                           rows=services.review_rows(year), form=services.form_for(year))


@bp.route("/review/<int:entry_id>", methods=["POST"])
@login_required
def decide(entry_id: int):
    """The admin's decision on one pool member (audited)."""
    policy.require(current_user, "evaluation.decide")
    entry = db.session.get(TalentPoolEntry, entry_id)
    if entry is None:
        raise NotFound()
    year = _year()
    try:
        data = parse(DecisionInput, {"year": year, "outcome": request.form.get("outcome", ""),
                                     "reason": request.form.get("reason")})
        services.decide(current_user, entry, data)
    except DomainError as exc:
        transaction.fail()
        flash("；".join(exc.fields.values()) if exc.fields else exc.message, "danger")
    else:
        flash(notice("pool_decision_saved", name=entry.advisor.name if entry.advisor else "",
                     outcome=label("pool_outcome", data.outcome)), "success")
    return redirect(url_for(".review", year=year), 303)
