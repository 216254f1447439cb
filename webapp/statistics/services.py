"""Annual statistics (统计报表): what the city's advisors did in a year.

Counted from live documents whose ``issued_on`` falls in the year. A *service*
(法律服务) is a document with a ``service_type`` (major decision, normative
document, reconsideration/litigation, contract review, training); recommendations
(意见建议) are the sum of ``Document.recommendations``. Two grouped queries
cover everything, whatever the number of documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, select

from ..documents.duplicates import counted
from ..extensions import db
from ..messages import label
from ..models import (
    AGENCY_CATEGORIES,
    DOC_TYPES,
    MATTER_AREAS,
    MEETING_TYPES,
    SERVICE_TYPES,
    Advisor,
    Agency,
    Document,
)


@dataclass
class GroupLine:
    """Figures of one agency group (市委部委, 市政府部门, …)."""

    key: str
    label: str
    agencies: int = 0
    services: int = 0
    documents: int = 0
    recommendations: int = 0


@dataclass
class AdvisorLine:
    """Figures of one advisor (``advisor_id`` None: documents without an advisor)."""

    advisor_id: int | None
    name: str
    kind: str
    firm: str
    services: int = 0
    documents: int = 0
    recommendations: int = 0


@dataclass
class YearStatistics:
    """Everything on the statistics page, the Excel file and the API."""

    year: int
    services_total: int = 0
    documents_total: int = 0
    recommendations_total: int = 0
    by_service_type: dict[str, int] = field(default_factory=dict)
    by_doc_type: dict[str, tuple[int, int]] = field(default_factory=dict)
    by_matter_area: dict[str, int] = field(default_factory=dict)
    by_meeting_type: dict[str, int] = field(default_factory=dict)
    by_month: list[int] = field(default_factory=lambda: [0] * 12)
    groups: list[GroupLine] = field(default_factory=list)
    advisors: list[AdvisorLine] = field(default_factory=list)

    @property
    def headline(self) -> str:
        """``2021年，全市法律顾问共提供法律服务 1,403 件，其中……``."""
        parts = "、".join(f"{label('service_type', k)} {v:,} 件"
                         for k, v in self.by_service_type.items())
        return (f"{self.year}年，全市法律顾问共提供法律服务 {self.services_total:,} 件"
                f"{'，其中' + parts if self.services_total else ''}；"
                f"共登记文书 {self.documents_total:,} 份，提出意见建议 "
                f"{self.recommendations_total:,} 条。")


def _year_condition(year: int):
    return and_(Document.deleted_at.is_(None), Document.issued_on >= date(year, 1, 1),
                Document.issued_on <= date(year, 12, 31), counted())


def _fold_documents(stats: YearStatistics) -> None:
    month = func.extract("month", Document.issued_on)
    stmt = (select(Agency.category, Document.doc_type, Document.service_type,
                   Document.matter_area, Document.meeting_type, month, func.count(Document.id),
                   func.coalesce(func.sum(Document.recommendations), 0))
            .join(Agency, Agency.id == Document.agency_id)
            .where(_year_condition(stats.year))
            .group_by(Agency.category, Document.doc_type, Document.service_type,
                      Document.matter_area, Document.meeting_type, month))
    groups = {g.key: g for g in stats.groups}
    for category, doc_type, service, area, meeting, mon, count, recs in db.session.execute(stmt):
        count, recs = int(count), int(recs)
        stats.documents_total += count
        stats.recommendations_total += recs
        docs, rec_sum = stats.by_doc_type.get(doc_type, (0, 0))
        stats.by_doc_type[doc_type] = (docs + count, rec_sum + recs)
        group = groups.get(category)
        if group is not None:
            group.documents += count
            group.recommendations += recs
        if area:
            stats.by_matter_area[area] = stats.by_matter_area.get(area, 0) + count
        if meeting:
            stats.by_meeting_type[meeting] = stats.by_meeting_type.get(meeting, 0) + count
        if service:
            stats.services_total += count
            stats.by_service_type[service] = stats.by_service_type.get(service, 0) + count
            stats.by_month[int(mon) - 1] += count
            if group is not None:
                group.services += count


def _fold_advisors(stats: YearStatistics) -> None:
    services = func.sum(case((Document.service_type.isnot(None), 1), else_=0))
    stmt = (select(Document.advisor_id, services, func.count(Document.id),
                   func.coalesce(func.sum(Document.recommendations), 0))
            .where(_year_condition(stats.year)).group_by(Document.advisor_id))
    rows = db.session.execute(stmt).all()
    ids = [r[0] for r in rows if r[0] is not None]
    advisors = {a.id: a for a in db.session.execute(
        select(Advisor).where(Advisor.id.in_(ids))).scalars()} if ids else {}
    for advisor_id, n_services, n_docs, recs in rows:
        advisor = advisors.get(advisor_id)
        stats.advisors.append(AdvisorLine(
            advisor_id=advisor_id, name=advisor.name if advisor else "（未指定法律顾问）",
            kind=label("advisor_kind", advisor.kind) if advisor else "",
            firm=advisor.firm.name if advisor and advisor.firm else "",
            services=int(n_services or 0), documents=int(n_docs), recommendations=int(recs)))
    stats.advisors.sort(key=lambda a: (a.advisor_id is None, -a.services, -a.documents,
                                       a.name))


def year_statistics(year: int) -> YearStatistics:
    """The figures of ``year`` (every category and type listed, zeros included)."""
    stats = YearStatistics(year=year)
    stats.by_service_type = dict.fromkeys(SERVICE_TYPES, 0)
    stats.by_doc_type = dict.fromkeys(DOC_TYPES, (0, 0))
    stats.by_matter_area = dict.fromkeys(MATTER_AREAS, 0)
    stats.by_meeting_type = dict.fromkeys(MEETING_TYPES, 0)
    counts = dict(db.session.execute(select(Agency.category, func.count(Agency.id)).where(
        Agency.active.is_(True)).group_by(Agency.category)).all())
    stats.groups = [GroupLine(key=c, label=label("agency_category", c),
                              agencies=counts.get(c, 0)) for c in AGENCY_CATEGORIES]
    _fold_documents(stats)
    _fold_advisors(stats)
    return stats


def years_with_documents() -> list[int]:
    """Years that have documents with an issue date, newest first."""
    first, last = db.session.execute(select(func.min(Document.issued_on),
                                            func.max(Document.issued_on)).where(
        Document.deleted_at.is_(None))).one()
    if first is None:
        return [date.today().year]
    return list(range(last.year, first.year - 1, -1))
