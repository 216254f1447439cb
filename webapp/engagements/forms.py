"""The contract form: built from the active template's manifest, parsed into parties + terms.

The form shows every field a person fills in (``params.user_fields``), typed by
the manifest, so a new template version needs no new HTML. Parties are chosen
from the registers; the advisor list puts the talent pool's available members first.
The 甲方 fields show what the chosen agency's register holds (used when left
blank) and ask only for what it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from contract_templates import Manifest

from .. import policy
from ..errors import ValidationFailed
from ..extensions import db
from ..models import Advisor, Agency, LawFirm, User
from ..validation import parse
from . import params, pool
from .schemas import Refs

REF_FIELDS = ("agency_id", "advisor_id", "firm_id", "override_reason")


def parse_refs(form: MultiDict, errors: dict[str, str]) -> Refs | None:
    """The parties named by the form (``None`` with messages in ``errors`` when invalid)."""
    raw: dict[str, Any] = {name: form.get(name, "") for name in REF_FIELDS}
    lawyers = [v for v in form.getlist("lawyer_ids") if v.strip()]
    raw["lawyer_ids"] = lawyers or None
    if not str(raw["agency_id"]).strip():
        raw.pop("agency_id")
    try:
        return parse(Refs, raw)
    except ValidationFailed as exc:
        errors.update(exc.fields)
        return None


def parse_terms(form: MultiDict, manifest: Manifest) -> dict[str, Any]:
    """The template fields filled in (blank ones left out, lists from checkboxes)."""
    terms: dict[str, Any] = {}
    for spec in params.user_fields(manifest):
        if spec.type == "list":
            values = [v for v in form.getlist(spec.name) if v.strip()]
            if values:
                terms[spec.name] = values
        else:
            value = form.get(spec.name, "")
            if value.strip():
                terms[spec.name] = value
    return terms


@dataclass
class Choices:
    """Options of the form's selects."""

    agencies: list[Agency]
    pool_advisors: list[Advisor]
    other_advisors: list[Advisor]
    firms: list[LawFirm]
    lawyers_by_firm: list[tuple[LawFirm, list[Advisor]]] = field(default_factory=list)

    def register_of(self, agency_id: Any) -> dict[str, str] | None:
        """The 甲方 values the chosen agency's register gives (blank ones left out).

        ``None`` while no agency is chosen (an admin's empty select).
        """
        chosen = [a for a in self.agencies if str(a.id) == str(agency_id)]
        if not chosen and len(self.agencies) == 1:
            chosen = self.agencies
        if not chosen:
            return None
        return {k: v for k, v in params.agency_register(chosen[0]).items() if v}

    def registers(self) -> dict[int, dict[str, str]]:
        """Every selectable agency's register values (for the page script)."""
        return {a.id: self.register_of(a.id) or {} for a in self.agencies}


def choices(user: User) -> Choices:
    """Agencies the user may contract for; advisors (pool first), firms and their lawyers."""
    agencies = select(Agency).where(Agency.active.is_(True), policy.acting_agency_scope(user)
                                    ).order_by(Agency.code)
    advisors = db.session.execute(select(Advisor).where(Advisor.active.is_(True))
                                  .order_by(Advisor.kind, Advisor.name)).scalars().all()
    available = pool.available_advisor_ids()
    firms = db.session.execute(select(LawFirm).where(LawFirm.active.is_(True))
                               .order_by(LawFirm.name)).scalars().all()
    by_firm = {f.id: (f, []) for f in firms}
    for advisor in advisors:
        if advisor.kind == "lawyer" and advisor.licence_no and advisor.firm_id in by_firm:
            by_firm[advisor.firm_id][1].append(advisor)
    return Choices(
        agencies=list(db.session.execute(agencies).scalars()),
        pool_advisors=[a for a in advisors if a.id in available],
        other_advisors=[a for a in advisors if a.id not in available]
        if policy.can(user, "engagement.override_pool") else [],
        firms=list(firms), lawyers_by_firm=[v for v in by_firm.values() if v[1]])


def form_values(form: MultiDict | None, defaults: dict[str, Any],
                manifest: Manifest) -> dict[str, Any]:
    """What the inputs show: the submitted form, else ``defaults``; lists stay lists."""
    if form is None:
        return dict(defaults)
    lists = {"lawyer_ids", "clauses"} | {s.name for s in manifest.fields if s.type == "list"}
    return {key: form.getlist(key) if key in lists else form.get(key) for key in form}
