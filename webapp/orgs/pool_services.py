"""Rules of the talent pool (法律顾问人才库): admit, renew, suspend, remove, yearly review.

A member (a scholar, a lawyer or a firm) has at most one entry that is not
removed. Entries are never deleted; removal (出库) is a status with a date and a
reason. Flush only; the caller commits. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select

from ..audit import services as audit
from ..errors import DomainError
from ..extensions import db
from ..messages import label
from ..models import Advisor, LawFirm, TalentPoolEntry
from ..ui import date_cn
from ..validation import parse
from . import validators as rules
from .schemas import PoolAdmission, PoolEntryRecord, PoolReview, PoolStatusChange
from .services import snapshot
from .validators import Checker, column_length

POOL_FIELDS = ("category", "advisor_id", "firm_id", "specialties", "status", "admitted_on",
               "renewed_on", "suspended_on", "removed_on", "status_reason", "last_review_year",
               "last_review_result", "notes")
TRANSITIONS = {"renew": (("admitted", "renewed", "suspended"), "renewed", "renewed_on"),
               "suspend": (("admitted", "renewed"), "suspended", "suspended_on"),
               "remove": (("admitted", "renewed", "suspended"), "removed", "removed_on")}
STATUS_DATES = {"renewed": "renewed_on", "suspended": "suspended_on", "removed": "removed_on"}
FIRST_REVIEW_YEAR = 2000


def member_name(entry: TalentPoolEntry) -> str:
    """The member's name (advisor or firm)."""
    member = entry.advisor or entry.firm
    return member.name if member is not None else ""


def audit_entry(entry: TalentPoolEntry, action: str, before: dict[str, Any] | None) -> None:
    """Audit ``pool_<action>`` with the entry's values before and after."""
    audit.record(f"pool_{action}", object_type="talent_pool_entry", object_id=entry.id,
                 detail={"before": before, "after": snapshot(entry, POOL_FIELDS)})


def check_member(c: Checker, field: str, category: str | None, advisor: Advisor | None,
                  firm: LawFirm | None, entry: TalentPoolEntry | None) -> None:
    """The member exists, fits the category, is active and has no other open entry."""
    if category is None or not c.ok(field):
        return
    member = firm if category == "firm" else advisor
    if member is None:
        c.fail(field, "pool_target_required")
        return
    if category != "firm" and advisor.kind != category:
        c.fail(field, "pool_member_mismatch")
    if entry is None and not member.active:
        c.fail(field, "member_inactive", value=member.name)
    column = TalentPoolEntry.firm_id if category == "firm" else TalentPoolEntry.advisor_id
    stmt = select(TalentPoolEntry).where(column == member.id,
                                         TalentPoolEntry.status != "removed")
    if entry is not None:
        stmt = stmt.where(TalentPoolEntry.id != entry.id)
    other = db.session.execute(stmt.limit(1)).scalar_one_or_none()
    if other is not None:
        c.fail(field, "pool_duplicate", value=member.name,
               status=label("pool_status", other.status))


def _text(c: Checker, raw: Mapping[str, Any], name: str, multiline: bool = False) -> Any:
    return c.run(name, rules.text, raw.get(name), column_length(TalentPoolEntry, name),
                 multiline=multiline)


def admit(data: Mapping[str, Any]) -> TalentPoolEntry:
    """Admit a scholar, lawyer or firm (form input: category, advisor_id or firm_id)."""
    form = parse(PoolAdmission, dict(data))
    c = Checker()
    category = form.category
    field = "firm_id" if category == "firm" else "advisor_id"
    member_id = getattr(form, field)
    model = LawFirm if category == "firm" else Advisor
    member = db.session.get(model, member_id) if member_id is not None else None
    if member_id is not None and member is None:
        c.fail(field, "unknown_firm" if category == "firm" else "unknown_advisor",
               value=member_id)
    advisor = member if isinstance(member, Advisor) else None
    firm = member if isinstance(member, LawFirm) else None
    check_member(c, field, category, advisor, firm, None)
    values = form.model_dump(include={"category", "specialties", "admitted_on", "notes"})
    c.raise_if_any()
    if values["specialties"] is None and advisor is not None:
        values["specialties"] = advisor.specialties
    entry = TalentPoolEntry(advisor_id=advisor.id if advisor else None,
                            firm_id=firm.id if firm else None, status="admitted", **values)
    db.session.add(entry)
    db.session.flush()
    audit_entry(entry, "admitted", None)
    return entry


