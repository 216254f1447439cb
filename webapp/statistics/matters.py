"""Annual matter statistics: matters by kind and agency, response times, adoption rates
and the advisors' ranking — for the statistics page and its workbook.

A matter counts in the year it was requested (withdrawn ones excluded); answers,
response times (working days less the days paused) and adoption count in the year of
the answer. Each row links to the matter list with the same filters, which applies the
viewer's scope (classified matters stay where the policy puts them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from statistics import median

from sqlalchemy import select

from ..exports import Sheet
from ..extensions import db
from ..matters.workdays import Calendar
from ..messages import label
from ..models import MATTER_KINDS, Advisor, Agency, LegalMatter, MatterAdvisor, Recommendation

ADOPTION_WEIGHT = {"adopted": 1.0, "partly_adopted": 0.5, "not_adopted": 0.0}


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


@dataclass
class MatterLine:
    """One row: requested, answered (on time), response days, recommendations, adoption."""

    key: object
    label: str
    requested: int = 0
    answered: int = 0
    on_time: int = 0
    days: list[int] = field(default_factory=list)
    recommendations: int = 0
    adopted: float = 0.0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    @property
    def median_days(self) -> float | None:
        return float(median(self.days)) if self.days else None

    @property
    def adoption_rate(self) -> float | None:
        return self.adopted / self.recommendations if self.recommendations else None

    def cells(self) -> list[object]:
        """The row's cells for the workbook."""
        return [self.label, self.requested, self.answered, _percent(self.on_time_rate),
                self.median_days, self.recommendations, _percent(self.adoption_rate)]


@dataclass
class MatterStatistics:
    """The year's matters in three cuts, and the adoption totals."""

    year: int
    by_kind: dict[str, MatterLine]
    by_agency: dict[int, MatterLine]
    by_advisor: dict[int, MatterLine]
    adoption: dict[str, int]

    @property
    def total(self) -> MatterLine:
        """All matters of the year."""
        line = MatterLine("all", "合计")
        for part in self.by_kind.values():
            line.requested += part.requested
            line.answered += part.answered
            line.on_time += part.on_time
            line.days += part.days
            line.recommendations += part.recommendations
            line.adopted += part.adopted
        return line

    def advisor_ranking(self) -> list[MatterLine]:
        """Advisors by answers, then on-time rate, then adoption rate."""
        return sorted(self.by_advisor.values(), key=lambda a: (
            -a.answered, -(a.on_time_rate or 0), -(a.adoption_rate or 0), a.label))


def matter_statistics(year: int) -> MatterStatistics:
    """Count the year's matters (three cuts)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    stats = MatterStatistics(year, {k: MatterLine(k, label("matter_kind", k))
                                    for k in MATTER_KINDS}, {}, {}, dict.fromkeys(
                                        ("adopted", "partly_adopted", "not_adopted",
                                         "pending"), 0))
    names = dict(db.session.execute(select(Agency.id, Agency.name)).all())
    advisors = dict(db.session.execute(select(Advisor.id, Advisor.name)).all())
    assigned: dict[int, list[int]] = {}
    for matter_id, advisor_id in db.session.execute(select(MatterAdvisor.matter_id,
                                                           MatterAdvisor.advisor_id)):
        assigned.setdefault(matter_id, []).append(advisor_id)
    calendar = Calendar.load()
    matters = db.session.execute(select(LegalMatter).where(
        LegalMatter.status != "withdrawn",
        ((LegalMatter.requested_on >= start) & (LegalMatter.requested_on <= end))
        | ((LegalMatter.answered_on >= start) & (LegalMatter.answered_on <= end)))).scalars()
    answered: dict[int, list[MatterLine]] = {}
    for m in matters:
        lines = [stats.by_kind[m.kind],
                 stats.by_agency.setdefault(m.agency_id, MatterLine(m.agency_id,
                                                                    names[m.agency_id]))]
        lines += [stats.by_advisor.setdefault(a, MatterLine(a, advisors[a]))
                  for a in assigned.get(m.id, [])]
        for line in lines:
            line.requested += start <= m.requested_on <= end
        if m.answered_on is not None and start <= m.answered_on <= end:
            days = max(0, calendar.between(m.requested_on, m.answered_on) - m.paused_days)
            for line in lines:
                line.answered += 1
                line.on_time += not m.answered_late
                line.days.append(days)
            answered[m.id] = lines
    _fold_recommendations(stats, answered)
    return stats


def _fold_recommendations(stats: MatterStatistics, answered: dict[int, list[MatterLine]]) -> None:
    if not answered:
        return
    rows = db.session.execute(select(Recommendation.matter_id, Recommendation.adoption).where(
        Recommendation.matter_id.in_(list(answered))))
    for matter_id, adoption in rows:
        stats.adoption[adoption] += 1
        if adoption == "pending":
            continue
        for line in answered[matter_id]:
            line.recommendations += 1
            line.adopted += ADOPTION_WEIGHT[adoption]


HEADERS = ["", "提请件数", "出具意见件数", "按期答复率（%）", "答复用时中位数（工作日）",
           "已反馈的意见建议条数", "采纳率（%）"]


def matter_sheets(stats: MatterStatistics) -> list[Sheet]:
    """The workbook's matter sheets (same numbers as the page)."""
    y = stats.year
    note = ("采纳率：采纳计 1 条、部分采纳计半条；答复用时扣除退回补充材料期间的工作日。",)
    return [
        Sheet.report("法律事务按类型", f"{y}年法律事务（按事务类型）", ["事务类型", *HEADERS[1:]],
                     [*(line.cells() for line in stats.by_kind.values()),
                      stats.total.cells()], note),
        Sheet.report("法律事务按单位", f"{y}年法律事务（按单位）", ["单位", *HEADERS[1:]],
                     [line.cells() for line in sorted(stats.by_agency.values(),
                                                      key=lambda a: -a.requested)], note),
        Sheet.report("法律顾问排名", f"{y}年法律顾问承办法律事务排名",
                     ["名次", "法律顾问", *HEADERS[1:]],
                     [[n, *line.cells()] for n, line in enumerate(stats.advisor_ranking(), 1)],
                     note),
        Sheet.report("意见建议采纳", f"{y}年意见建议采纳情况", ["采纳情况", "条数"],
                     [[label("adoption", k), v] for k, v in stats.adoption.items()]),
    ]
