"""API: quarterly assessment rankings and records (督察考评), scoped like the pages.

Reads follow ``webapp.assessments.reports`` (what a user may see); writes are the
admin's (``assessment.manage``) and answer 409 for a locked record or an
unfinished quarter, 422 for bad scores or an impossible period such as 2022Q5.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from ..assessments import indicators, present, reports, services
from ..assessments.criteria import criteria_of
from ..assessments.linking import parse_period
from ..errors import Forbidden
from ..models import AssessmentRecord
from ..policy import require
from ..schema_types import UtcDateTime
from ..validation import parse_json, parse_query
from . import bp
from .spec import api_route

WRITE_ERRORS = (400, 401, 403, 404, 409, 422)


class RankingQuery(BaseModel):
    """``period`` such as 2022Q1 (default: the newest quarter with records)."""

    model_config = ConfigDict(extra="forbid")
    period: str | None = Field(default=None, max_length=16)


class AgencyRef(BaseModel):
    """The assessed agency."""

    id: int
    code: str
    name: str


class ItemScore(BaseModel):
    """One scoring item and the score given."""

    code: str
    name: str
    max_points: float
    method: str
    score: float | None


class RecordSummary(BaseModel):
    """One agency's line in the ranking (``score`` is the total)."""

    id: int
    period: str
    agency: AgencyRef
    status: str
    score: float | None
    rank: int | None
    bottom_five: bool
    accountability_interview: bool
    items: list[ItemScore] | None = None
    indicators: dict[str, Any] | None = None


class RankingOut(BaseModel):
    """A quarter's ranking; ``provisional`` until published."""

    period: str
    published: bool
    provisional: bool
    criteria_version: int | None
    hidden: int
    items: list[RecordSummary]


class AmendmentOut(BaseModel):
    """A correction of a finalised record."""

    id: int
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    at: UtcDateTime


class RecordOut(RecordSummary):
    """A record with its amendments."""

    criteria_version: int | None
    finalised_at: UtcDateTime | None
    amendments: list[AmendmentOut]


class ScoresIn(BaseModel):
    """Scores by item code (null clears a hand-scored item of an open record)."""

    model_config = ConfigDict(extra="forbid")
    scores: dict[str, float | str | None]


class AmendmentIn(ScoresIn):
    """A correction: the changed scores and the reason."""

    reason: str = Field(max_length=2000)


def _summary(row: reports.Row, criteria) -> RecordSummary:
    rec = row.record
    items = None
    if criteria is not None:
        items = [ItemScore(code=i.code, name=i.name, max_points=float(i.max_points),
                           method=i.method, score=row.score(i.code)) for i in criteria.items]
    return RecordSummary(
        id=rec.id, period=rec.period, status=rec.status,
        agency=AgencyRef(id=rec.agency.id, code=rec.agency.code, name=rec.agency.name),
        score=None if rec.total is None else float(rec.total), rank=row.rank,
        bottom_five=row.bottom_five, accountability_interview=row.interview, items=items,
        indicators=row.indicators)


def _record_out(rec: AssessmentRecord) -> RecordOut:
    view = reports.build_ranking(rec.period, current_user, with_indicators=False)
    row = next((r for r in view.rows if r.record.id == rec.id), None)
    if row is None:
        raise Forbidden()
    if row.full:
        row.indicators = indicators.for_agency(rec.agency_id, rec.period)
    criteria = criteria_of(rec)
    summary = _summary(row, criteria)
    return RecordOut(**summary.model_dump(), criteria_version=criteria.version if criteria
                     else None, finalised_at=rec.finalised_at,
                     amendments=[AmendmentOut(id=a.id, reason=a.reason, before=a.before,
                                              after=a.after, at=a.at)
                                 for a in present.amendments(rec)])


def _ranking_out(period: str) -> RankingOut:
    view = reports.build_ranking(period, current_user, with_indicators=True)
    return RankingOut(period=period, published=view.published, provisional=view.provisional,
                      criteria_version=view.criteria.version if view.criteria else None,
                      hidden=view.hidden, items=[_summary(r, view.criteria) for r in view.rows])


@api_route(bp, "/assessments", summary="季度督察考评排名", query=RankingQuery,
           response=RankingOut, errors=(401, 403, 422))
def assessments_ranking():
    """The quarter's ranking as the caller may see it."""
    require(current_user, "assessment.ranking")
    args = parse_query(RankingQuery)
    period = args.period or reports.default_period()
    parse_period(period)
    return jsonify(_ranking_out(period).model_dump(mode="json"))


@api_route(bp, "/assessments/<int:record_id>", summary="一个单位的季度考评记录",
           response=RecordOut, errors=(401, 403, 404))
def assessment_record(record_id: int):
    """One record: scores, standing, indicators (when allowed) and amendments."""
    return jsonify(_record_out(services.get_record(record_id)).model_dump(mode="json"))


def _manage(record_id: int) -> AssessmentRecord:
    require(current_user, "assessment.manage")
    return services.get_record(record_id)


@api_route(bp, "/assessments/<int:record_id>/scores", "PUT", summary="保存考评得分（未定稿记录）",
           body=ScoresIn, response=RecordOut, errors=WRITE_ERRORS)
def assessment_scores(record_id: int):
    """Save hand-scored items; 409 when the record is finalised."""
    rec = _manage(record_id)
    body = parse_json(ScoresIn)
    services.save_scores(rec, body.scores, current_user)
    return jsonify(_record_out(rec).model_dump(mode="json"))


@api_route(bp, "/assessments/<int:record_id>/finalise", "POST", summary="考评记录定稿",
           response=RecordOut, errors=WRITE_ERRORS)
def assessment_finalise(record_id: int):
    """Finalise and lock; 422 naming the items still without a score."""
    rec = _manage(record_id)
    services.finalise(rec, current_user)
    return jsonify(_record_out(rec).model_dump(mode="json"))


@api_route(bp, "/assessments/<int:record_id>/amendments", "POST", summary="更正已定稿的考评记录",
           body=AmendmentIn, response=RecordOut, status=201, errors=WRITE_ERRORS)
def assessment_amend(record_id: int):
    """Correct a finalised record with a reason (audited)."""
    rec = _manage(record_id)
    body = parse_json(AmendmentIn)
    services.amend(rec, body.scores, body.reason, current_user)
    return jsonify(_record_out(rec).model_dump(mode="json")), 201


@api_route(bp, "/assessments/periods/<period>/publish", "POST", summary="公布季度排名",
           response=RankingOut, errors=WRITE_ERRORS)
def assessment_publish(period: str):
    """Publish a fully finalised quarter; 409 while records are missing or open."""
    require(current_user, "assessment.manage")
    parse_period(period)
    services.publish(period, current_user)
    return jsonify(_ranking_out(period).model_dump(mode="json"))
