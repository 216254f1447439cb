"""Generating engagement contracts: parties, terms, number, the .docx and its document.

:func:`create` checks everything before it writes: the parties (registers and
the talent pool), then every template field (Chinese message per field). Only
then does it take the next contract number of the year, render the contract and
register the .docx as a ``contract`` document, all in the caller's unit of work
(flush only; see ``webapp.transaction``). The engagement
keeps the template version and the exact parameters, so :func:`regenerate`
produces the same file again.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

import contract_templates
from contract_templates import dump_values, render

from .. import policy
from ..audit import services as audit
from ..errors import DomainError, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import Advisor, Agency, ContractTemplate, Engagement, LawFirm, User, utcnow
from ..numbering import format_number, next_seq
from . import contract_store, files, params, pool
from .schemas import Refs

SEQUENCE = "contract"


def get_visible(user: User, engagement_id: int) -> Engagement:
    """The engagement if ``user`` may view it: 404 when absent and when refused (the
    refusal audited by the error handler; this read writes nothing)."""
    eng = db.session.get(Engagement, engagement_id)
    if eng is None:
        raise NotFound()
    policy.require_visible(user, "engagement.view", eng)
    return eng


def _agency(user: User, agency_id: int, errors: dict[str, str]) -> Agency | None:
    agency = db.session.get(Agency, agency_id)
    if agency is None:
        errors["agency_id"] = error_text("unknown_agency", value=agency_id)
        return None
    if not policy.can(user, "engagement.for_agency", agency.id):
        raise Forbidden(error_text("not_own_agency"))
    if not agency.active:
        errors["agency_id"] = error_text("agency_inactive", value=agency.name)
    return agency


def _advisor(advisor_id: int, field: str, errors: dict[str, str]) -> Advisor | None:
    advisor = db.session.get(Advisor, advisor_id)
    if advisor is None:
        errors[field] = error_text("unknown_advisor", value=advisor_id)
    elif not advisor.active:
        errors[field] = error_text("advisor_inactive", value=advisor.name)
    return advisor


def _lawyers(ids: list[int], firm: LawFirm | None, errors: dict[str, str]) -> list[Advisor]:
    found = []
    for advisor_id in dict.fromkeys(ids):
        lawyer = _advisor(advisor_id, "lawyer_ids", errors)
        if lawyer is None:
            continue
        if lawyer.kind != "lawyer":
            errors["lawyer_ids"] = error_text("lawyer_not_lawyer", value=lawyer.name)
        elif firm is None or lawyer.firm_id != firm.id:
            errors["lawyer_ids"] = error_text("advisor_not_in_firm", value=lawyer.name)
        elif not lawyer.licence_no:
            errors["lawyer_ids"] = error_text("lawyer_no_licence", value=lawyer.name)
        found.append(lawyer)
    return found


def _firm(refs: Refs, chief: Advisor | None, errors: dict[str, str]) -> LawFirm | None:
    """The firm named, else the chief advisor's, else the first assigned lawyer's."""
    firm_id = refs.firm_id or (chief.firm_id if chief is not None else None)
    if firm_id is None and refs.lawyer_ids:
        first = db.session.get(Advisor, refs.lawyer_ids[0])
        firm_id = first.firm_id if first is not None else None
    if firm_id is None:
        return None
    firm = db.session.get(LawFirm, firm_id)
    if firm is None:
        errors["firm_id"] = error_text("unknown_firm", value=firm_id)
    elif not firm.active:
        errors["firm_id"] = error_text("firm_inactive", value=firm.name)
    elif chief is not None and chief.kind == "lawyer" and chief.firm_id != firm.id:
        errors["advisor_id"] = error_text("advisor_not_in_firm", value=chief.name)
    return firm


def resolve_parties(user: User, refs: Refs, errors: dict[str, str]) -> params.Parties | None:
    """Look up agency, chief advisor, firm and lawyers; problems go into ``errors``."""
    agency = _agency(user, refs.agency_id, errors)
    chief_id = refs.advisor_id or (refs.lawyer_ids[0] if refs.lawyer_ids else None)
    chief = _advisor(chief_id, "advisor_id", errors) if chief_id else None
    if chief_id is None:
        errors["advisor_id"] = error_text("advisor_required")
    firm = _firm(refs, chief, errors)
    if refs.lawyer_ids is not None:
        lawyer_ids = refs.lawyer_ids
    else:
        lawyer_ids = [chief.id] if chief is not None and chief.kind == "lawyer" else []
    lawyers = _lawyers(lawyer_ids, firm, errors)
    if not lawyer_ids and "advisor_id" not in errors:
        errors["lawyer_ids"] = error_text("lawyers_required")
    if agency is None or chief is None or errors:
        return None
    return params.Parties(agency, chief, firm, lawyers)


def check_terms(manifest: contract_templates.Manifest, parties: params.Parties | None,
                terms: dict[str, Any], errors: dict[str, str],
                contract_no: str) -> dict[str, Any]:
    """Validate the template fields; messages go into ``errors``. Returns the clean values."""
    errors.update(params.submitted_errors(manifest, terms))
    usable = {k: v for k, v in terms.items() if k not in errors}
    if parties is None:
        values = {"contract_no": contract_no, **usable}
        _, problems = params.validate(manifest, values)
        keep = {spec.name for spec in params.user_fields(manifest)} - set(params.REGISTER_FIELDS)
        problems = {k: v for k, v in problems.items() if k.split("[")[0] in keep}
        errors.update({k: v for k, v in problems.items() if k not in errors})
        return {}
    values = params.merge(manifest, parties, usable, contract_no)
    clean, problems = params.validate(manifest, values)
    problems.update(params.register_gaps(manifest, parties, values))
    for key, message in problems.items():
        errors.setdefault(key, message)
    return clean


def _number(year: int) -> tuple[int, str]:
    seq = next_seq(SEQUENCE, year)
    return seq, format_number(current_app.config["GOVCOUNSEL_CONTRACT_PATTERN"], year, seq)


def sample_number(year: int) -> str:
    """A number in the configured pattern (for validating before a real one is taken)."""
    return format_number(current_app.config["GOVCOUNSEL_CONTRACT_PATTERN"], year, 1)


def render_contract(template: contract_store.LoadedTemplate, values: dict[str, Any],
                    created: datetime) -> bytes:
    """Render, turning a library refusal into a domain error with its Chinese message."""
    try:
        return render(template.docx, template.manifest, values, created=created)
    except contract_templates.InvalidValuesError as exc:
        raise ValidationFailed(exc.errors, exc.message) from exc
    except contract_templates.ContractTemplateError as exc:
        raise DomainError(exc.code, exc.message, status=422) from exc


def create(user: User, refs: Refs, terms: dict[str, Any], *, now: datetime | None = None,
           renewed_from: Engagement | None = None, is_demo: bool = False) -> Engagement:
    """Check, number, render and register a new draft contract (flush only)."""
    policy.require(user, "engagement.create")
    now = now or utcnow()
    template = contract_store.load(contract_store.active_template())
    errors: dict[str, str] = {}
    parties = resolve_parties(user, refs, errors)
    clean = check_terms(template.manifest, parties, terms, errors, sample_number(now.year))
    override = None
    if parties is not None:
        override = _pool_check(user, parties, refs.override_reason, errors)
    if errors:
        raise ValidationFailed(errors)
    assert parties is not None
    seq, number = _number(now.year)
    clean["contract_no"] = number
    docx = render_contract(template, clean, now)
    eng = Engagement(contract_no=number, year=now.year, seq=seq, agency_id=parties.agency.id,
                     advisor_id=parties.chief.id, firm_id=parties.firm.id if parties.firm else None,
                     template_id=template.id, params=dump_values(template.manifest, clean),
                     status="draft", start_date=clean["start_date"], end_date=clean["end_date"],
                     annual_fee=clean["annual_fee"], services=list(clean["services"]),
                     created_by_id=user.id, created_at=now, updated_at=now,
                     pool_override_reason=override["reason"] if override else None,
                     renewed_from_id=renewed_from.id if renewed_from else None, is_demo=is_demo)
    db.session.add(eng)
    db.session.flush()
    doc = _register_docx(user, eng, parties.agency, docx, now.date(), is_demo)
    audit.record("engagement_created", object_type="engagement", object_id=eng.id, actor=user,
                 detail={"contract_no": number, "agency_id": eng.agency_id,
                         "advisor_id": eng.advisor_id, "firm_id": eng.firm_id,
                         "template_version": template.version, "document_id": doc.id,
                         "sha256": doc.sha256, "renewed_from_id": eng.renewed_from_id,
                         "pool_override": override})
    return eng


def _pool_check(user: User, parties: params.Parties, reason: str | None,
                errors: dict[str, str]) -> dict | None:
    members = [parties.chief, *[a for a in parties.lawyers if a.id != parties.chief.id]]
    try:
        return pool.check(user, members, reason)
    except ValidationFailed as exc:
        errors.update(exc.fields)
        return None


def _register_docx(user: User, eng: Engagement, agency: Agency, docx: bytes,
                   issued_on: date, is_demo: bool):
    received = files.receive_bytes(docx, f"聘任合同{eng.contract_no}.docx")
    doc = files.register(user, received, agency=agency, engagement_id=eng.id,
                         title=f"法律顾问聘任合同 {eng.contract_no}（{agency.name}）",
                         advisor_id=eng.advisor_id, issued_on=issued_on, is_demo=is_demo)
    eng.document_id = doc.id
    return doc


def update_draft(user: User, eng: Engagement, refs: Refs, terms: dict[str, Any]
                 ) -> Engagement:
    """Change a draft's parties or terms: same number, the .docx gets a new version."""
    policy.require(user, "engagement.manage", eng)
    if eng.status != "draft":
        raise DomainError("engagement_frozen", status=409)
    template = contract_store.load(eng.template)
    errors: dict[str, str] = {}
    parties = resolve_parties(user, refs, errors)
    clean = check_terms(template.manifest, parties, terms, errors, eng.contract_no)
    override = None
    if parties is not None:
        override = _pool_check(user, parties, refs.override_reason, errors)
    if errors:
        raise ValidationFailed(errors)
    assert parties is not None
    new_params = dump_values(template.manifest, clean)
    changed = sorted(k for k in set(new_params) | set(eng.params)
                     if new_params.get(k) != eng.params.get(k))
    if not changed and not override:
        return eng
    docx = render_contract(template, clean, eng.created_at)
    received = files.receive_bytes(docx, f"聘任合同{eng.contract_no}.docx")
    files.add_version(user, eng_document(eng), received, "修改合同草稿")
    before = dict(eng.params)
    eng.params, eng.agency_id, eng.advisor_id = new_params, parties.agency.id, parties.chief.id
    eng.firm_id = parties.firm.id if parties.firm else None
    eng.start_date, eng.end_date = clean["start_date"], clean["end_date"]
    eng.annual_fee, eng.services = clean["annual_fee"], list(clean["services"])
    eng.pool_override_reason = override["reason"] if override else None
    audit.record("engagement_updated", object_type="engagement", object_id=eng.id, actor=user,
                 detail={"changed": changed, "sha256": received.sha256,
                         "changes": {k: {"before": before.get(k), "after": new_params.get(k)}
                                     for k in changed},
                         "pool_override": override})
    return eng


