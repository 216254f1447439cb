"""Computed indicators (计算指标) of an agency for one quarter, from the data itself.

Document indicators count the agency's live documents whose ``issued_on`` falls
in the quarter. Each is declared once with the document conditions behind it
(``match``); the same declaration folds grouped counts, builds the SQL filter of
the evidence list and, when it can be expressed with the document list's own
filters, the link to ``/documents/``. So a number and the list behind it cannot
disagree.

Engagement indicators: an engagement is *in force all quarter* when it started on
or before the first day, ends on or after the last day and its status is one of
``IN_FORCE_STATUSES``. A filing is *due* in the quarter when ``filing_due_on`` falls
in it (drafts excluded; not yet counted while still pending and not overdue), and
*on time* when ``filed_on <= filing_due_on``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, true

from ..extensions import db
from ..messages import LABELS, label
from ..models import DOC_TYPES, MATTER_AREAS, MEETING_TYPES, SERVICE_TYPES, Document, Engagement
from . import matter_indicators
from .periods import quarter_bounds

ANY = "*"
IN_FORCE_STATUSES = ("signed", "filed", "active", "expired", "renewed")
Match = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Indicator:
    """One indicator: code, group, kind (count, sum, flag, ratio) and its document conditions."""

    code: str
    group: str
    kind: str = "count"
    match: Match | None = None
    name: str | None = None

    @property
    def label(self) -> str:
        """Chinese name shown on pages and in exports."""
        names = LABELS["indicator"]
        if self.name is not None:
            return names[_template(self.code)].format(name=self.name)
        return names[self.code]

    @property
    def list_filters(self) -> dict[str, str] | None:
        """Filters of the document list that select exactly these documents (None if none do)."""
        if self.match is None or any(value == ANY for _, value in self.match):
            return None
        return dict(self.match)


def _template(code: str) -> str:
    for prefix in ("matter_meetings_unreviewed", "meetings_reviewed", "meetings", "key_area",
                   "services", "documents"):
        if code.startswith(prefix + "_"):
            return prefix
    return code


def _registry() -> tuple[Indicator, ...]:
    items: list[Indicator] = [Indicator("services_total", "services",
                                        match=(("service_type", ANY),))]
    items += [Indicator(f"services_{t}", "services", match=(("service_type", t),),
                        name=label("service_type", t)) for t in SERVICE_TYPES]
    items.append(Indicator("documents_total", "documents", match=()))
    items += [Indicator(f"documents_{t}", "documents", match=(("doc_type", t),),
                        name=label("doc_type", t)) for t in DOC_TYPES]
    items.append(Indicator("recommendations", "recommendations", kind="sum", match=()))
    items += [Indicator("engagement_in_force", "engagements", kind="flag"),
              Indicator("contracts_due", "engagements"),
              Indicator("contracts_filed_on_time", "engagements"),
              Indicator("filing_on_time_rate", "engagements", kind="ratio")]
    items += [Indicator("decision_meetings", "meetings", match=(("meeting_type", ANY),)),
              Indicator("decision_meetings_reviewed", "meetings",
                        match=(("meeting_type", ANY), ("doc_type", "legality_review"))),
              Indicator("decision_review_rate", "meetings", kind="ratio")]
    for m in MEETING_TYPES:
        items += [Indicator(f"meetings_{m}", "meetings", match=(("meeting_type", m),),
                            name=label("meeting_type", m)),
                  Indicator(f"meetings_reviewed_{m}", "meetings",
                            match=(("meeting_type", m), ("doc_type", "legality_review")),
                            name=label("meeting_type", m))]
    items.append(Indicator("key_area_documents", "key_areas", match=(("matter_area", ANY),)))
    items += [Indicator(f"key_area_{a}", "key_areas", match=(("matter_area", a),),
                        name=label("matter_area", a)) for a in MATTER_AREAS]
    items += [Indicator(code, "matters", kind=kind,
                        name=label("meeting_type", meeting) if meeting else None)
              for code, kind, meeting in matter_indicators.codes()]
    return tuple(items)


INDICATORS: tuple[Indicator, ...] = _registry()
BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
GROUPS: tuple[str, ...] = ("services", "documents", "recommendations", "engagements",
                           "meetings", "key_areas", "matters")
ROW_COLUMNS = ("doc_type", "service_type", "matter_area", "meeting_type")


def _matches(row: dict[str, Any], match: Match) -> bool:
    return all(row[col] is not None if value == ANY else row[col] == value
               for col, value in match)


def document_condition(indicator: Indicator) -> ColumnElement[bool]:
    """SQL condition on ``Document`` selecting the documents behind a document indicator."""
    conditions = [getattr(Document, col).isnot(None) if value == ANY
                  else getattr(Document, col) == value for col, value in indicator.match or ()]
    return and_(true(), *conditions)


def quarter_documents(period: str) -> ColumnElement[bool]:
    """Live documents issued within the quarter, each file (and contract) counted once."""
    from ..documents.duplicates import counted

    start, end = quarter_bounds(period)
    return and_(Document.deleted_at.is_(None), Document.issued_on >= start,
                Document.issued_on <= end, counted())


def empty() -> dict[str, Any]:
    """The indicators of an agency with no documents and no engagements."""
    values: dict[str, Any] = {i.code: 0 for i in INDICATORS}
    values.update(engagement_in_force=False, filing_on_time_rate=None, decision_review_rate=None)
    values.update(matter_indicators.empty())
    return values


def _fold_documents(period: str, agency_ids: Iterable[int] | None,
                    out: dict[int, dict[str, Any]]) -> None:
    cols = [getattr(Document, c) for c in ROW_COLUMNS]
    stmt = (select(Document.agency_id, *cols, func.count(Document.id),
                   func.coalesce(func.sum(Document.recommendations), 0))
            .where(quarter_documents(period)).group_by(Document.agency_id, *cols))
    if agency_ids is not None:
        stmt = stmt.where(Document.agency_id.in_(list(agency_ids)))
    doc_indicators = [i for i in INDICATORS if i.match is not None]
    for agency_id, *values, count, recs in db.session.execute(stmt):
        row = dict(zip(ROW_COLUMNS, values, strict=True))
        target = out.setdefault(agency_id, empty())
        for ind in doc_indicators:
            if _matches(row, ind.match):
                target[ind.code] += int(recs) if ind.kind == "sum" else int(count)


def _fold_engagements(period: str, agency_ids: Iterable[int] | None,
                      out: dict[int, dict[str, Any]], today: date) -> None:
    start, end = quarter_bounds(period)
    scope = [] if agency_ids is None else [Engagement.agency_id.in_(list(agency_ids))]
    in_force = select(Engagement.agency_id).where(
        Engagement.status.in_(IN_FORCE_STATUSES), Engagement.start_date <= start,
        Engagement.end_date >= end, *scope).distinct()
    for (agency_id,) in db.session.execute(in_force):
        out.setdefault(agency_id, empty())["engagement_in_force"] = True
    due = select(Engagement.agency_id, Engagement.filing_due_on, Engagement.filed_on).where(
        Engagement.status != "draft", Engagement.filing_due_on >= start,
        Engagement.filing_due_on <= end, *scope)
    for agency_id, due_on, filed_on in db.session.execute(due):
        if filed_on is None and due_on >= today:
            continue
        target = out.setdefault(agency_id, empty())
        target["contracts_due"] += 1
        if filed_on is not None and filed_on <= due_on:
            target["contracts_filed_on_time"] += 1


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def compute(period: str, agency_ids: Iterable[int] | None = None,
            today: date | None = None) -> dict[int, dict[str, Any]]:
    """``{agency_id: {indicator code: value}}`` for the quarter (all agencies when None)."""
    ids = None if agency_ids is None else list(agency_ids)
    out: dict[int, dict[str, Any]] = {a: empty() for a in ids or ()}
    _fold_documents(period, ids, out)
    _fold_engagements(period, ids, out, today or date.today())
    matter_indicators.fold(period, ids, out, empty)
    for values in out.values():
        values["filing_on_time_rate"] = _ratio(values["contracts_filed_on_time"],
                                               values["contracts_due"])
        values["decision_review_rate"] = _ratio(values["decision_meetings_reviewed"],
                                                values["decision_meetings"])
    return out


def for_agency(agency_id: int, period: str) -> dict[str, Any]:
    """The indicators of one agency for one quarter."""
    return compute(period, [agency_id])[agency_id]


def engagement_evidence(agency_id: int, period: str) -> list[dict[str, Any]]:
    """The agency's engagements that touch the quarter, with what each counts for."""
    start, end = quarter_bounds(period)
    today = date.today()
    rows = db.session.execute(select(Engagement).where(
        Engagement.agency_id == agency_id, Engagement.status != "draft",
        ((Engagement.start_date <= end) & (Engagement.end_date >= start))
        | ((Engagement.filing_due_on >= start) & (Engagement.filing_due_on <= end)))
        .order_by(Engagement.start_date)).scalars().all()
    out = []
    for eng in rows:
        due = (eng.filing_due_on is not None and start <= eng.filing_due_on <= end
               and (eng.filed_on is not None or eng.filing_due_on < today))
        out.append({"engagement": eng,
                    "in_force_all_quarter": eng.status in IN_FORCE_STATUSES
                    and eng.start_date <= start and eng.end_date >= end,
                    "filing_due": due,
                    "on_time": due and eng.filed_on is not None
                    and eng.filed_on <= eng.filing_due_on})
    return out


def format_value(indicator: Indicator, value: Any) -> str:
    """Display text of an indicator value (是/否, percentages, counts)."""
    if indicator.kind == "flag":
        return "是" if value else "否"
    if indicator.kind == "ratio":
        return "—" if value is None else f"{value * 100:.1f}%"
    if indicator.kind == "number":
        return "—" if value is None else f"{value:g}"
    return str(value)
