"""Who a contract is between, looked up in the registers, by kind of contract.

* 常年法律顾问 (``standard``): a law firm, its chief advisor and assigned lawyers;
* 法学专家个人顾问 (``individual``): one scholar or lawyer in person, no firm, no team;
* 专项法律服务 (``special``): a firm (with its lawyers) or one scholar or lawyer.

The chief advisor always leads the team: the assigned lawyers are the chief (when a
lawyer) followed by the others chosen, so a form lists only the others. Problems go
into ``errors`` (field → Chinese message); nothing is written here.
"""

from __future__ import annotations

from flask import current_app

from contract_templates import get_kind

from .. import policy
from ..errors import Forbidden
from ..extensions import db
from ..messages import error_text
from ..models import Advisor, Agency, LawFirm, User
from ..numbering import format_number, next_seq
from . import params
from .schemas import Refs

PERSON_KINDS = ("scholar", "lawyer")


def pattern_setting(kind: str) -> str:
    """The setting holding the numbering pattern of ``kind`` (standard keeps the old name)."""
    return "GOVCOUNSEL_CONTRACT_PATTERN" if kind == "standard" else \
        f"GOVCOUNSEL_CONTRACT_PATTERN_{kind.upper()}"


def sequence_name(kind: str) -> str:
    """The counter of ``kind`` (standard keeps ``contract``, so old numbers go on)."""
    return "contract" if kind == "standard" else f"contract_{kind}"


def take_number(kind: str, year: int) -> tuple[int, str]:
    """The next gap-free number of ``kind`` in ``year`` (in the caller's transaction)."""
    seq = next_seq(sequence_name(kind), year)
    return seq, format_number(current_app.config[pattern_setting(kind)], year, seq)


def sample_number(year: int, kind: str = "standard") -> str:
    """A number in the configured pattern of ``kind`` (for validating before one is taken)."""
    return format_number(current_app.config[pattern_setting(kind)], year, 1)


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


def team_ids(chief: Advisor | None, lawyer_ids: list[int] | None) -> list[int]:
    """The assigned lawyers: the chief first (when a lawyer), then the others chosen."""
    lead = [chief.id] if chief is not None and chief.kind == "lawyer" else []
    return lead + [i for i in (lawyer_ids or []) if i not in lead]


def _person(refs: Refs, chief: Advisor | None, errors: dict[str, str]) -> None:
    """The individual kind: one scholar or lawyer, no firm and no team."""
    if refs.firm_id is not None:
        errors["firm_id"] = error_text("individual_no_firm")
    if refs.lawyer_ids:
        errors["lawyer_ids"] = error_text("individual_no_lawyers")
    if chief is not None and chief.kind not in PERSON_KINDS:
        errors["advisor_id"] = error_text("individual_person_kind", value=chief.name)
    if chief is not None and chief.kind == "lawyer" and not chief.licence_no:
        errors["advisor_id"] = error_text("lawyer_no_licence", value=chief.name)


def resolve_parties(user: User, refs: Refs, errors: dict[str, str],
                    kind: str = "standard") -> params.Parties | None:
    """Look up agency, chief advisor, firm and lawyers for ``kind``; problems go into
    ``errors``."""
    party = get_kind(kind).party
    agency = _agency(user, refs.agency_id, errors)
    chief_id = refs.advisor_id or (refs.lawyer_ids[0] if refs.lawyer_ids else None)
    chief = _advisor(chief_id, "advisor_id", errors) if chief_id else None
    if chief_id is None:
        errors["advisor_id"] = error_text("advisor_required")
    firm, lawyers = None, []
    if party == "individual":
        _person(refs, chief, errors)
    elif party == "either" and chief is not None and chief.kind != "lawyer" \
            and refs.firm_id is None and not refs.lawyer_ids:
        pass
    else:
        firm = _firm(refs, chief, errors)
        ids = team_ids(chief, refs.lawyer_ids)
        lawyers = _lawyers(ids, firm, errors)
        if not ids and "advisor_id" not in errors:
            errors["lawyer_ids"] = error_text("lawyers_required")
    if agency is None or chief is None or errors:
        return None
    return params.Parties(agency, chief, firm, lawyers)
