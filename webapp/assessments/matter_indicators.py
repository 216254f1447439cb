"""Matter indicators (法律事务) of an agency for a quarter — computed, never scored by hand.

- ``matters_requested``: matters requested in the quarter (withdrawn ones excluded);
- ``matters_answered`` / ``matters_answered_on_time`` / ``matters_on_time_rate``: opinions
  given in the quarter, and those given by the due date;
- ``matters_median_days``: the median response time of those answers, in working days
  from the request to the answer less the days paused while returned;
- ``matter_recommendations`` / ``matter_recommendations_adopted`` / ``matter_adoption_rate``:
  recommendations of matters answered in the quarter whose adoption is recorded; adopted
  counts 1, partly adopted ½ (criterion A5 of the 2026 criteria);
- ``matter_meetings`` / ``matter_meetings_reviewed`` / ``matter_meeting_review_rate`` and,
  per meeting type, ``matter_meetings_unreviewed_<type>``: meeting items requested in
  the quarter, and those with an answered legality review. An unreviewed meeting item
  is a deficiency (the gate of ``webapp.dashboard``).
"""

from __future__ import annotations

from collections.abc import Iterable
from statistics import median
from typing import Any

from sqlalchemy import and_, select

from ..extensions import db
from ..matters.workdays import Calendar
from ..models import MEETING_TYPES, LegalMatter, Recommendation
from .periods import quarter_bounds

ANSWERED = ("answered", "adoption_recorded", "closed")
RATIOS = ("matters_on_time_rate", "matter_adoption_rate", "matter_meeting_review_rate")


def codes() -> list[tuple[str, str, str | None]]:
    """(code, kind, meeting type or None) of every matter indicator, in display order."""
    items = [("matters_requested", "count", None), ("matters_answered", "count", None),
             ("matters_answered_on_time", "count", None),
             ("matters_on_time_rate", "ratio", None), ("matters_median_days", "number", None),
             ("matter_recommendations", "count", None),
             ("matter_recommendations_adopted", "number", None),
             ("matter_adoption_rate", "ratio", None), ("matter_meetings", "count", None),
             ("matter_meetings_reviewed", "count", None),
             ("matter_meeting_review_rate", "ratio", None)]
    items += [(f"matter_meetings_unreviewed_{m}", "count", m) for m in MEETING_TYPES]
    return items


def empty() -> dict[str, Any]:
    """Zero values (ratios and the median: None, "no cases")."""
    values: dict[str, Any] = {code: 0 for code, _, _ in codes()}
    values.update({code: None for code in (*RATIOS, "matters_median_days")})
    return values


def reviewed(matter: LegalMatter) -> bool:
    """A meeting item has its legality review once the opinion is given."""
    return matter.status in ANSWERED


def fold(period: str, agency_ids: Iterable[int] | None, out: dict[int, dict[str, Any]],
         new: Any) -> None:
    """Add the matter indicators of the quarter to ``out`` (``new()`` makes an entry)."""
    start, end = quarter_bounds(period)
    scope = [] if agency_ids is None else [LegalMatter.agency_id.in_(list(agency_ids))]
    rows = db.session.execute(select(LegalMatter).where(
        LegalMatter.status != "withdrawn", *scope,
        ((LegalMatter.requested_on >= start) & (LegalMatter.requested_on <= end))
        | ((LegalMatter.answered_on >= start) & (LegalMatter.answered_on <= end)))).scalars()
    calendar = Calendar.load()
    days: dict[int, list[int]] = {}
    answered_ids: dict[int, int] = {}
    for m in rows:
        values = out.setdefault(m.agency_id, new())
        if start <= m.requested_on <= end:
            values["matters_requested"] += 1
            if m.meeting_type:
                values["matter_meetings"] += 1
                if reviewed(m):
                    values["matter_meetings_reviewed"] += 1
                else:
                    values[f"matter_meetings_unreviewed_{m.meeting_type}"] += 1
        if m.answered_on is not None and start <= m.answered_on <= end:
            values["matters_answered"] += 1
            values["matters_answered_on_time"] += not m.answered_late
            days.setdefault(m.agency_id, []).append(
                max(0, calendar.between(m.requested_on, m.answered_on) - m.paused_days))
            answered_ids[m.id] = m.agency_id
    _fold_adoption(answered_ids, out)
    for agency_id, values in out.items():
        if agency_id in days:
            values["matters_median_days"] = float(median(days[agency_id]))
        values["matters_on_time_rate"] = _ratio(values["matters_answered_on_time"],
                                                values["matters_answered"])
        values["matter_adoption_rate"] = _ratio(values["matter_recommendations_adopted"],
                                                values["matter_recommendations"])
        values["matter_meeting_review_rate"] = _ratio(values["matter_meetings_reviewed"],
                                                      values["matter_meetings"])


def _fold_adoption(answered: dict[int, int], out: dict[int, dict[str, Any]]) -> None:
    if not answered:
        return
    rows = db.session.execute(select(Recommendation.matter_id, Recommendation.adoption).where(
        and_(Recommendation.matter_id.in_(list(answered)),
             Recommendation.adoption != "pending")))
    for matter_id, adoption in rows:
        values = out[answered[matter_id]]
        values["matter_recommendations"] += 1
        values["matter_recommendations_adopted"] += {"adopted": 1, "partly_adopted": 0.5}.get(
            adoption, 0)


def _ratio(part: float, whole: float) -> float | None:
    return None if not whole else round(part / whole, 4)
