"""Supplementary agreements (补充协议): change the fee, extend the term, add or replace lawyers.

Only a signed, filed or active engagement takes one. :func:`create` checks
everything before it writes — the state, at least one change, the dates against the
terms in force, the talent pool (an extension keeps the team only while every member
is still available, and reaches at most a year past the current end; added lawyers
come from the contract's firm and the pool; an admin may override with a reason) and
then every field of the supplement template — and only then takes the next number of
the ``supplement`` kind, renders the agreement and registers it as a ``contract``
document of the engagement. Signing (the scan) and filing follow as for a contract;
from signing on, the change is in force from its effective date (:mod:`.terms`).
Flush only: the caller's unit of work commits.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, BinaryIO

from sqlalchemy import select

from contract_templates import dump_values

from .. import policy
from ..audit import services as audit
from ..documents.intake import incoming
from ..errors import DomainError, NotFound, ValidationFailed
from ..extensions import db
from ..messages import error_text, label
from ..models import Advisor, Engagement, SupplementaryAgreement, User, utcnow
from . import contract_store, files, params, pool, services
from .parties import _lawyers, sample_number, take_number
from .schemas import FileInput
from .supplement_schemas import SupplementInput
from .terms import current_end, terms_on

BASE_STATES = ("signed", "filed", "active")
KIND = "supplement"


def get_visible(user: User, agreement_id: int) -> SupplementaryAgreement:
    """The agreement if ``user`` may view its engagement (404 / 403 otherwise)."""
    row = db.session.get(SupplementaryAgreement, agreement_id)
    if row is None:
        raise NotFound()
    policy.require(user, "engagement.view", row.engagement)
    return row


def _one_year_after(end: date) -> date:
    start = end + timedelta(days=1)
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:
        return date(start.year + 1, 2, 28)


def _check_dates(eng: Engagement, data: SupplementInput, errors: dict[str, str]) -> None:
    end = current_end(eng)
    if not eng.start_date <= data.effective_date <= end:
        errors["effective_date"] = error_text("supplement_effective_range",
                                              start=eng.start_date.isoformat(),
                                              end=end.isoformat())
    if data.extend_term and data.new_end_date is not None:
        if data.new_end_date <= end:
            errors["new_end_date"] = error_text("supplement_new_end", date=end.isoformat())
        elif data.new_end_date > _one_year_after(end):
            errors["new_end_date"] = error_text("supplement_extension_too_long",
                                                date=_one_year_after(end).isoformat())


def _lawyer_change(eng: Engagement, data: SupplementInput, team: list[dict],
                   errors: dict[str, str]) -> tuple[dict | None, list[Advisor]]:
    if not data.change_lawyers:
        return None, []
    if eng.kind == "individual" or eng.firm is None:
        errors["change_lawyers"] = error_text("supplement_no_lawyers")
        return None, []
    names = {m.get("name") for m in team}
    for name in data.removed_lawyer_names:
        if name not in names:
            errors["removed_lawyer_names"] = error_text("supplement_remove_unknown", value=name)
    added = _lawyers([i for i in data.added_lawyer_ids], eng.firm, errors)
    if "lawyer_ids" in errors:
        errors["added_lawyer_ids"] = errors.pop("lawyer_ids")
    removed = data.removed_lawyer_names if data.lawyer_change_mode == "replace" else []
    return {"mode": data.lawyer_change_mode, "removed": removed,
            "added": [{"advisor_id": a.id, "name": a.name, "licence_no": a.licence_no}
                      for a in added]}, added


def _pool(user: User, eng: Engagement, data: SupplementInput, added: list[Advisor],
          team: list[dict], errors: dict[str, str]) -> dict | None:
    members = list(added)
    if data.extend_term:
        licences = [m.get("licence_no") for m in team if m.get("licence_no")]
        members += [a for a in db.session.execute(select(Advisor).where(
            Advisor.licence_no.in_(licences))).scalars() if a not in members]
        if eng.advisor is not None and eng.advisor not in members:
            members.append(eng.advisor)
    field = "new_end_date" if data.extend_term else "added_lawyer_ids"
    try:
        return pool.check(user, members, data.override_reason, field=field)
    except ValidationFailed as exc:
        errors.update(exc.fields)
        return None


def _values(eng: Engagement, data: SupplementInput, before: Any, change: dict | None
            ) -> dict[str, Any]:
    party = eng.firm.name if eng.firm else (eng.advisor.name if eng.advisor else "")
    values = {
        "agency_name": eng.agency.name,
        "agency_legal_rep": eng.params.get("agency_legal_rep") or eng.agency.legal_rep,
        "party_name": party, "base_contract_no": eng.contract_no,
        "base_signed_on": eng.signed_on, "base_start_date": eng.start_date,
        "base_end_date": before.end_date, "effective_date": data.effective_date,
        "change_fee": data.change_fee, "extend_term": data.extend_term,
        "change_lawyers": data.change_lawyers, "copies": data.copies,
        "signed_place": data.signed_place,
    }
    if data.change_fee:
        values.update(old_annual_fee=before.annual_fee, new_annual_fee=data.new_annual_fee)
    if data.extend_term:
        values["new_end_date"] = data.new_end_date
    if change:
        values.update(lawyer_change_mode=change["mode"],
                      removed_lawyer_names="、".join(change["removed"]) or None,
                      added_lawyers=[{"name": a["name"], "licence_no": a["licence_no"]}
                                     for a in change["added"]])
    return {k: v for k, v in values.items() if v is not None}


def _check(user: User, eng: Engagement, data: SupplementInput, manifest
           ) -> tuple[dict, dict | None, dict | None]:
    if eng.status not in BASE_STATES:
        raise DomainError("supplement_base_state", error_text(
            "supplement_base_state", status=label("engagement_status", eng.status)), status=409)
    errors: dict[str, str] = {}
    if not (data.change_fee or data.extend_term or data.change_lawyers):
        raise ValidationFailed({"change_fee": error_text("supplement_no_change")})
    if eng.kind == "special" and (data.extend_term or data.change_lawyers):
        errors["extend_term" if data.extend_term else "change_lawyers"] = \
            error_text("supplement_kind")
    _check_dates(eng, data, errors)
    before = terms_on(eng, data.effective_date)
    change, added = _lawyer_change(eng, data, before.lawyers, errors)
    override = _pool(user, eng, data, added, before.lawyers, errors) if not errors else None
    values = _values(eng, data, before, change)
    clean, problems = params.validate(manifest, {"contract_no": sample_number(
        utcnow().year, KIND), **values})
    for key, message in problems.items():
        errors.setdefault(key.split("[")[0] if key.startswith("added_lawyers") else key,
                          message)
    if errors:
        raise ValidationFailed(errors)
    return clean, change, override


def create(user: User, eng: Engagement, data: SupplementInput, *,
           now: datetime | None = None) -> SupplementaryAgreement:
    """Check, number, render and register a draft supplementary agreement (flush only)."""
    policy.require(user, "engagement.manage", eng)
    now = now or utcnow()
    template = contract_store.load(contract_store.active_template(KIND))
    clean, change, override = _check(user, eng, data, template.manifest)
    seq, number = take_number(KIND, now.year)
    clean["contract_no"] = number
    docx = services.render_contract(template, clean, now)
    row = SupplementaryAgreement(
        engagement_id=eng.id, agreement_no=number, year=now.year, seq=seq,
        template_id=template.id, params=dump_values(template.manifest, clean), status="draft",
        effective_date=data.effective_date,
        new_annual_fee=data.new_annual_fee if data.change_fee else None,
        new_end_date=data.new_end_date if data.extend_term else None, lawyer_change=change,
        pool_override_reason=override["reason"] if override else None,
        created_by_id=user.id, created_at=now, updated_at=now)
    db.session.add(row)
    db.session.flush()
    received = files.receive_bytes(docx, f"补充协议{number}.docx")
    doc = files.register(user, received, agency=eng.agency, engagement_id=eng.id,
                         title=f"补充协议 {number}（{eng.contract_no}，{eng.agency.name}）",
                         advisor_id=eng.advisor_id, issued_on=now.date(),
                         is_demo=eng.is_demo)
    row.document_id = doc.id
    audit.record("supplement_created", object_type="engagement", object_id=eng.id,
                 actor=user, detail={"agreement_no": number, "supplement_id": row.id,
                                     "effective_date": data.effective_date,
                                     "new_annual_fee": str(row.new_annual_fee)
                                     if row.new_annual_fee is not None else None,
                                     "new_end_date": row.new_end_date,
                                     "lawyer_change": change, "document_id": doc.id,
                                     "sha256": doc.sha256, "pool_override": override})
    return row


def _state(row: SupplementaryAgreement, expected: str) -> None:
    if row.status != expected:
        raise DomainError("supplement_state", error_text(
            "supplement_state", status=label("supplement_status", row.status)), status=409)


def sign(user: User, row: SupplementaryAgreement, stream: BinaryIO | None,
         filename: str | None, signed_on: date | None, *, today: date | None = None) -> None:
    """Record the signed, sealed scan; the change is in force from its effective date."""
    eng = row.engagement
    policy.require(user, "engagement.manage", eng)
    _state(row, "draft")
    today = today or date.today()
    signed_on = signed_on or today
    if signed_on > today:
        raise ValidationFailed({"signed_on": error_text("date_in_future")})
    if stream is None or not filename:
        raise ValidationFailed({"file": error_text("signed_scan_required")})
    received = incoming().receive(stream, filename, kinds=("pdf", "docx"),
                                  refusal="signed_scan_type")
    doc = files.register(user, received, agency=eng.agency, engagement_id=eng.id,
                         title=f"补充协议（签订扫描件）{row.agreement_no}",
                         advisor_id=eng.advisor_id, issued_on=signed_on, is_demo=eng.is_demo)
    row.signed_document_id, row.signed_on, row.status = doc.id, signed_on, "signed"
    audit.record("supplement_signed", object_type="engagement", object_id=eng.id, actor=user,
                 detail={"agreement_no": row.agreement_no, "signed_on": signed_on,
                         "signed_document_id": doc.id, "sha256": received.sha256})


def file(user: User, row: SupplementaryAgreement, data: FileInput) -> None:
    """Record the bureau's filing of a signed agreement (admin)."""
    policy.require(user, "engagement.file", row.engagement)
    _state(row, "signed")
    if data.filed_on < row.signed_on:
        raise ValidationFailed({"filed_on": error_text(
            "date_before", other="签订日期", date=row.signed_on.isoformat())})
    row.filing_no, row.filed_on, row.status = data.filing_no, data.filed_on, "filed"
    audit.record("supplement_filed", object_type="engagement", object_id=row.engagement_id,
                 actor=user, detail={"agreement_no": row.agreement_no,
                                     "filing_no": data.filing_no, "filed_on": data.filed_on})