def eng_document(eng: Engagement):
    """The generated contract's document row."""
    from ..models import Document

    doc = db.session.get(Document, eng.document_id) if eng.document_id else None
    if doc is None:
        raise NotFound()
    return doc


def regenerate(eng: Engagement) -> bytes:
    """Render the contract again from its stored template version and parameters."""
    row = db.session.get(ContractTemplate, eng.template_id)
    if row is None:
        raise NotFound()
    template = contract_store.load(row)
    return render_contract(template, dict(eng.params), eng.created_at)


def regenerated_matches(eng: Engagement) -> bool:
    """True when regenerating gives exactly the stored current version (same SHA-256)."""
    return hashlib.sha256(regenerate(eng)).hexdigest() == eng_document(eng).sha256


def refs_of(eng: Engagement) -> Refs:
    """The parties of an existing engagement, as a new request would name them."""
    licences = [item.get("licence_no") for item in eng.params.get("lawyers", [])]
    found = dict(db.session.execute(select(Advisor.licence_no, Advisor.id).where(
        Advisor.licence_no.in_([n for n in licences if n]))).all())
    lawyer_ids = [found[n] for n in licences if n in found]
    return Refs(agency_id=eng.agency_id, advisor_id=eng.advisor_id, firm_id=eng.firm_id,
                lawyer_ids=lawyer_ids or None)
