"""The life of a legal matter::

    submitted ─accept─▶ accepted ─answer─▶ answered ─adopt─▶ adoption_recorded ─close─▶ closed
      │  ▲                 │                                  (adopt again to correct)
      │  └──resubmit── returned ◀─return─┘ (clock paused while returned)
      └────────────── withdraw (from submitted, accepted, returned) ──▶ withdrawn

Who may take each step, and from which states, is ``policy.MATTER_TRANSITIONS``;
each step checks role (403) and state (409) before it changes anything, writes one
audit event and tells the people concerned (``webapp.notifications.events``). Flush
only: the caller's unit of work commits.
"""

from __future__ import annotations

from datetime import date
from typing import BinaryIO

from .. import policy
from ..audit import services as audit
from ..documents.intake import Received
from ..errors import DomainError, Forbidden, ValidationFailed
from ..extensions import db
from ..messages import error_text, label
from ..models import LegalMatter, Recommendation, User
from ..notifications import events
from . import services
from .schemas import AdoptionInput, AnswerInput, ReasonInput
from .workdays import Calendar


def guard(user: User, matter: LegalMatter, action: str) -> str:
    """Refuse unless ``user`` may take ``action`` now; the target state."""
    sources, target, rule = policy.MATTER_TRANSITIONS[action]
    if not policy.can(user, rule, matter):
        message = error_text("matter_not_assigned") if rule == "matter.advise" else None
        raise Forbidden(message, action=f"matter.{action}", object_type="legal_matter",
                        object_id=matter.id)
    if matter.status not in sources:
        if action == "adopt":
            raise DomainError("matter_not_answered", status=409)
        raise DomainError("matter_bad_state", status=409,
                          state=label("matter_status", matter.status),
                          action=label("matter_action", action))
    return target


def _move(user: User, matter: LegalMatter, action: str, detail: dict) -> None:
    target = policy.MATTER_TRANSITIONS[action][1]
    before, matter.status = matter.status, target
    db.session.flush()
    audit.record(f"matter_{'adoption_recorded' if action == 'adopt' else _past(action)}",
                 object_type="legal_matter", object_id=matter.id, actor=user,
                 detail={"matter_no": matter.matter_no, "from": before, "to": target, **detail})
    events.matter_moved(matter, action)


def _past(action: str) -> str:
    return {"accept": "accepted", "return": "returned", "resubmit": "resubmitted",
            "answer": "answered", "close": "closed", "withdraw": "withdrawn"}[action]


def _today(today: date | None) -> date:
    return today or date.today()


def accept(user: User, matter: LegalMatter, *, today: date | None = None) -> None:
    """The advisor takes the matter on (已提交 → 已受理)."""
    guard(user, matter, "accept")
    matter.accepted_on = _today(today)
    _move(user, matter, "accept", {"accepted_on": matter.accepted_on})


def return_for_material(user: User, matter: LegalMatter, data: ReasonInput, *,
                        today: date | None = None) -> None:
    """The advisor asks for more material; the clock stops until it is resubmitted."""
    guard(user, matter, "return")
    matter.returned_on, matter.return_reason = _today(today), data.reason
    _move(user, matter, "return", {"returned_on": matter.returned_on, "reason": data.reason})


def resubmit(user: User, matter: LegalMatter, uploads: list[tuple[BinaryIO, str]] = (), *,
             today: date | None = None) -> None:
    """The clerk supplies the material; the due date moves by the working days paused."""
    guard(user, matter, "resubmit")
    day = _today(today)
    paused = Calendar.load().between(matter.returned_on or day, day)
    before = matter.due_on
    matter.due_on = Calendar.load().add(matter.due_on, paused)
    matter.paused_days += paused
    for stream, filename in uploads:
        services.add_document(user, matter, stream, filename, "material", is_demo=matter.is_demo)
    _move(user, matter, "resubmit", {"paused_working_days": paused, "due_before": before,
                                     "due_on": matter.due_on})
    matter.returned_on = None


