"""List queries of the registers: who sees what, filters and sort keys.

The same statement feeds the page, its pager and the export, so an export holds
exactly the filtered rows the user may see (all pages).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from ..messages import LABELS
from ..models import Advisor, Agency, LawFirm, TalentPoolEntry, User, utcnow
from ..policy import agency_scope

MAX_QUERY = 64
ACTIVE_CHOICES = ("1", "0", "all")
FILTER_CHOICES: dict[str, Mapping[str, str]] = {
    "category": {**LABELS["agency_category"], **LABELS["pool_category"]},
    "kind": LABELS["advisor_kind"],
    "status": LABELS["pool_status"],
    "role": LABELS["role"],
}


def read_filters(args: Mapping[str, str]) -> dict[str, str]:
    """Filter values from the query string; unknown values are dropped, not guessed."""
    filters = {"q": (args.get("q") or "").strip()[:MAX_QUERY]}
    for name, choices in FILTER_CHOICES.items():
        value = args.get(name) or ""
        filters[name] = value if value in choices else ""
    active = args.get("active") or "1"
    filters["active"] = active if active in ACTIVE_CHOICES else "1"
    filters["locked"] = "1" if args.get("locked") == "1" else ""
    return filters


def _active(stmt: Select, column: Any, value: str) -> Select:
    if value == "all":
        return stmt
    return stmt.where(column.is_(value == "1"))


def _like(*columns: Any, q: str) -> Any:
    return or_(*(column.contains(q, autoescape=True) for column in columns))


def agencies(user: User, f: Mapping[str, str]) -> Select:
    """Agencies in the user's scope (all for admin and auditor, their own for a clerk)."""
    stmt = select(Agency).where(agency_scope(user))
    if f["category"] in LABELS["agency_category"]:
        stmt = stmt.where(Agency.category == f["category"])
    if f["q"]:
        stmt = stmt.where(_like(Agency.code, Agency.name, Agency.contact, q=f["q"]))
    return _active(stmt, Agency.active, f["active"])


def firms(user: User, f: Mapping[str, str]) -> Select:
    """Law firms (everyone may read them)."""
    stmt = select(LawFirm)
    if f["q"]:
        stmt = stmt.where(_like(LawFirm.name, LawFirm.licence_no, LawFirm.leader,
                                LawFirm.address, q=f["q"]))
    return _active(stmt, LawFirm.active, f["active"])


def advisors(user: User, f: Mapping[str, str]) -> Select:
    """Advisors with their firm (everyone may read them)."""
    stmt = select(Advisor).outerjoin(LawFirm, Advisor.firm_id == LawFirm.id).options(
        selectinload(Advisor.firm))
    if f["kind"]:
        stmt = stmt.where(Advisor.kind == f["kind"])
    if f["q"]:
        stmt = stmt.where(_like(Advisor.name, Advisor.licence_no, Advisor.specialties,
                                Advisor.title, LawFirm.name, q=f["q"]))
    return _active(stmt, Advisor.active, f["active"])


MemberAdvisor = aliased(Advisor, name="member_advisor")
MemberFirm = aliased(LawFirm, name="member_firm")
MEMBER_NAME = func.coalesce(MemberAdvisor.name, MemberFirm.name)


def pool(user: User, f: Mapping[str, str]) -> Select:
    """Talent-pool entries with their member (everyone may read them)."""
    stmt = (select(TalentPoolEntry)
            .outerjoin(MemberAdvisor, TalentPoolEntry.advisor_id == MemberAdvisor.id)
            .outerjoin(MemberFirm, TalentPoolEntry.firm_id == MemberFirm.id)
            .options(selectinload(TalentPoolEntry.advisor).selectinload(Advisor.firm),
                     selectinload(TalentPoolEntry.firm)))
    if f["category"] in LABELS["pool_category"]:
        stmt = stmt.where(TalentPoolEntry.category == f["category"])
    if f["status"]:
        stmt = stmt.where(TalentPoolEntry.status == f["status"])
    if f["q"]:
        stmt = stmt.where(_like(MemberAdvisor.name, MemberFirm.name, MemberAdvisor.licence_no,
                                MemberFirm.licence_no, TalentPoolEntry.specialties, q=f["q"]))
    return stmt


def users(user: User, f: Mapping[str, str]) -> Select:
    """Accounts with their binding (the admin's list)."""
    stmt = select(User).outerjoin(Agency, User.agency_id == Agency.id).options(
        selectinload(User.agency), selectinload(User.advisor))
    if f["role"]:
        stmt = stmt.where(User.role == f["role"])
    if f["q"]:
        stmt = stmt.where(_like(User.username, User.display_name, Agency.name, q=f["q"]))
    if f["locked"]:
        stmt = stmt.where(User.locked_until > utcnow())
    return _active(stmt, User.active, f["active"])


@dataclass(frozen=True)
class ListSpec:
    """How one register is listed: its query, sort keys, default sort and tie-breaker."""

    build: Callable[[User, Mapping[str, str]], Select]
    sorts: dict[str, Any]
    default_sort: str
    tiebreak: Any


LISTS: dict[str, ListSpec] = {
    "agencies": ListSpec(agencies, {
        "code": Agency.code, "name": Agency.name, "category": Agency.category,
        "classified": Agency.is_classified_unit, "active": Agency.active}, "code", Agency.id),
    "firms": ListSpec(firms, {
        "name": LawFirm.name, "licence_no": LawFirm.licence_no, "leader": LawFirm.leader,
        "active": LawFirm.active}, "name", LawFirm.id),
    "advisors": ListSpec(advisors, {
        "name": Advisor.name, "kind": Advisor.kind, "firm": LawFirm.name,
        "licence_no": Advisor.licence_no, "title": Advisor.title,
        "active": Advisor.active}, "name", Advisor.id),
    "pool": ListSpec(pool, {
        "category": TalentPoolEntry.category, "member": MEMBER_NAME,
        "status": TalentPoolEntry.status, "admitted_on": TalentPoolEntry.admitted_on,
        "review_year": TalentPoolEntry.last_review_year}, "category", TalentPoolEntry.id),
    "users": ListSpec(users, {
        "username": User.username, "display_name": User.display_name, "role": User.role,
        "agency": Agency.name, "active": User.active,
        "last_login_at": User.last_login_at}, "username", User.id),
}