def update(entry: TalentPoolEntry, data: Mapping[str, Any]) -> None:
    """Edit specialties, admission date and notes."""
    values = parse(PoolEntryRecord, dict(data)).model_dump()
    c = Checker()
    check_dates(c, {**snapshot(entry, POOL_FIELDS), **values})
    c.raise_if_any()
    before = snapshot(entry, POOL_FIELDS)
    for name, value in values.items():
        setattr(entry, name, value)
    if before != snapshot(entry, POOL_FIELDS):
        audit_entry(entry, "updated", before)


def change_status(entry: TalentPoolEntry, action: str, data: Mapping[str, Any]) -> None:
    """Renew (续聘), suspend (暂停, reason required) or remove (出库, reason required)."""
    allowed, status, date_field = TRANSITIONS[action]
    if entry.status not in allowed:
        raise DomainError("pool_bad_transition", status=409,
                          state=label("pool_status", entry.status))
    form = parse(PoolStatusChange, dict(data))
    on, reason = form.on_date, form.reason
    c = Checker()
    if reason is None and action != "renew":
        c.fail("reason", "reason_required")
    if on is not None and on < entry.admitted_on:
        c.fail("on_date", "date_before_admitted", date=date_cn(entry.admitted_on))
    c.raise_if_any()
    before = snapshot(entry, POOL_FIELDS)
    entry.status, entry.status_reason = status, reason
    setattr(entry, date_field, on)
    audit_entry(entry, {"renew": "renewed", "suspend": "suspended", "remove": "removed"}[action],
           before)


def review_year(c: Checker, field: str, value: Any, admitted_on: date | None) -> int | None:
    """A review year between the admission year (or 2000) and this year, or None."""
    year = c.run(field, rules.integer, value)
    low = max(FIRST_REVIEW_YEAR, admitted_on.year if admitted_on else FIRST_REVIEW_YEAR)
    high = date.today().year
    if year is not None and not low <= year <= high:
        c.fail(field, "review_year_range", min=low, max=high)
    return year


def review(entry: TalentPoolEntry, data: Mapping[str, Any]) -> None:
    """Record the yearly review (年度考核) of an entry that has not been removed."""
    if entry.status == "removed":
        raise DomainError("pool_bad_transition", status=409,
                          state=label("pool_status", entry.status))
    form = parse(PoolReview, dict(data))
    c = Checker()
    year = review_year(c, "year", form.year, entry.admitted_on)
    result = form.result
    if year is not None and entry.last_review_year and year < entry.last_review_year:
        c.fail("year", "review_year_older", year=entry.last_review_year)
    c.raise_if_any()
    before = snapshot(entry, POOL_FIELDS)
    entry.last_review_year, entry.last_review_result = year, result
    audit_entry(entry, "reviewed", before)


def check_dates(c: Checker, values: Mapping[str, Any]) -> None:
    """The date of the current status is present; no date precedes admission."""
    admitted = values.get("admitted_on")
    needed = STATUS_DATES.get(values.get("status") or "")
    if needed and values.get(needed) is None and c.ok(needed):
        c.fail(needed, "pool_status_date", status=label("pool_status", values["status"]))
    for name in STATUS_DATES.values():
        when = values.get(name)
        if admitted and when and when < admitted and c.ok(name):
            c.fail(name, "date_before_admitted", date=date_cn(admitted))
