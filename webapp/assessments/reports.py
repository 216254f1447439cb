"""What a user may read of the assessments: the quarterly ranking and the annual roll-up.

Visibility (the page, the Excel file and the API give the same answer):

- admin, auditor and the agency's own clerk see a record in full: item scores,
  total, standing and the computed indicators behind it;
- who else sees a record's scores and standing (and so its place in the bottom five
  and the 约谈问责 list) is the policy rule ``assessment.results``: another agency's
  clerk once the quarter is published (or before, if ``GOVCOUNSEL_PUBLISH_SCORES``);
  an advisor only for the agencies that engaged them during the quarter (need-to-know,
  #15); they never see its indicators (counts of documents they may not open).

Before publication the standing shown is provisional: ranked live from the totals
entered so far, and marked 暂定.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Agency, AssessmentCriteria, AssessmentRecord, User
from ..policy import can
from . import indicators, ranking
from .criteria import criteria_for, criteria_of
from .periods import current_period, previous_period, year_periods
from .queries import is_published, period_records


def full_access(user: User, record: AssessmentRecord) -> bool:
    """Item scores, indicators and evidence of the record (policy ``assessment.view``)."""
    return can(user, "assessment.view", record.agency_id)


def scores_visible(user: User, record: AssessmentRecord) -> bool:
    """Scores and standing of the record (see the module docstring)."""
    return full_access(user, record) or can(user, "assessment.results", record)


@dataclass
class Row:
    """One agency's line in the ranking."""

    record: AssessmentRecord
    rank: int | None
    bottom_five: bool
    interview: bool
    full: bool
    indicators: dict[str, Any] | None = None

    @property
    def agency(self) -> Agency:
        return self.record.agency

    @property
    def total(self) -> Decimal | None:
        return self.record.total

    def score(self, code: str) -> float | None:
        """The score of one item (None when not yet scored)."""
        return (self.record.scores or {}).get(code)


@dataclass
class Ranking:
    """A quarter's ranking as ``user`` may see it."""

    period: str
    published: bool
    criteria: AssessmentCriteria | None
    rows: list[Row] = field(default_factory=list)
    hidden: int = 0
    records: int = 0
    finalised: int = 0

    @property
    def provisional(self) -> bool:
        return not self.published

    @property
    def bottom(self) -> list[Row]:
        return [r for r in self.rows if r.bottom_five]

    @property
    def interviews(self) -> list[Row]:
        return [r for r in self.rows if r.interview]


def _live_standing(records: list[AssessmentRecord], period: str) -> dict[int, tuple]:
    totals = {r.id: r.total for r in records if r.total is not None}
    ranks, bottom = ranking.competition_ranks(totals), ranking.bottom_five(totals)
    before = set(db.session.execute(select(AssessmentRecord.agency_id).where(
        AssessmentRecord.period == previous_period(period),
        AssessmentRecord.published.is_(True),
        AssessmentRecord.bottom_five.is_(True))).scalars())
    return {r.id: (ranks.get(r.id), r.id in bottom, r.id in bottom and r.agency_id in before)
            for r in records}


def build_ranking(period: str, user: User, with_indicators: bool = False) -> Ranking:
    """The quarter's rows ``user`` may see, best first (unranked last, by agency code)."""
    records = period_records(period)
    published = is_published(period)
    criteria = (criteria_of(records[0]) if records else None) or criteria_for(period)
    view = Ranking(period=period, published=published, criteria=criteria,
                   records=len(records),
                   finalised=sum(1 for r in records if r.status == "finalised"))
    live = None if published else _live_standing(records, period)
    for record in records:
        if not scores_visible(user, record):
            view.hidden += 1
            continue
        rank, bottom, interview = ((record.rank, record.bottom_five,
                                    record.accountability_interview)
                                   if live is None else live[record.id])
        view.rows.append(Row(record=record, rank=rank, bottom_five=bottom, interview=interview,
                             full=full_access(user, record)))
    if with_indicators:
        ids = [r.record.agency_id for r in view.rows if r.full]
        values = indicators.compute(period, ids) if ids else {}
        for row in view.rows:
            row.indicators = values.get(row.record.agency_id) if row.full else None
    view.rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.agency.code))
    return view


def known_periods() -> list[str]:
    """Quarters that have records, newest first."""
    return list(db.session.execute(select(AssessmentRecord.period).distinct().order_by(
        AssessmentRecord.period.desc())).scalars())


def default_period() -> str:
    """The quarter shown when none is asked for: the newest published ranking, else the
    newest quarter with records, else the current quarter."""
    periods = known_periods()
    return latest_published_period() or (periods[0] if periods else current_period())


def latest_published_period() -> str | None:
    """The newest quarter with a published ranking."""
    return db.session.execute(select(AssessmentRecord.period).where(
        AssessmentRecord.published.is_(True)).order_by(AssessmentRecord.period.desc())
        .limit(1)).scalar_one_or_none()


@dataclass
class AnnualRow:
    """One agency's year: the published quarters, average, rank and consequences."""

    agency: Agency
    quarters: list[Decimal | None]
    average: Decimal | None
    rank: int | None = None
    bottom_five_times: int = 0
    interviews: int = 0


def annual(year: int, user: User) -> tuple[list[AnnualRow], list[str]]:
    """The annual roll-up over the *published* quarters of ``year`` and which those are,
    as ``user`` may see it.

    The annual score is the average of the agency's published quarterly totals;
    agencies are ranked on it with the same competition ranking as the quarters. A row
    is shown when ``user`` may see one of its quarters (``scores_visible``), with the
    quarters they may not see left blank (an advisor engaged for part of the year).
    """
    periods = year_periods(year)
    records = db.session.execute(select(AssessmentRecord).where(
        AssessmentRecord.year == year, AssessmentRecord.published.is_(True),
        AssessmentRecord.total.isnot(None))).scalars().all()
    published = sorted({r.period for r in records})
    quarters: dict[int, list[Decimal | None]] = {}
    for r in records:
        quarters.setdefault(r.agency_id, [None] * 4)[periods.index(r.period)] = r.total
    averages = {agency_id: (sum((q for q in qs if q is not None), Decimal(0))
                            / sum(q is not None for q in qs)).quantize(Decimal("0.01"))
                for agency_id, qs in quarters.items()}
    ranks = ranking.competition_ranks(averages)
    by_agency: dict[int, AnnualRow] = {}
    complete: dict[int, bool] = {}
    for r in records:
        if not scores_visible(user, r):
            complete[r.agency_id] = False
            continue
        row = by_agency.setdefault(r.agency_id, AnnualRow(r.agency, [None] * 4, None))
        row.quarters[periods.index(r.period)] = r.total
        row.bottom_five_times += int(r.bottom_five)
        row.interviews += int(r.accountability_interview)
    for agency_id, row in by_agency.items():
        if complete.get(agency_id, True):  # the year's standing only with every quarter
            row.average, row.rank = averages[agency_id], ranks[agency_id]
    rows = sorted(by_agency.values(), key=lambda r: (r.rank is None, r.rank or 0, r.agency.code))
    return rows, published
