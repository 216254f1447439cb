"""Rules of the agency, law-firm and advisor registers (flush only; the caller commits).

``save_*`` validates a whole record before touching the object, so a refused
record changes nothing; a missing key keeps the stored value (imports may omit
columns). Records are never deleted: ``set_active`` deactivates or reactivates.
Every change is audited with the values before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from ..audit import services as audit
from ..errors import ValidationFailed
from ..extensions import db
from ..messages import LABELS
from ..models import Advisor, Agency, LawFirm
from ..validation import parse
from . import validators as rules
from .schemas import AdvisorRecord, AgencyRecord, FirmRecord, Record
from .validators import Checker, column_length

AGENCY_FIELDS = ("code", "name", "category", "is_classified_unit", "legal_rep", "address",
                 "contact", "phone", "active")
FIRM_FIELDS = ("name", "licence_no", "leader", "address", "phone", "active")
ADVISOR_FIELDS = ("name", "kind", "firm_id", "licence_no", "title", "specialties", "phone",
                  "email", "active")
AUDIT_TYPES = {Agency: "agency", LawFirm: "law_firm", Advisor: "advisor"}


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The audited values of ``obj``."""
    return {name: getattr(obj, name) for name in fields}


def _merged(obj: Any, fields: tuple[str, ...], data: Mapping[str, Any]) -> dict[str, Any]:
    """Stored values overlaid with the given ones (imports name an advisor's firm by name)."""
    values = snapshot(obj, fields) if obj is not None else {}
    values.update({key: data[key] for key in data if key in fields or key == "firm_name"})
    return values


def _taken(column: Any, value: Any, obj: Any, *, ignore_case: bool = False) -> bool:
    """True when another row already uses ``value`` in the unique ``column``."""
    model = column.class_
    cond = func.lower(column) == value.lower() if ignore_case else column == value
    stmt = select(model.id).where(cond)
    if obj is not None and obj.id is not None:
        stmt = stmt.where(model.id != obj.id)
    return db.session.execute(stmt.limit(1)).first() is not None


def _store(model: type, obj: Any, values: dict[str, Any], fields: tuple[str, ...],
           audited: bool) -> tuple[Any, str]:
    """Create or update and audit; the action is ``created``, ``updated`` or ``unchanged``."""
    kind = AUDIT_TYPES[model]
    before = snapshot(obj, fields) if obj is not None else None
    if obj is None:
        obj = model(**values)
        db.session.add(obj)
    else:
        for name, value in values.items():
            setattr(obj, name, value)
    db.session.flush()
    after = snapshot(obj, fields)
    if before == after:
        return obj, "unchanged"
    action = "created" if before is None else "updated"
    if audited:
        audit.record(f"{kind}_{action}", object_type=kind, object_id=obj.id,
                     detail={"before": before, "after": after})
    return obj, action


def save_record(model: type, data: Mapping[str, Any], obj: Any = None, *,
                audited: bool = True) -> tuple[Any, str]:
    """Validate and store one agency, firm or advisor; returns (object, action).

    ``audited=False`` is only for an import preview, which is always rolled back.
    """
    cleaner, fields = CLEANERS[model]
    values = cleaner(_merged(obj, fields, data), obj)
    return _store(model, obj, values, fields, audited)


def set_active(obj: Any, active: bool) -> bool:
    """Deactivate or reactivate (never delete); False when it already was so."""
    if obj.active == active:
        return False
    kind = AUDIT_TYPES[type(obj)]
    obj.active = active
    db.session.flush()
    audit.record(f"{kind}_{'reactivated' if active else 'deactivated'}", object_type=kind,
                 object_id=obj.id, detail={"before": {"active": not active},
                                           "after": {"active": active}})
    return True


def _valid(record: type[Record], raw: Mapping[str, Any]) -> dict[str, Any]:
    """The field values of ``raw`` checked by ``record`` (ValidationFailed names every bad
    field with its Chinese message)."""
    return parse(record, dict(raw)).model_dump()


def clean_agency(raw: Mapping[str, Any], agency: Agency | None) -> dict[str, Any]:
    """Validated agency values, or ValidationFailed with a message per field."""
    values = _valid(AgencyRecord, raw)
    c = Checker()
    if _taken(Agency.code, values["code"], agency, ignore_case=True):
        c.fail("code", "duplicate_code", value=values["code"])
    if _taken(Agency.name, values["name"], agency):
        c.fail("name", "duplicate_name", value=values["name"])
    c.raise_if_any()
    return values


