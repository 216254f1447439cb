"""The life of a contract: sign, file (备案), activate, renew, terminate, expire.

::

    draft ─sign─▶ signed ─file─▶ filed ─activate─▶ active ─(daily check)─▶ expired
      │             │              │  ╲──────────────┴──renew──▶ (a new linked draft)
      └─────────────┴──terminate───┴──────────────────▶ terminated

Renewing drafts the new contract and leaves the running one in force: the old
contract becomes ``renewed`` only when its renewal is signed (or filed), so an agency
never shows as without an advisor while its contract runs (#15, UI finding 3). One
renewal draft at a time; a terminated draft lets another be drafted.

Each transition checks the role (403) and the current state (409) before it
changes anything, and writes one audit event. Flush only: the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import select

from .. import clock, policy
from ..audit import services as audit
from ..documents.intake import incoming
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..messages import error_text, label
from ..models import Advisor, Agency, Engagement, LawFirm, User
from ..ui import date_cn
from . import contract_store, files, params, services, terms
from .schemas import FileInput, Refs, RenewInput, TerminateInput

SCAN_KINDS = ("pdf", "image", "ofd", "docx")  # a scan: image, PDF or OFD (.docx: legacy)


@dataclass(frozen=True)
class Transition:
    """From which states an action may start, where it leads, and who may do it."""

    sources: tuple[str, ...]
    target: str
    rule: str


TRANSITIONS: dict[str, Transition] = {
    "sign": Transition(("draft",), "signed", "engagement.manage"),
    "file": Transition(("signed",), "filed", "engagement.file"),
    "activate": Transition(("filed",), "active", "engagement.manage"),
    "renew": Transition(("filed", "active", "expired"), "renewed", "engagement.manage"),
    "terminate": Transition(("draft", "signed", "filed", "active"), "terminated",
                            "engagement.manage"),
}


def allowed_actions(user: User, eng: Engagement) -> list[str]:
    """The actions ``user`` may take on ``eng`` now (for buttons and the API)."""
    return [name for name, t in TRANSITIONS.items()
            if eng.status in t.sources and policy.can(user, t.rule, eng)
            and not (name == "renew" and renewal_in_progress(eng) is not None)
            and not (name == "renew" and eng.kind == "special")
            and not (name == "activate" and not in_term(eng))]


def in_term(eng: Engagement, today: date | None = None) -> bool:
    """True when today lies within the contract's term (it may be put into force)."""
    today = today or date.today()
    return eng.start_date <= today <= eng.end_date


def guard(user: User, eng: Engagement, action: str) -> Transition:
    transition = TRANSITIONS[action]
    policy.require(user, transition.rule, eng)
    if eng.status not in transition.sources:
        raise DomainError("engagement_bad_state", status=409,
                          state=label("engagement_status", eng.status),
                          action=label("engagement_action", action))
    if action == "renew" and (pending := renewal_in_progress(eng)) is not None:
        raise DomainError("renewal_in_progress", status=409, no=pending.contract_no)
    return transition


def renewal_in_progress(eng: Engagement) -> Engagement | None:
    """The renewal of ``eng`` drafted but not yet signed (nor terminated), if any."""
    return db.session.execute(select(Engagement).where(
        Engagement.renewed_from_id == eng.id,
        Engagement.status.notin_(("terminated", "renewed"))).limit(1)).scalars().first()


def _complete_renewal(user: User, new: Engagement) -> None:
    """The renewal ``new`` was signed or filed: its predecessor is now ``renewed``."""
    old = db.session.get(Engagement, new.renewed_from_id) if new.renewed_from_id else None
    if old is not None and old.status in TRANSITIONS["renew"].sources:
        _move(user, old, "renew", {"renewed_by_id": new.id,
                                   "new_contract_no": new.contract_no})


AUDIT_ACTIONS = {"sign": "engagement_signed", "file": "engagement_filed",
                 "activate": "engagement_activated", "renew": "engagement_renewed",
                 "terminate": "engagement_terminated", "expire": "engagement_expired"}


def _move(user: User | None, eng: Engagement, action: str, detail: dict,
          target: str | None = None) -> None:
    target = target or TRANSITIONS[action].target
    before, eng.status = eng.status, target
    audit.record(AUDIT_ACTIONS[action], object_type="engagement", object_id=eng.id,
                 actor=user, actor_name=None if user else "system",
                 detail={"contract_no": eng.contract_no, "from": before, "to": target,
                         **detail})


def _not_future(day: date, today: date, field: str) -> None:
    if day > today:
        raise ValidationFailed({field: error_text("date_in_future")})


def _not_before(day: date, earliest: date, field: str, what: str) -> None:
    if day < earliest:
        raise ValidationFailed({field: error_text("date_before", other=what,
                                                  date=date_cn(earliest))})


def sign(user: User, eng: Engagement, stream: BinaryIO | None, filename: str | None,
         signed_on: date | None, *, today: date | None = None) -> None:
    """Record the signing with the scan of the signed, sealed contract; terms freeze."""
    guard(user, eng, "sign")
    today = today or date.today()
    signed_on = signed_on or today
    _not_future(signed_on, today, "signed_on")
    _not_before(signed_on, clock.local(eng.created_at).date(), "signed_on", "合同生成日期")
    if stream is None or not filename:
        raise ValidationFailed({"file": error_text("signed_scan_required")})
    received = incoming().receive(stream, filename, kinds=SCAN_KINDS,
                                  refusal="signed_scan_type")
    agency = db.session.get(Agency, eng.agency_id)
    doc = files.register(user, received, agency=agency, engagement_id=eng.id,
                         title=f"法律顾问聘任合同（签订扫描件）{eng.contract_no}",
                         advisor_id=eng.advisor_id, issued_on=signed_on, is_demo=eng.is_demo)
    eng.signed_document_id, eng.signed_on = doc.id, signed_on
    eng.filing_due_on = signed_on + timedelta(days=current_app.config[
        "GOVCOUNSEL_FILING_DUE_DAYS"])
    _move(user, eng, "sign", {"signed_on": signed_on, "signed_document_id": doc.id,
                              "sha256": received.sha256, "filing_due_on": eng.filing_due_on})
    _complete_renewal(user, eng)


