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

from sqlalchemy import select

import contract_templates
from contract_templates import dump_values, render

from .. import policy
from ..audit import services as audit
from ..errors import DomainError, NotFound, ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import Advisor, Agency, ContractTemplate, Engagement, User, utcnow
from . import clause_library, contract_store, files, params, pool
from .parties import resolve_parties, sample_number, take_number
from .schemas import Refs

ENGAGEMENT_KINDS = ("standard", "individual", "special")
"""The kinds an engagement can be (a supplement belongs to an engagement)."""


def get_visible(user: User, engagement_id: int) -> Engagement:
    """The engagement if ``user`` may view it: 404 when absent and when refused (the
    refusal audited by the error handler; this read writes nothing)."""
    eng = db.session.get(Engagement, engagement_id)
    if eng is None:
        raise NotFound()
    policy.require_visible(user, "engagement.view", eng)
    return eng


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


def render_contract(template: contract_store.LoadedTemplate, values: dict[str, Any],
                    created: datetime, clause_refs: list[dict] | None = None) -> bytes:
    """Render (with the recorded library clauses), turning a library refusal into a domain
    error with its Chinese message."""
    try:
        return render(template.docx, template.manifest, values, created=created,
                      clauses=clause_library.resolve(clause_refs))
    except contract_templates.InvalidValuesError as exc:
        raise ValidationFailed(exc.errors, exc.message) from exc
    except contract_templates.ContractTemplateError as exc:
        raise DomainError(exc.code, exc.message, status=422) from exc


def row_terms(clean: dict[str, Any]) -> dict[str, Any]:
    """The engagement row's term, fee and scope from a kind's clean values: a special
    contract's term ends on its delivery date, its fee is the fixed fee or the cap."""
    fee = next((clean[k] for k in ("annual_fee", "fixed_fee", "fee_cap")
                if clean.get(k) is not None), 0)
    return {"start_date": clean["start_date"],
            "end_date": clean.get("end_date") or clean.get("delivery_date"),
            "annual_fee": fee, "services": list(clean.get("services") or [])}


def create(user: User, refs: Refs, terms: dict[str, Any], *, kind: str = "standard",
           now: datetime | None = None, renewed_from: Engagement | None = None,
           is_demo: bool = False, clauses: list[str] | None = None) -> Engagement:
    """Check, number, render and register a new draft contract of ``kind`` (flush only),
    with the optional library ``clauses`` (names) its template offers."""
    policy.require(user, "engagement.create")
    if kind not in ENGAGEMENT_KINDS:
        raise ValidationFailed({"kind": error_text("unknown_kind", value=kind)})
    now = now or utcnow()
    template = contract_store.load(contract_store.active_template(kind))
    errors: dict[str, str] = {}
    parties = resolve_parties(user, refs, errors, kind)
    clean = check_terms(template.manifest, parties, terms, errors, sample_number(now.year, kind))
    override = None
    if parties is not None:
        override = _pool_check(user, parties, refs.override_reason, errors)
    if errors:
        raise ValidationFailed(errors)
    assert parties is not None
    seq, number = take_number(kind, now.year)
    clean["contract_no"] = number
    clause_refs = clause_library.chosen(template.manifest, clauses or [])
    docx = render_contract(template, clean, now, clause_refs)
    eng = Engagement(kind=kind, contract_no=number, year=now.year, seq=seq,
                     agency_id=parties.agency.id, advisor_id=parties.chief.id,
                     firm_id=parties.firm.id if parties.firm else None,
                     template_id=template.id, params=dump_values(template.manifest, clean),
                     clauses=clause_refs or None, status="draft", **row_terms(clean),
                     created_by_id=user.id, created_at=now, updated_at=now,
                     pool_override_reason=override["reason"] if override else None,
                     renewed_from_id=renewed_from.id if renewed_from else None, is_demo=is_demo)
    db.session.add(eng)
    db.session.flush()
    doc = _register_docx(user, eng, parties.agency, docx, now.date(), is_demo)
    audit.record("engagement_created", object_type="engagement", object_id=eng.id, actor=user,
                 detail={"kind": kind, "contract_no": number, "agency_id": eng.agency_id,
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
    label = contract_templates.get_kind(eng.kind).label
    received = files.receive_bytes(docx, f"聘任合同{eng.contract_no}.docx")
    doc = files.register(user, received, agency=agency, engagement_id=eng.id,
                         title=f"{label}聘任合同 {eng.contract_no}（{agency.name}）"
                         if eng.kind != "standard" else
                         f"法律顾问聘任合同 {eng.contract_no}（{agency.name}）",
                         advisor_id=eng.advisor_id, issued_on=issued_on, is_demo=is_demo)
    eng.document_id = doc.id
    return doc


def update_draft(user: User, eng: Engagement, refs: Refs, terms: dict[str, Any],
                 clauses: list[str] | None = None) -> Engagement:
    """Change a draft's parties or terms: same number, the .docx gets a new version."""
    policy.require(user, "engagement.manage", eng)
    if eng.status != "draft":
        raise DomainError("engagement_frozen", status=409)
    template = contract_store.load(eng.template)
    errors: dict[str, str] = {}
    parties = resolve_parties(user, refs, errors, eng.kind)
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
    clause_refs = clause_library.chosen(template.manifest, clauses) if clauses is not None \
        else list(eng.clauses or [])
    if clause_refs != list(eng.clauses or []):
        changed.append("clauses")
    if not changed and not override:
        return eng
    eng.clauses = clause_refs or None
    docx = render_contract(template, clean, eng.created_at, clause_refs)
    received = files.receive_bytes(docx, f"聘任合同{eng.contract_no}.docx")
    files.add_version(user, eng_document(eng), received, "修改合同草稿")
    before = dict(eng.params)
    eng.params, eng.agency_id, eng.advisor_id = new_params, parties.agency.id, parties.chief.id
    eng.firm_id = parties.firm.id if parties.firm else None
    for key, value in row_terms(clean).items():
        setattr(eng, key, value)
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
    return render_contract(template, dict(eng.params), eng.created_at, eng.clauses)


def regenerated_matches(eng: Engagement) -> bool:
    """True when regenerating gives exactly the stored current version (same SHA-256)."""
    return hashlib.sha256(regenerate(eng)).hexdigest() == eng_document(eng).sha256


def refs_of(eng: Engagement) -> Refs:
    """The parties of an existing engagement, as a new request would name them."""
    licences = [item.get("licence_no") for item in eng.params.get("lawyers", [])]
    found = dict(db.session.execute(select(Advisor.licence_no, Advisor.id).where(
        Advisor.licence_no.in_([n for n in licences if n]))).all())
    lawyer_ids = [found[n] for n in licences if n in found and found[n] != eng.advisor_id]
    return Refs(agency_id=eng.agency_id, advisor_id=eng.advisor_id, firm_id=eng.firm_id,
                lawyer_ids=lawyer_ids or None)