def answer(user: User, matter: LegalMatter, stream: BinaryIO | None, filename: str | None,
           data: AnswerInput, *, today: date | None = None,
           received: Received | None = None) -> None:
    """The advisor's opinion: a registered document linked to the matter (→ 已出具意见).
    ``received``: an opinion file already checked and stored in this unit of work."""
    guard(user, matter, "answer")
    day = data.answered_on or _today(today)
    if day > _today(today):
        raise ValidationFailed({"answered_on": error_text("date_in_future")})
    if day < matter.requested_on:
        raise ValidationFailed({"answered_on": error_text(
            "date_before", other="提请日期", date=matter.requested_on.isoformat())})
    texts = [t.strip() for t in data.recommendations]
    for n, text in enumerate(texts, 1):
        if not text:
            raise ValidationFailed({"recommendations": error_text(
                "recommendation_text_required", n=n)})
    if received is None and (stream is None or not filename):
        raise ValidationFailed({"file": error_text("opinion_required")})
    advisor_id = user.advisor_id if user.advisor_id in matter.advisor_ids \
        else matter.advisor_ids[0]
    doc = services.add_document(user, matter, stream, filename, "opinion", issued_on=day,
                                advisor_id=advisor_id, is_demo=matter.is_demo,
                                received=received)
    matter.opinion_document_id, matter.answered_on = doc.id, day
    matter.answered_by_id = user.id
    _replace_recommendations(matter, [(t, "pending", None) for t in texts], None)
    doc.recommendations = len(texts)
    _move(user, matter, "answer", {"answered_on": day, "document_id": doc.id,
                                   "registration_no": doc.registration_no,
                                   "late": matter.answered_late,
                                   "recommendations": len(texts)})


def _replace_recommendations(matter: LegalMatter, rows: list[tuple[str, str, str | None]],
                             recorded_on: date | None) -> None:
    matter.recommendations.clear()
    db.session.flush()
    for position, (text, adoption, reason) in enumerate(rows, 1):
        matter.recommendations.append(Recommendation(
            position=position, text=text, adoption=adoption, reason=reason,
            recorded_on=recorded_on if adoption != "pending" else None))


def adopt(user: User, matter: LegalMatter, data: AdoptionInput, *,
          today: date | None = None) -> None:
    """The clerk records each recommendation and its adoption (a reason when not, or only
    partly, adopted); the opinion document's count follows the rows."""
    guard(user, matter, "adopt")
    if not data.recommendations:
        raise ValidationFailed({"recommendations": error_text("recommendations_required")})
    for n, item in enumerate(data.recommendations, 1):
        if not item.text:
            raise ValidationFailed({f"recommendations.{n - 1}.text": error_text(
                "recommendation_text_required", n=n)})
        if item.adoption == "pending":
            raise ValidationFailed({f"recommendations.{n - 1}.adoption": error_text(
                "recommendation_pending", n=n)})
        if item.adoption in ("not_adopted", "partly_adopted") and not item.reason:
            raise ValidationFailed({f"recommendations.{n - 1}.reason": error_text(
                "recommendation_reason_required", n=n,
                adoption=label("adoption", item.adoption))})
    day = _today(today)
    _replace_recommendations(matter, [(i.text, i.adoption, i.reason)
                                      for i in data.recommendations], day)
    matter.adoption_recorded_on = day
    if matter.opinion is not None:
        matter.opinion.recommendations = len(data.recommendations)
        services.documents.enqueue_index(matter.opinion)
    counts = {a: sum(1 for i in data.recommendations if i.adoption == a)
              for a in ("adopted", "partly_adopted", "not_adopted")}
    _move(user, matter, "adopt", {"recommendations": len(data.recommendations), **counts})


def close(user: User, matter: LegalMatter, *, today: date | None = None) -> None:
    """The clerk closes the matter once adoption is recorded (→ 已办结)."""
    guard(user, matter, "close")
    matter.closed_on = _today(today)
    _move(user, matter, "close", {"closed_on": matter.closed_on})


def withdraw(user: User, matter: LegalMatter, data: ReasonInput, *,
             today: date | None = None) -> None:
    """The agency withdraws its request before it is answered (→ 已撤回)."""
    guard(user, matter, "withdraw")
    matter.withdrawn_on, matter.withdraw_reason = _today(today), data.reason
    _move(user, matter, "withdraw", {"reason": data.reason})
