"""The advisor select of the document forms: the chosen agency's engaged advisors first.

#15, UI finding 8: a clerk choosing the 法律顾问 of a document looked through every
advisor of the register. The upload and edit forms list first, under
``本单位在聘顾问``, the advisors the chosen agency engages today (the chief advisor
and the assigned lawyers of a contract in force on today's date in
``GOVCOUNSEL_TIMEZONE``), then every other advisor under ``其他顾问``. Each option
carries the ids of the agencies that engage it — only agencies the user may see —
so the page script re-groups when the agency changes. Which advisor may be chosen
is still decided by the document schemas (webapp/documents/schemas.py), not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..messages import LABELS
from ..models import Advisor, Engagement
from ..policy import IN_FORCE_STATUSES


@dataclass(frozen=True)
class AdvisorOption:
    """One option of the advisor select: id, name, the agencies engaging the advisor and
    its place in the full list (the page script keeps that order when it re-groups)."""

    id: int
    name: str
    engaged_by: tuple[int, ...]
    order: int = 0

    @property
    def engaged_attr(self) -> str:
        """The ``data-engaged-by`` value: agency ids separated by spaces."""
        return " ".join(str(i) for i in self.engaged_by)


def engaged_by_agency(agency_ids: Iterable[int], on: date | None = None
                      ) -> dict[int, set[int]]:
    """Advisor id → the agencies (of ``agency_ids``) with a contract in force on ``on``
    naming the advisor as chief advisor or assigned lawyer."""
    ids = set(agency_ids)
    if not ids:
        return {}
    on = on or clock.today()
    rows = db.session.execute(select(Engagement.agency_id, Engagement.advisor_id,
                                     Engagement.params).where(
        Engagement.agency_id.in_(ids), Engagement.status.in_(IN_FORCE_STATUSES),
        Engagement.start_date <= on, Engagement.end_date >= on)).all()
    licences: dict[str, set[int]] = {}
    found: dict[int, set[int]] = {}
    for agency_id, advisor_id, params in rows:
        found.setdefault(advisor_id, set()).add(agency_id)
        for member in (params or {}).get("lawyers", []) or []:
            if member.get("licence_no"):
                licences.setdefault(member["licence_no"], set()).add(agency_id)
    if licences:
        for advisor_id, licence in db.session.execute(select(Advisor.id, Advisor.licence_no)
                                                      .where(Advisor.licence_no.in_(licences))):
            found.setdefault(advisor_id, set()).update(licences[licence])
    return found


def advisor_options(advisors: Iterable[Advisor], agency_ids: Iterable[int]
                    ) -> list[AdvisorOption]:
    """The options of the advisor select, each with the visible agencies engaging it."""
    engaged = engaged_by_agency(agency_ids)
    return [AdvisorOption(a.id, a.name, tuple(sorted(engaged.get(a.id, ()))), n)
            for n, a in enumerate(advisors)]


def grouped(options: list[AdvisorOption], agency_id: int | None
            ) -> list[tuple[str | None, list[AdvisorOption]]]:
    """The options under ``本单位在聘顾问`` and ``其他顾问`` for ``agency_id`` (one group
    without a label when no agency is chosen or the agency engages nobody)."""
    first = [o for o in options if agency_id is not None and agency_id in o.engaged_by]
    if not first:
        return [(None, options)]
    rest = [o for o in options if agency_id not in o.engaged_by]
    labels = LABELS["advisor_group"]
    return [(labels["engaged"], first), (labels["other"], rest)]
