"""Column layouts of the registers, shared by export and import.

Headers are the Chinese field names from ``messages.ORG_FIELDS``, so a file
exported from a list can be edited and imported again unchanged. Vocabulary
values are written as their Chinese labels; imports accept labels or codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..messages import LABELS, ORG_FIELDS, label
from ..ui import date_cn
from .user_services import is_locked


@dataclass(frozen=True)
class Column:
    """One exported column; ``importable`` columns are read back by the import."""

    key: str
    value: Callable[[Any], Any]
    required: bool = False
    importable: bool = True


def yes_no(flag: bool) -> str:
    """``是`` / ``否``."""
    return LABELS["yes_no"]["yes" if flag else "no"]


def state(flag: bool) -> str:
    """``启用`` / ``停用``."""
    return LABELS["active_state"]["active" if flag else "inactive"]


def _advisor_phone(advisor: Any) -> Any:
    from .contacts import phone_of

    return phone_of(advisor)


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda obj: getattr(obj, name)


def _member(entry: Any) -> Any:
    return entry.advisor or entry.firm


TABLES: dict[str, tuple[Column, ...]] = {
    "agencies": (
        Column("code", _attr("code"), required=True),
        Column("name", _attr("name"), required=True),
        Column("category", lambda a: label("agency_category", a.category), required=True),
        Column("is_classified_unit", lambda a: yes_no(a.is_classified_unit)),
        Column("legal_rep", _attr("legal_rep")),
        Column("address", _attr("address")),
        Column("contact", _attr("contact")),
        Column("phone", _attr("phone")),
        Column("active", lambda a: state(a.active)),
    ),
    "firms": (
        Column("name", _attr("name"), required=True),
        Column("licence_no", _attr("licence_no"), required=True),
        Column("leader", _attr("leader")),
        Column("address", _attr("address")),
        Column("phone", _attr("phone")),
        Column("active", lambda f: state(f.active)),
    ),
    "advisors": (
        Column("name", _attr("name"), required=True),
        Column("kind", lambda a: label("advisor_kind", a.kind), required=True),
        Column("firm_name", lambda a: a.firm.name if a.firm else None),
        Column("licence_no", _attr("licence_no")),
        Column("title", _attr("title")),
        Column("specialties", _attr("specialties")),
        Column("phone", _advisor_phone),
        Column("email", _attr("email")),
        Column("active", lambda a: state(a.active)),
    ),
    "pool": (
        Column("category", lambda e: label("pool_category", e.category), required=True),
        Column("member_name", lambda e: _member(e).name if _member(e) else None,
               required=True),
        Column("member_no", lambda e: _member(e).licence_no if _member(e) else None),
        Column("member_firm", lambda e: e.advisor.firm.name
               if e.advisor is not None and e.advisor.firm is not None else None,
               importable=False),
        Column("specialties", _attr("specialties")),
        Column("status", lambda e: label("pool_status", e.status)),
        Column("admitted_on", _attr("admitted_on"), required=True),
        Column("renewed_on", _attr("renewed_on")),
        Column("suspended_on", _attr("suspended_on")),
        Column("removed_on", _attr("removed_on")),
        Column("status_reason", _attr("status_reason")),
        Column("last_review_year", _attr("last_review_year")),
        Column("last_review_result", lambda e: label("review_result", e.last_review_result)
               if e.last_review_result else None),
        Column("notes", _attr("notes")),
    ),
    "users": (
        Column("username", _attr("username")),
        Column("display_name", _attr("display_name")),
        Column("role", lambda u: label("role", u.role)),
        Column("agency", lambda u: u.agency.name if u.agency else None),
        Column("advisor", lambda u: u.advisor.name if u.advisor else None),
        Column("active", lambda u: state(u.active)),
        Column("locked", lambda u: label("lock_state", "locked" if is_locked(u)
                                         else "unlocked")),
        Column("last_login_at", lambda u: date_cn(u.last_login_at)),
    ),
}
IMPORTABLE = ("agencies", "firms", "advisors", "pool")


def headers(register: str) -> list[str]:
    """The Chinese header row of a register's export."""
    return [ORG_FIELDS[register][column.key] for column in TABLES[register]]


def rows(register: str, objects: Iterable[Any]) -> Iterator[list[Any]]:
    """Export rows, one per object, in header order."""
    columns = TABLES[register]
    for obj in objects:
        yield [column.value(obj) for column in columns]


def import_columns(register: str) -> dict[str, Column]:
    """Importable columns by their Chinese header."""
    return {ORG_FIELDS[register][c.key]: c for c in TABLES[register] if c.importable}


def required_headers(register: str) -> list[str]:
    """Headers an import file must have."""
    return [ORG_FIELDS[register][c.key] for c in TABLES[register] if c.required]
