"""The life of a quarterly record: scores, finalising, amendments, publication (flush only).

- An admin enters the hand-scored items of an *open* record; computed items are
  recalculated from the data at every save and frozen when the record is finalised.
- Finalising needs every item scored and locks the record: later corrections are
  amendments with a reason, kept with before/after scores and audited.
- The official ranking of a quarter exists once the admin *publishes* it
  (``publication``); an amendment to a published quarter recalculates its standings.

``get_record``, ``period_records``, ``is_published``, ``publish`` and
``refresh_standings`` are re-exported so callers have one module to import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..audit.services import record as audit
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import (
    Agency,
    AssessmentAmendment,
    AssessmentCriteria,
    AssessmentRecord,
    User,
    utcnow,
)
from . import indicators
from .criteria import computed_points, criteria_for, criteria_of, parse_points
from .linking import parse_period
from .periods import period_label, quarter_bounds
from .publication import publish, refresh_standings
from .queries import get_record, is_published, period_records

__all__ = ["amend", "finalise", "finalise_all", "get_record", "is_published", "missing_items",
           "open_period", "period_records", "publish", "refresh_standings", "save_scores"]

Scores = dict[str, float]


def open_period(period: str, user: User, today: date | None = None) -> int:
    """Create the missing records of the quarter for every active agency; returns how many."""
    start, _end = quarter_bounds(period)
    if start > (today or date.today()):
        raise DomainError("period_future", status=409, period=period_label(period))
    have = set(db.session.execute(select(AssessmentRecord.agency_id).where(
        AssessmentRecord.period == period)).scalars())
    agencies = db.session.execute(select(Agency.id).where(Agency.active.is_(True))).scalars()
    missing = [a for a in agencies if a not in have]
    if missing:
        _insert_records(period, missing)
    audit("assessment_period_opened", object_type="assessment_period", object_id=period,
          actor=user, detail={"created": len(missing)})
    return len(missing)


def _insert_records(period: str, agency_ids: list[int]) -> None:
    """Open records for ``agency_ids`` in one statement (a concurrent insert is skipped)."""
    year, quarter = parse_period(period)
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(AssessmentRecord).values([
        {"agency_id": a, "period": period, "year": year, "quarter": quarter, "scores": {},
         "status": "open", "bottom_five": False, "accountability_interview": False,
         "published": False, "is_demo": False} for a in agency_ids]).on_conflict_do_nothing())


def _require_criteria(record: AssessmentRecord) -> AssessmentCriteria:
    criteria = criteria_of(record)
    if criteria is None:
        raise DomainError("no_criteria", status=409, period=period_label(record.period))
    return criteria


def _computed(record: AssessmentRecord, criteria: AssessmentCriteria,
              values: dict[str, Any] | None = None) -> Scores:
    items = [i for i in criteria.items if i.method == "computed"]
    if not items:
        return {}
    if values is None:
        values = indicators.for_agency(record.agency_id, record.period)
    return {i.code: float(computed_points(i, values[i.indicator])) for i in items}


def _validate(criteria: AssessmentCriteria, values: Mapping[str, Any], *,
              allow_computed: bool, allow_blank: bool) -> dict[str, float | None]:
    items = {i.code: i for i in criteria.items}
    errors: dict[str, str] = {}
    parsed: dict[str, float | None] = {}
    for code, raw in values.items():
        field = f"scores.{code}"
        item = items.get(code)
        if item is None:
            errors[field] = error_text("score_unknown_item", value=code)
        elif item.method == "computed" and not allow_computed:
            errors[field] = error_text("score_computed_item")
        elif raw is None or str(raw).strip() == "":
            if allow_blank:
                parsed[code] = None
            else:
                errors[field] = error_text("required")
        else:
            try:
                parsed[code] = float(parse_points(raw, Decimal(item.max_points)))
            except ValueError as exc:
                errors[field] = error_text(str(exc), max=item.max_points)
    if errors:
        raise ValidationFailed(errors)
    return parsed


def _total(scores: Scores) -> Decimal | None:
    if not scores:
        return None
    return sum((Decimal(str(v)) for v in scores.values()), Decimal(0)).quantize(Decimal("0.01"))


def missing_items(record: AssessmentRecord, criteria: AssessmentCriteria) -> list[str]:
    """Names of the hand-scored items still without a score."""
    scores = record.scores or {}
    return [i.name for i in criteria.items if i.method == "manual" and i.code not in scores]


def _merged(record: AssessmentRecord, criteria: AssessmentCriteria,
            values: Mapping[str, Any], data: dict[str, Any] | None = None) -> Scores:
    """The record's scores with ``values`` applied and the computed items recalculated
    (from ``data``, the record's indicators, when already known)."""
    parsed = _validate(criteria, values, allow_computed=False, allow_blank=True)
    codes = {i.code for i in criteria.items}
    scores = {k: v for k, v in (record.scores or {}).items() if k in codes}
    for code, value in parsed.items():
        if value is None:
            scores.pop(code, None)
        else:
            scores[code] = value
    scores.update(_computed(record, criteria, data))
    return scores


def save_scores(record: AssessmentRecord, values: Mapping[str, Any], user: User) -> None:
    """Update the hand-scored items of an open record and recalculate the computed ones."""
    if record.status == "finalised":
        raise DomainError("record_locked", status=409)
    criteria = _require_criteria(record)
    before = dict(record.scores or {})
    scores = _merged(record, criteria, values)
    record.scores, record.total, record.criteria_id = scores, _total(scores), criteria.id
    audit("assessment_scores_saved", object_type="assessment_record", object_id=record.id,
          actor=user, detail={"period": record.period, "agency": record.agency.code,
                              "before": before, "after": scores})


def finalise(record: AssessmentRecord, user: User,
             values: Mapping[str, Any] | None = None) -> None:
    """Freeze the computed items and lock a complete record (422 when items are missing).

    ``values`` (hand-scored items, as for ``save_scores``) are applied first when given.
    """
    if record.status == "finalised":
        raise DomainError("record_locked", status=409)
    criteria = _require_criteria(record)
    before = dict(record.scores or {})
    scores = _merged(record, criteria, values or {})
    record.scores = scores
    missing = missing_items(record, criteria)
    if missing:
        raise DomainError("record_incomplete", status=422, items="、".join(missing),
                          fields={f"scores.{i.code}": error_text("required")
                                  for i in criteria.items if i.name in missing})
    _lock(record, criteria, scores, user)
    audit("assessment_finalised", object_type="assessment_record", object_id=record.id,
          actor=user, detail={"period": record.period, "agency": record.agency.code,
                              "before": before, "scores": scores, "total": str(record.total),
                              "criteria_version": criteria.version})
    if is_published(record.period):
        record.published = True
        refresh_standings(record.period)


def _lock(record: AssessmentRecord, criteria: AssessmentCriteria, scores: Scores,
          user: User) -> None:
    record.scores, record.total, record.criteria_id = scores, _total(scores), criteria.id
    record.status, record.finalised_at, record.finalised_by_id = "finalised", utcnow(), user.id


def finalise_all(period: str, user: User,
                 values: Mapping[int, Mapping[str, Any]] | None = None) -> tuple[int, int]:
    """Finalise every complete open record of the quarter; (finalised, left incomplete).

    ``values`` maps record ids to hand-scored items applied first (a bulk entry).
    Indicators are computed once for the quarter; one audit event lists every
    record finalised with its scores.
    """
    values = values or {}
    data = indicators.compute(period)
    criteria = criteria_for(period)
    if criteria is None:
        raise DomainError("no_criteria", status=409, period=period_label(period))
    done: list[dict[str, Any]] = []
    left = 0
    for record in period_records(period):
        if record.status == "finalised":
            continue
        try:
            scores = _merged(record, criteria, values.get(record.id, {}),
                             data.get(record.agency_id) or indicators.empty())
        except ValidationFailed as exc:
            raise ValidationFailed({f"{record.agency.code}.{k}": v
                                    for k, v in exc.fields.items()}) from exc
        if any(i.method == "manual" and i.code not in scores for i in criteria.items):
            left += 1
            continue
        _lock(record, criteria, scores, user)
        done.append({"record": record.id, "agency": record.agency.code, "scores": scores,
                     "total": str(record.total), "criteria_version": criteria.version})
    if done:
        audit("assessment_finalised", object_type="assessment_period", object_id=period,
              actor=user, detail={"period": period, "records": done})
        if is_published(period):
            for record in period_records(period):
                record.published = True
            refresh_standings(period)
    return len(done), left


def amend(record: AssessmentRecord, values: Mapping[str, Any], reason: str,
          user: User) -> AssessmentAmendment:
    """Correct a finalised record with a reason; keeps before/after and audits it."""
    if record.status != "finalised":
        raise DomainError("record_not_finalised", status=409)
    reason = (reason or "").strip()
    criteria = _require_criteria(record)
    errors = {} if reason else {"reason": error_text("reason_required")}
    try:
        parsed = _validate(criteria, values, allow_computed=True, allow_blank=False)
    except ValidationFailed as exc:
        raise ValidationFailed({**errors, **exc.fields}) from exc
    if errors:
        raise ValidationFailed(errors)
    before = {"scores": dict(record.scores), "total": str(record.total)}
    scores = {**record.scores, **parsed}
    if scores == record.scores:
        raise ValidationFailed({"_": error_text("amendment_no_change")})
    record.scores, record.total = scores, _total(scores)
    after = {"scores": scores, "total": str(record.total)}
    amendment = AssessmentAmendment(record_id=record.id, reason=reason, before=before,
                                    after=after, by_id=user.id)
    db.session.add(amendment)
    audit("assessment_amended", object_type="assessment_record", object_id=record.id,
          actor=user, detail={"period": record.period, "agency": record.agency.code,
                              "reason": reason, "before": before, "after": after})
    if record.published:
        refresh_standings(record.period)
    return amendment