def file(user: User, eng: Engagement, data: FileInput, *, today: date | None = None) -> None:
    """Record the bureau's filing (备案): number and date."""
    guard(user, eng, "file")
    _not_future(data.filed_on, today or date.today(), "filed_on")
    _not_before(data.filed_on, eng.signed_on, "filed_on", "签订日期")
    taken = db.session.execute(select(Engagement.id).where(
        Engagement.filing_no == data.filing_no, Engagement.id != eng.id)).first()
    if taken:
        raise ValidationFailed({"filing_no": error_text("duplicate_filing_no",
                                                        value=data.filing_no)})
    eng.filing_no, eng.filed_on = data.filing_no, data.filed_on
    overdue = eng.filing_due_on is not None and data.filed_on > eng.filing_due_on
    _move(user, eng, "file", {"filing_no": data.filing_no, "filed_on": data.filed_on,
                              "late": overdue})
    _complete_renewal(user, eng)


def activate(user: User | None, eng: Engagement, *, today: date | None = None) -> None:
    """Put a filed contract into force once its term has begun."""
    today = today or date.today()
    if user is not None:
        guard(user, eng, "activate")
    if eng.start_date > today:
        raise DomainError("term_not_started", status=409, date=date_cn(eng.start_date))
    if eng.end_date < today:
        raise DomainError("term_ended", status=409, date=date_cn(eng.end_date))
    _move(user, eng, "activate", {"start_date": eng.start_date})


def terminate(user: User, eng: Engagement, data: TerminateInput, *,
              today: date | None = None) -> None:
    """End a contract early with a written reason."""
    guard(user, eng, "terminate")
    day = data.terminated_on or today or date.today()
    _not_future(day, today or date.today(), "terminated_on")
    _not_before(day, clock.local(eng.created_at).date(), "terminated_on", "合同生成日期")
    eng.terminated_on, eng.termination_reason = day, data.reason
    _move(user, eng, "terminate", {"terminated_on": day, "reason": data.reason})


def renew(user: User, eng: Engagement, data: RenewInput, *, now=None) -> Engagement:
    """Renew (or replace the advisor): a new linked draft for a term after the old one."""
    guard(user, eng, "renew")
    if eng.kind == "special":
        raise DomainError("renew_special", status=409)
    old = services.refs_of(eng)
    same_advisor = data.advisor_id in (None, eng.advisor_id)
    refs = Refs(agency_id=eng.agency_id, advisor_id=data.advisor_id or eng.advisor_id,
                firm_id=data.firm_id or (old.firm_id if same_advisor else None),
                lawyer_ids=data.lawyer_ids or (old.lawyer_ids if same_advisor else None),
                override_reason=data.override_reason)
    register = register_values(eng.agency, refs)
    terms = {**renewal_terms(eng, register), **data.terms()}
    start = _as_date(terms.get("start_date"))
    if start is not None and start <= eng.end_date:
        raise ValidationFailed({"start_date": error_text(
            "renew_overlap", date=date_cn(eng.end_date))})
    new = services.create(user, refs, terms, kind=eng.kind, now=now, renewed_from=eng,
                          is_demo=eng.is_demo)
    audit.record("engagement_renewal_drafted", object_type="engagement", object_id=eng.id,
                 actor=user, detail={"contract_no": eng.contract_no,
                                     "new_contract_no": new.contract_no,
                                     "advisor_id": new.advisor_id,
                                     "pool_override_reason": new.pool_override_reason})
    return new


def renewal_terms(eng: Engagement, parties_register: dict[str, Any]) -> dict[str, Any]:
    """The old contract's terms for a renewal: what a person chose, and the register
    fields (contacts, addresses) where the register itself is still blank."""
    manifest = contract_store.load(eng.template).manifest
    own = {spec.name for spec in params.user_fields(manifest)}
    terms = {k: v for k, v in eng.params.items() if k in own}
    for name in params.REGISTER_FIELDS:
        if parties_register.get(name) not in (None, ""):
            terms.pop(name, None)
    return terms


def register_values(agency: Agency, refs: Refs) -> dict[str, Any]:
    """What the registers hold for these parties (before any override)."""
    chief = db.session.get(Advisor, refs.advisor_id) if refs.advisor_id else None
    if chief is None:
        return {"agency_legal_rep": agency.legal_rep, "agency_address": agency.address,
                "agency_contact": agency.contact, "agency_phone": agency.phone}
    firm_id = refs.firm_id or chief.firm_id
    firm = db.session.get(LawFirm, firm_id) if firm_id else None
    return params.Parties(agency, chief, firm, []).register_values()


def _as_date(raw) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        return None


def check_expiry(today: date | None = None) -> dict[str, int]:
    """The daily check: filed contracts whose term began become active, contracts whose
    term ended become expired (flush only). Returns how many of each."""
    today = today or date.today()
    counts = {"activated": 0, "expired": 0}
    due = db.session.execute(select(Engagement).where(
        Engagement.status.in_(("filed", "active")))).scalars().all()
    for eng in due:
        if terms.current_end(eng) < today:
            _move(None, eng, "expire", {"end_date": eng.end_date}, target="expired")
            counts["expired"] += 1
        elif eng.status == "filed" and eng.start_date <= today:
            activate(None, eng, today=today)
            counts["activated"] += 1
    return counts
