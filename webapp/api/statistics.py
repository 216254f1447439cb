"""API: the annual statistics (统计报表), for admin and auditor."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from ..messages import label
from ..policy import require
from ..statistics.services import year_statistics, years_with_documents
from ..validation import parse_query
from . import bp
from .spec import api_route


class StatisticsQuery(BaseModel):
    """``year`` (default: the newest year with documents)."""

    model_config = ConfigDict(extra="forbid")
    year: int | None = Field(default=None, ge=2000, le=2100)


class Count(BaseModel):
    """A count under one vocabulary key."""

    key: str
    label: str
    count: int


class DocTypeLine(Count):
    """Documents of one type and their recommendations."""

    recommendations: int


class GroupOut(BaseModel):
    """One agency group."""

    key: str
    label: str
    agencies: int
    services: int
    documents: int
    recommendations: int


class AdvisorYearOut(BaseModel):
    """One advisor's year (``advisor_id`` null: documents without an advisor)."""

    advisor_id: int | None
    name: str
    kind: str
    firm: str
    services: int
    documents: int
    recommendations: int


class StatisticsOut(BaseModel):
    """The figures of a year, as on the statistics page."""

    year: int
    headline: str
    services_total: int
    documents_total: int
    recommendations_total: int
    by_service_type: list[Count]
    by_doc_type: list[DocTypeLine]
    by_matter_area: list[Count]
    by_meeting_type: list[Count]
    by_month: list[int]
    by_agency_group: list[GroupOut]
    by_advisor: list[AdvisorYearOut]


def _counts(group: str, values: dict[str, int]) -> list[Count]:
    return [Count(key=k, label=label(group, k), count=v) for k, v in values.items()]


@api_route(bp, "/statistics", summary="年度统计（法律服务、文书、意见建议）",
           query=StatisticsQuery, response=StatisticsOut, errors=(401, 403, 422))
def statistics_year():
    """The year's statistics (admin and auditor)."""
    require(current_user, "statistics.view")
    args = parse_query(StatisticsQuery)
    s = year_statistics(args.year or years_with_documents()[0])
    out = StatisticsOut(
        year=s.year, headline=s.headline, services_total=s.services_total,
        documents_total=s.documents_total, recommendations_total=s.recommendations_total,
        by_service_type=_counts("service_type", s.by_service_type),
        by_doc_type=[DocTypeLine(key=k, label=label("doc_type", k), count=d, recommendations=r)
                     for k, (d, r) in s.by_doc_type.items()],
        by_matter_area=_counts("matter_area", s.by_matter_area),
        by_meeting_type=_counts("meeting_type", s.by_meeting_type), by_month=s.by_month,
        by_agency_group=[GroupOut(**g.__dict__) for g in s.groups],
        by_advisor=[AdvisorYearOut(**a.__dict__) for a in s.advisors])
    return jsonify(out.model_dump(mode="json"))