def clean_firm(raw: Mapping[str, Any], firm: LawFirm | None) -> dict[str, Any]:
    """Validated law-firm values, or ValidationFailed with a message per field."""
    values = _valid(FirmRecord, raw)
    c = Checker()
    if _taken(LawFirm.name, values["name"], firm):
        c.fail("name", "duplicate_name", value=values["name"])
    if _taken(LawFirm.licence_no, values["licence_no"], firm):
        c.fail("licence_no", "duplicate_credit_code", value=values["licence_no"])
    c.raise_if_any()
    return values


def _firm_for(c: Checker, raw: Mapping[str, Any], advisor: Advisor | None) -> LawFirm | None:
    """The advisor's firm, by id (forms) or by name (imports)."""
    if "firm_name" in raw:
        name = c.run("firm_id", rules.text, raw.get("firm_name"), column_length(LawFirm, "name"))
        firm = None if name is None else db.session.execute(
            select(LawFirm).where(LawFirm.name == name)).scalar_one_or_none()
        shown = name
    else:
        firm_id = c.run("firm_id", rules.integer, raw.get("firm_id"))
        firm = None if firm_id is None else db.session.get(LawFirm, firm_id)
        shown = raw.get("firm_id")
    if shown not in (None, "") and firm is None and c.ok("firm_id"):
        c.fail("firm_id", "unknown_firm", value=shown)
    changed = firm is not None and (advisor is None or advisor.firm_id != firm.id)
    if changed and not firm.active:
        c.fail("firm_id", "firm_inactive", value=firm.name)
    return firm


def clean_advisor(raw: Mapping[str, Any], advisor: Advisor | None) -> dict[str, Any]:
    """Validated advisor values, or ValidationFailed with a message per field."""
    c = Checker()
    firm = _firm_for(c, raw, advisor)
    if _quiet(rules.choice, raw.get("kind"), LABELS["advisor_kind"]) == "lawyer":
        if firm is None and c.ok("firm_id"):
            c.fail("firm_id", "firm_required")
        if not str(raw.get("licence_no") or "").strip():
            c.fail("licence_no", "required")
    try:
        values = _valid(AdvisorRecord, raw)
    except ValidationFailed as exc:
        raise ValidationFailed({**exc.fields, **c.errors}) from exc
    values["firm_id"] = firm.id if firm is not None else None
    if values["licence_no"] and _taken(Advisor.licence_no, values["licence_no"], advisor):
        c.fail("licence_no", "duplicate_licence", value=values["licence_no"])
    c.raise_if_any()
    return values


CLEANERS = {Agency: (clean_agency, AGENCY_FIELDS), LawFirm: (clean_firm, FIRM_FIELDS),
            Advisor: (clean_advisor, ADVISOR_FIELDS)}


def find_for_import(model: type, data: Mapping[str, Any]) -> Any:
    """The existing row an import row updates (see IMPORT_MATCHING), or None."""
    def one(stmt: Any) -> Any:
        rows = db.session.execute(stmt.limit(2)).scalars().all()
        return rows[0] if len(rows) == 1 else None

    if model is Agency:
        code = _quiet(rules.identifier, data.get("code"), 32)
        return code and one(select(Agency).where(func.lower(Agency.code) == code.lower()))
    if model is LawFirm:
        code = _quiet(rules.credit_code, data.get("licence_no"))
        found = code and one(select(LawFirm).where(LawFirm.licence_no == code))
        name = _quiet(rules.text, data.get("name"), 128)
        return found or (name and one(select(LawFirm).where(LawFirm.name == name)))
    licence = _quiet(rules.identifier, data.get("licence_no"), 32)
    if licence:
        return one(select(Advisor).where(Advisor.licence_no == licence))
    name = _quiet(rules.text, data.get("name"), 64)
    kind = _quiet(rules.choice, data.get("kind"), LABELS["advisor_kind"])
    return name and kind and one(select(Advisor).where(
        Advisor.name == name, Advisor.kind == kind, Advisor.licence_no.is_(None)))


def _quiet(rule: Any, *args: Any) -> Any:
    """A rule's result, or None when the value is bad (save_record reports it later)."""
    try:
        return rule(*args)
    except rules.FieldError:
        return None
