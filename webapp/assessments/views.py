"""督察考评 pages: the quarterly ranking and the record page, with the admin's actions.

Each view parses the request, calls one service function and renders; the request
is one unit of work (``webapp.transaction``), rolled back on a refusal. Annual roll-up and criteria
pages live in ``views_reports``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import transaction
from ..errors import DomainError, Forbidden, ValidationFailed
from ..listing import page_args, paginate
from ..messages import notice
from ..policy import can, require
from ..statistics import charts
from . import indicators, present, reports, services
from .criteria import criteria_of
from .exports import ranking_workbook
from .linking import parse_period
from .periods import current_period, period_label, previous_period

bp = Blueprint("assessments", __name__, url_prefix="/assessments")


def _ranking_page(period: str, status: int = 200, error: DomainError | None = None):
    view = reports.build_ranking(period, current_user)
    periods = sorted(set(reports.known_periods()) | {current_period(), period}, reverse=True)
    return render_template("assessments/index.html", view=view, period=period,
                           periods=periods,
                           previous=previous_period(period), error=error,
                           manage=can(current_user, "assessment.manage"),
                           need_to_know=notice("ranking_need_to_know", count=view.hidden)
                           if view.hidden and (view.published or current_app.config[
                               "GOVCOUNSEL_PUBLISH_SCORES"]) else None,
                           ranking_chart=ranking_chart), status


def ranking_chart(rows: list[reports.Row]) -> dict[str, Any]:
    """Totals as horizontal bars, the bottom five in red."""
    return charts.bar([r.agency.name for r in rows], [r.total for r in rows], "总分",
                      horizontal=True, highlight=[r.bottom_five for r in rows],
                      aspect=max(0.6, min(2.5, 50 / max(1, len(rows)))))


@bp.route("/")
@login_required
def index():
    """The quarter's ranking, bottom five and interview list (or its Excel file)."""
    require(current_user, "assessment.ranking")
    period = request.args.get("period") or reports.default_period()
    parse_period(period)
    if request.args.get("format") == "xlsx":
        return ranking_workbook(reports.build_ranking(period, current_user))
    return _ranking_page(period)


def _period_action(period: str, action, message) -> Any:
    require(current_user, "assessment.manage")
    parse_period(period)
    try:
        result = action(period, current_user)
    except DomainError as exc:
        transaction.fail()
        return _ranking_page(period, exc.status, exc)
    flash(message(result), "success")
    return redirect(url_for(".index", period=period))


@bp.route("/periods/<period>/open", methods=["POST"])
@login_required
def open_period(period: str):
    """Create the quarter's records for every active agency."""
    return _period_action(period, services.open_period, lambda n: notice(
        "assessment_opened", period=period_label(period), count=n))


@bp.route("/periods/<period>/finalise", methods=["POST"])
@login_required
def finalise_period(period: str):
    """Finalise every complete record of the quarter."""
    return _period_action(period, services.finalise_all,
                          lambda r: notice("assessment_finalised_all", done=r[0], left=r[1]))


@bp.route("/periods/<period>/publish", methods=["POST"])
@login_required
def publish(period: str):
    """Publish the official ranking."""
    return _period_action(period, services.publish,
                          lambda _r: notice("assessment_published", period=period_label(period)))


def _record_page(record, status: int = 200, errors: dict[str, str] | None = None,
                 submitted: dict[str, str] | None = None, form: str | None = None):
    published = services.is_published(record.period)
    if not reports.scores_visible(current_user, record):
        raise Forbidden()
    full = reports.full_access(current_user, record)
    criteria = criteria_of(record)
    values = indicators.for_agency(record.agency_id, record.period) if full else None
    context: dict[str, Any] = {
        "record": record, "criteria": criteria, "full": full, "published": published,
        "errors": errors or {},
        "submitted": submitted or {}, "form": form,
        "manage": can(current_user, "assessment.manage"),
        "lines": present.item_lines(record, criteria, values),
        "amendments": present.amendments(record),
        "missing": services.missing_items(record, criteria) if criteria else [],
    }
    if full:
        evidence = request.args.get("evidence") or None
        page, per_page = page_args()
        context.update(
            groups=present.indicator_groups(record, values),
            engagements=indicators.engagement_evidence(record.agency_id, record.period),
            evidence=evidence,
            evidence_label=indicators.BY_CODE[evidence].label if evidence in
            indicators.BY_CODE else None,
            documents=paginate(present.evidence_statement(record, current_user, evidence),
                               page, per_page))
    return render_template("assessments/record.html", **context), status


@bp.route("/records/<int:record_id>")
@login_required
def record(record_id: int):
    """One agency's quarter: scores, indicators with their documents, amendments."""
    return _record_page(services.get_record(record_id))


def _scores_from_form() -> dict[str, str]:
    return {key.removeprefix("scores."): value for key, value in request.form.items()
            if key.startswith("scores.")}


def _record_action(record_id: int, form: str, action) -> Any:
    require(current_user, "assessment.manage")
    rec = services.get_record(record_id)
    submitted = request.form.to_dict()
    try:
        message = action(rec)
    except ValidationFailed as exc:
        transaction.fail()
        return _record_page(rec, 422, {**exc.fields, "_": exc.message}, submitted, form)
    except DomainError as exc:
        transaction.fail()
        return _record_page(rec, exc.status, {**exc.fields, "_": exc.message}, submitted, form)
    flash(message, "success")
    return redirect(url_for(".record", record_id=record_id))


@bp.route("/records/<int:record_id>/scores", methods=["POST"])
@login_required
def save_scores(record_id: int):
    """Save the hand-scored items of an open record."""
    def action(rec):
        services.save_scores(rec, _scores_from_form(), current_user)
        return notice("assessment_saved", name=rec.agency.name)
    return _record_action(record_id, "scores", action)


@bp.route("/records/<int:record_id>/finalise", methods=["POST"])
@login_required
def finalise(record_id: int):
    """Finalise and lock a complete record."""
    def action(rec):
        services.finalise(rec, current_user, _scores_from_form())
        return notice("assessment_finalised", name=rec.agency.name)
    return _record_action(record_id, "scores", action)


@bp.route("/records/<int:record_id>/amend", methods=["POST"])
@login_required
def amend(record_id: int):
    """Correct a finalised record, with a reason."""
    def action(rec):
        services.amend(rec, _scores_from_form(), request.form.get("reason", ""), current_user)
        return notice("assessment_amended", name=rec.agency.name)
    return _record_action(record_id, "amend", action)


from . import views_reports  # noqa: E402,F401  (registers the annual and criteria pages)
