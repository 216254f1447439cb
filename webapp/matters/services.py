"""Creating and reading legal matters: who may request what of whom, and the due date.

:func:`create` checks everything before it writes: the agency (a clerk requests for
their own agency), the advisors (engaged by the agency under a contract in force on
the request date, or an admin's override with a reason), the dates (a due date never
before the request; by default ``GOVCOUNSEL_MATTER_DUE_WORKING_DAYS`` working days
after it). Then it takes the matter number, registers the materials as documents and
writes one audit event — all in the caller's unit of work (flush only).
"""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import select

from .. import policy
from ..audit import services as audit
from ..documents import services as documents
from ..documents.intake import Received, incoming
from ..errors import Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import (
    Advisor,
    Agency,
    Document,
    Engagement,
    LegalMatter,
    MatterAdvisor,
    MatterDocument,
    User,
)
from ..notifications import events
from ..numbering import format_number, next_seq
from .schemas import MatterCreate
from .workdays import add_working_days

SEQUENCE = "matter"
SERVICE_TYPE = {"major_decision_review": "major_decision",
                "normative_document_review": "normative_document",
                "contract_review": "contract_review", "litigation": "litigation"}
Upload = tuple[BinaryIO, str]


def get_visible(user: User, matter_id: int) -> LegalMatter:
    """The matter if ``user`` may view it: 404 when absent, 403 when refused (audited)."""
    matter = db.session.get(LegalMatter, matter_id)
    if matter is None:
        raise NotFound()
    policy.require(user, "matter.view", matter)
    return matter


# A contract was in force on a past day if it was signed and its term covered the day;
# one that has since expired or been renewed still was (a terminated one until then).
WAS_IN_FORCE = (*policy.IN_FORCE_STATUSES, "expired", "renewed", "terminated")


def engaged_advisor_ids(agency_id: int, on: date) -> set[int]:
    """Advisors the agency engages under a contract in force on ``on``."""
    rows = db.session.execute(select(Engagement.advisor_id, Engagement.terminated_on).where(
        Engagement.agency_id == agency_id, Engagement.advisor_id.is_not(None),
        Engagement.status.in_(WAS_IN_FORCE), Engagement.signed_on.is_not(None)
        | Engagement.status.in_(policy.IN_FORCE_STATUSES),
        Engagement.start_date <= on, Engagement.end_date >= on))
    return {advisor for advisor, ended in rows if ended is None or ended > on}


def _agency(user: User, agency_id: int) -> Agency:
    agency = db.session.get(Agency, agency_id)
    if agency is None or not agency.active:
        raise ValidationFailed({"agency_id": error_text("unknown_agency", value=agency_id)})
    if not policy.can(user, "matter.for_agency", agency.id):
        raise Forbidden(error_text("not_own_agency"))
    return agency


def _advisors(user: User, agency: Agency, data: MatterCreate, on: date) -> list[Advisor]:
    engaged = engaged_advisor_ids(agency.id, on)
    chosen: list[Advisor] = []
    for advisor_id in dict.fromkeys(data.advisor_ids):
        advisor = db.session.get(Advisor, advisor_id)
        if advisor is None:
            raise ValidationFailed({"advisor_ids": error_text("unknown_advisor",
                                                              value=advisor_id)})
        if advisor_id not in engaged and not (
                data.override_reason and policy.can(user, "matter.override_assignment")):
            raise ValidationFailed({"advisor_ids": error_text(
                "matter_advisor_not_engaged", agency=agency.name, name=advisor.name)})
        chosen.append(advisor)
    return chosen


def _dates(data: MatterCreate, today: date) -> tuple[date, date]:
    requested = data.requested_on or today
    if requested > today:
        raise ValidationFailed({"requested_on": error_text("date_in_future")})
    due = data.due_on or add_working_days(
        requested, current_app.config["GOVCOUNSEL_MATTER_DUE_WORKING_DAYS"])
    if due < requested:
        raise ValidationFailed({"due_on": error_text("matter_due_before_request",
                                                     date=requested.isoformat())})
    return requested, due


def create(user: User, data: MatterCreate, uploads: list[Upload] = (), *,
           today: date | None = None, is_demo: bool = False) -> LegalMatter:
    """Check and register a new matter with its materials (flush only)."""
    policy.require(user, "matter.create")
    today = today or date.today()
    agency = _agency(user, data.agency_id)
    requested, due = _dates(data, today)
    advisors = _advisors(user, agency, data, requested)
    overridden = [a.id for a in advisors if a.id not in engaged_advisor_ids(agency.id,
                                                                             requested)]
    year = requested.year
    seq = next_seq(SEQUENCE, year)
    matter = LegalMatter(
        matter_no=format_number(current_app.config["GOVCOUNSEL_MATTER_PATTERN"], year, seq),
        year=year, seq=seq, agency_id=agency.id, kind=data.kind, title=data.title,
        description=data.description, meeting_type=data.meeting_type,
        matter_area=data.matter_area, classified=data.classified, status="submitted",
        requested_on=requested, due_on=due, paused_days=0, requested_by_id=user.id,
        override_reason=data.override_reason if overridden else None, is_demo=is_demo)
    matter.assignments = [MatterAdvisor(advisor_id=a.id) for a in advisors]
    db.session.add(matter)
    db.session.flush()
    for stream, filename in uploads:
        add_document(user, matter, stream, filename, "material", is_demo=is_demo)
    audit.record("matter_submitted", object_type="legal_matter", object_id=matter.id,
                 actor=user, detail={"matter_no": matter.matter_no, "kind": matter.kind,
                                     "agency_id": agency.id, "advisor_ids": matter.advisor_ids,
                                     "requested_on": requested, "due_on": due,
                                     "classified": matter.classified,
                                     "override_reason": matter.override_reason,
                                     "overridden_advisor_ids": overridden})
    events.matter_moved(matter, "create")
    return matter


def add_document(user: User, matter: LegalMatter, stream: BinaryIO | None,
                 filename: str | None, role: str, *, issued_on: date | None = None,
                 advisor_id: int | None = None, is_demo: bool = False,
                 received: Received | None = None) -> Document:
    """Register an uploaded file as a document of the matter's agency (a material, or the
    opinion) with the matter's attributes and classification; flush only. ``received``:
    a file this unit of work already checked and stored (the demo's shared opinions)."""
    received = received or incoming().receive(stream, filename)
    opinion = role == "opinion"
    doc_type = ("legality_review" if matter.kind in ("major_decision_review",
                                                     "normative_document_review")
                else "legal_opinion") if opinion else "other"
    title = (f"{matter.title}（法律意见）" if opinion else
             f"{matter.title}（材料：{received.filename}）")[:200]
    values: dict[str, Any] = {
        "doc_type": doc_type, "title": title, "classified": matter.classified,
        "issued_on": issued_on or matter.requested_on, "advisor_id": advisor_id,
        "matter_area": matter.matter_area, "meeting_type": matter.meeting_type,
        "service_type": SERVICE_TYPE.get(matter.kind) if opinion else None,
        "notes": f"法律事务 {matter.matter_no}"}
    doc = documents.register(user, received, matter.agency, values, is_demo=is_demo)
    matter.materials.append(MatterDocument(document_id=doc.id, role=role))
    db.session.flush()
    return doc
