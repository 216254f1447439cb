"""The record page: item lines, indicators with the link behind each number, evidence.

Every indicator links to the documents behind it: to the document list
(``/documents/`` with agency, quarter and type filters) when its filters can say
exactly which documents count, otherwise to this record's evidence list filtered by
the indicator (same SQL condition as the count), and engagement indicators to the
engagement table on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy import Select, and_, or_, select

from ..errors import ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import (
    AssessmentAmendment,
    AssessmentCriteria,
    AssessmentItem,
    AssessmentRecord,
    Document,
    User,
)
from ..policy import document_scope
from ..ui import has_endpoint
from . import indicators
from .criteria import computed_points
from .indicators import BY_CODE, GROUPS, INDICATORS, Indicator
from .periods import quarter_bounds

RATIO_EVIDENCE = {"decision_review_rate": "decision_meetings"}


@dataclass
class ItemLine:
    """One scoring item on the record page."""

    item: AssessmentItem
    score: float | None
    indicator: Indicator | None = None
    value_text: str = ""
    link: str | None = None
    live_points: float | None = None

    @property
    def stale(self) -> bool:
        """A frozen computed score that today's data would score differently."""
        return (self.live_points is not None and self.score is not None
                and self.live_points != self.score)


@dataclass
class IndicatorLine:
    """One indicator with its value and the link to the documents behind it."""

    indicator: Indicator
    value: Any
    text: str
    link: str | None


def indicator_link(record: AssessmentRecord, ind: Indicator) -> str | None:
    """Where the documents (or engagements) behind ``ind`` for this record are listed."""
    if ind.group == "engagements":
        return url_for("assessments.record", record_id=record.id, _anchor="engagements")
    if ind.code in RATIO_EVIDENCE:
        ind = BY_CODE[RATIO_EVIDENCE[ind.code]]
    filters = ind.list_filters
    if filters is not None and has_endpoint("documents.index"):
        start, end = quarter_bounds(record.period)
        return url_for("documents.index", agency_id=record.agency_id,
                       date_from=start.isoformat(), date_to=end.isoformat(), **filters)
    if ind.match is not None:
        return url_for("assessments.record", record_id=record.id, evidence=ind.code,
                       _anchor="evidence")
    return None


def indicator_groups(record: AssessmentRecord,
                     values: dict[str, Any]) -> list[tuple[str, list[IndicatorLine]]]:
    """Indicators grouped for display, each with value text and link."""
    groups = []
    for group in GROUPS:
        lines = [IndicatorLine(ind, values[ind.code], indicators.format_value(ind,
                                                                                values[ind.code]),
                               indicator_link(record, ind))
                 for ind in INDICATORS if ind.group == group]
        groups.append((group, lines))
    return groups


def item_lines(record: AssessmentRecord, criteria: AssessmentCriteria | None,
               values: dict[str, Any] | None) -> list[ItemLine]:
    """The items of the record's criteria with scores and, for computed ones, the data
    behind them (only when ``values``, the record's indicators, may be shown)."""
    if criteria is None:
        return []
    scores = record.scores or {}
    lines = []
    for item in criteria.items:
        line = ItemLine(item=item, score=scores.get(item.code))
        if values is not None and item.method == "computed" and item.indicator in BY_CODE:
            ind = BY_CODE[item.indicator]
            line.indicator = ind
            line.value_text = indicators.format_value(ind, values[ind.code])
            line.link = indicator_link(record, ind)
            line.live_points = float(computed_points(item, values[ind.code]))
        lines.append(line)
    return lines


def evidence_statement(record: AssessmentRecord, user: User,
                       indicator_code: str | None = None) -> Select:
    """Documents linked to the record by agency and quarter (or by the record link),
    or exactly those behind one document indicator; limited to what ``user`` may see."""
    stmt = select(Document).where(document_scope(user))
    if indicator_code:
        ind = BY_CODE.get(indicator_code)
        if ind is None or ind.match is None:
            raise ValidationFailed({"evidence": error_text("invalid_choice")})
        stmt = stmt.where(Document.agency_id == record.agency_id,
                          indicators.quarter_documents(record.period),
                          indicators.document_condition(ind))
    else:
        start, end = quarter_bounds(record.period)
        stmt = stmt.where(or_(
            Document.assessment_record_id == record.id,
            and_(Document.agency_id == record.agency_id, Document.issued_on >= start,
                 Document.issued_on <= end)))
    return stmt.order_by(Document.issued_on.desc(), Document.id.desc())


def amendments(record: AssessmentRecord) -> list[AssessmentAmendment]:
    """The record's corrections, newest first."""
    return list(db.session.execute(select(AssessmentAmendment).where(
        AssessmentAmendment.record_id == record.id).order_by(
        AssessmentAmendment.at.desc())).scalars())
