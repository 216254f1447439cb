"""Talent-pool import rows: find the member, then set the whole entry (flush only).

A row names its member by category plus practising-certificate number (lawyers)
or credit code (firms); without a number, by name. The member's open entry (or
its latest removed one) is updated; otherwise a new entry is created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import case, select

from ..extensions import db
from ..messages import LABELS
from ..models import Advisor, LawFirm, TalentPoolEntry
from . import validators as rules
from .pool_services import POOL_FIELDS, audit_entry, check_dates, check_member, review_year
from .services import snapshot
from .validators import Checker, column_length

Member = Advisor | LawFirm


def _lookup(category: str, name: str | None, number: str | None) -> list[Member]:
    if category == "firm":
        cond = LawFirm.licence_no == number if number else LawFirm.name == name
        stmt = select(LawFirm).where(cond)
    else:
        cond = Advisor.licence_no == number if number else (Advisor.name == name) & (
            Advisor.kind == category)
        stmt = select(Advisor).where(cond)
    return list(db.session.execute(stmt.limit(2)).scalars())


def find_member(c: Checker, category: str | None, raw: Mapping[str, Any]) -> Member | None:
    """The advisor or firm a row names, or None after recording why."""
    if category is None:
        return None
    number_rule = rules.credit_code if category == "firm" else rules.lawyer_licence
    number = c.run("member_no", number_rule, raw.get("member_no"))
    name = c.run("member_name", rules.text, raw.get("member_name"), 128)
    if not c.ok("member_no", "member_name"):
        return None
    if not number and not name:
        c.fail("member_name", "pool_target_required")
        return None
    found = _lookup(category, name, number)
    if len(found) > 1:
        c.fail("member_name", "ambiguous_advisor", value=name)
    elif not found:
        c.fail("member_name", "unknown_firm" if category == "firm" else "unknown_advisor",
               value=number or name)
    return found[0] if len(found) == 1 else None


def find_entry(member: Member | None) -> TalentPoolEntry | None:
    """The member's open entry, else its latest removed one."""
    if member is None:
        return None
    column = TalentPoolEntry.firm_id if isinstance(member, LawFirm) else \
        TalentPoolEntry.advisor_id
    removed_last = case((TalentPoolEntry.status == "removed", 1), else_=0)
    return db.session.execute(select(TalentPoolEntry).where(column == member.id).order_by(
        removed_last, TalentPoolEntry.id.desc()).limit(1)).scalar_one_or_none()


def _values(c: Checker, raw: Mapping[str, Any]) -> dict[str, Any]:
    def text(name: str, limit: int | None = None) -> Any:
        return c.run(name, rules.text, raw.get(name),
                     limit or column_length(TalentPoolEntry, name), multiline=limit is not None)

    values: dict[str, Any] = {
        "specialties": text("specialties"),
        "status": c.run("status", rules.choice, raw.get("status"), LABELS["pool_status"],
                        required=False) or "admitted",
        "status_reason": text("status_reason", 2000),
        "last_review_result": c.run("last_review_result", rules.choice,
                                    raw.get("last_review_result"), LABELS["review_result"],
                                    required=False),
        "notes": text("notes", 5000),
    }
    for name in ("admitted_on", "renewed_on", "suspended_on", "removed_on"):
        values[name] = c.run(name, rules.parse_date, raw.get(name),
                             required=name == "admitted_on")
    values["last_review_year"] = review_year(c, "last_review_year", raw.get("last_review_year"),
                                             values["admitted_on"])
    return values


def _check_consistency(c: Checker, values: Mapping[str, Any]) -> None:
    if values["status"] in ("suspended", "removed") and not values["status_reason"]:
        c.fail("status_reason", "reason_required")
    year, result = values["last_review_year"], values["last_review_result"]
    if year is not None and result is None:
        c.fail("last_review_result", "required")
    if result is not None and year is None:
        c.fail("last_review_year", "required")
    check_dates(c, values)


def save_imported(data: Mapping[str, Any], *,
                  audited: bool = True) -> tuple[TalentPoolEntry, str]:
    """Validate and store one pool row; returns (entry, created/updated/unchanged).

    ``audited=False`` is only for an import preview, which is always rolled back.
    """
    c = Checker()
    category = c.run("category", rules.choice, data.get("category"), LABELS["pool_category"])
    member = find_member(c, category, data)
    entry = find_entry(member)
    raw = snapshot(entry, POOL_FIELDS) if entry is not None else {}
    raw.update({key: data[key] for key in data if key in POOL_FIELDS})
    values = _values(c, raw)
    _check_consistency(c, values)
    advisor = member if isinstance(member, Advisor) else None
    firm = member if isinstance(member, LawFirm) else None
    check_member(c, "member_name", category, advisor, firm, entry)
    c.raise_if_any()
    values.update(category=category, advisor_id=advisor.id if advisor else None,
                  firm_id=firm.id if firm else None)
    if entry is None:
        entry = TalentPoolEntry(**values)
        db.session.add(entry)
        db.session.flush()
        if audited:
            audit_entry(entry, "created", None)
        return entry, "created"
    before = snapshot(entry, POOL_FIELDS)
    for name, value in values.items():
        setattr(entry, name, value)
    if before == snapshot(entry, POOL_FIELDS):
        return entry, "unchanged"
    if audited:
        audit_entry(entry, "updated", before)
    return entry, "updated"


def existing(data: Mapping[str, Any]) -> TalentPoolEntry | None:
    """The pool entry an import row would update, or None (a new entry, or a bad row)."""
    c = Checker()
    category = c.run("category", rules.choice, data.get("category"), LABELS["pool_category"])
    return find_entry(find_member(c, category, data)) if category else None


def identity(data: Mapping[str, Any]) -> tuple[str, ...]:
    """What makes two rows of one file the same member (duplicates are refused)."""
    number = str(data.get("member_no") or "").strip().upper()
    name = "" if number else str(data.get("member_name") or "").strip()
    return (str(data.get("category") or "").strip(), number, name)
