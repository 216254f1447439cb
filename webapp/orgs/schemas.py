"""The registers' records as pydantic models: the field rules of every form and import row.

Each field's type is built from a rule of ``validators`` (Chinese message, full-width
digits, labels or codes for choices, 是/否 for booleans, 2022年3月31日 for dates), so a
web form, an API body and a spreadsheet row are refused with the same words. The
services validate with these models (``webapp.validation.parse``: every field's message
at once), then check what needs the database (duplicates, references, transitions).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from ..messages import LABELS
from ..models import Advisor, Agency, LawFirm, TalentPoolEntry, User
from . import validators as rules
from .validators import column_length


def _rule(func: Callable[..., Any], *args: Any, **kwargs: Any) -> BeforeValidator:
    return BeforeValidator(lambda value: func(value, *args, **kwargs))


def Text(max_len: int, *, required: bool = False, multiline: bool = False) -> Any:  # noqa: N802
    """Trimmed plain text (no HTML, no control characters) of at most ``max_len``."""
    return Annotated[str | None, _rule(rules.text, max_len, required=required,
                                       multiline=multiline)]


def Choice(group: str, *, required: bool = True) -> Any:  # noqa: N802
    """A vocabulary code of ``LABELS[group]``, given as the code or its Chinese label."""
    return Annotated[str | None, _rule(rules.choice, LABELS[group], required=required)]


def Flag(default: bool) -> Any:  # noqa: N802
    """是/否, 启用/停用, 1/0 or a real bool; blank gives ``default``."""
    return Annotated[bool, _rule(rules.boolean, default=default)]


def Day(*, required: bool = False) -> Any:  # noqa: N802
    """A date (ISO, 2022/3/31, 2022年3月31日 or a date cell)."""
    return Annotated[date | None, _rule(rules.parse_date, required=required)]


Integer = Annotated[int | None, _rule(rules.integer)]
Phone = Annotated[str | None, _rule(rules.phone)]


class Record(BaseModel):
    """Base of the register records: unknown keys are ignored (forms carry more)."""

    model_config = ConfigDict(extra="ignore")


class AgencyRecord(Record):
    """An agency (单位)."""

    code: Annotated[str, _rule(rules.agency_code)]
    name: Text(column_length(Agency, "name"), required=True)
    category: Choice("agency_category")
    is_classified_unit: Flag(False) = False
    legal_rep: Text(column_length(Agency, "legal_rep")) = None
    address: Text(column_length(Agency, "address")) = None
    contact: Text(column_length(Agency, "contact")) = None
    phone: Phone = None
    active: Flag(True) = True


class FirmRecord(Record):
    """A law firm (律师事务所); ``licence_no`` is the unified social credit code."""

    name: Text(column_length(LawFirm, "name"), required=True)
    licence_no: Annotated[str, _rule(rules.credit_code, required=True)]
    leader: Text(column_length(LawFirm, "leader")) = None
    address: Text(column_length(LawFirm, "address")) = None
    phone: Phone = None
    active: Flag(True) = True


class AdvisorRecord(Record):
    """An advisor (法律顾问); whether a licence and a firm are needed depends on ``kind``
    and is checked by the service."""

    name: Text(column_length(Advisor, "name"), required=True)
    kind: Choice("advisor_kind")
    licence_no: Annotated[str | None, _rule(rules.lawyer_licence)] = None
    title: Text(column_length(Advisor, "title")) = None
    specialties: Text(column_length(Advisor, "specialties")) = None
    phone: Phone = None
    email: Annotated[str | None, _rule(rules.email, column_length(Advisor, "email"))] = None
    active: Flag(True) = True


class PoolEntryRecord(Record):
    """What the pool forms edit of an entry."""

    specialties: Text(column_length(TalentPoolEntry, "specialties")) = None
    admitted_on: Day(required=True)
    notes: Text(10_000, multiline=True) = None


class PoolAdmission(PoolEntryRecord):
    """入库: the category and the member (an advisor or a firm, by id)."""

    category: Choice("pool_category")
    advisor_id: Integer = None
    firm_id: Integer = None


class PoolStatusChange(Record):
    """续聘, 暂停 or 出库: the date and the reason."""

    on_date: Day(required=True)
    reason: Text(2000, multiline=True) = None


class PoolReview(Record):
    """年度考核: the year and the result."""

    year: Annotated[int, _rule(rules.integer, required=True)]
    result: Choice("review_result")


class UserRecord(Record):
    """An account's display name, role and binding (agency by code, advisor by id)."""

    display_name: Text(column_length(User, "display_name")) = None
    role: Choice("role")
    agency: Annotated[str | None, _rule(rules.identifier, 32)] = None
    advisor: Integer = None


class NewUser(UserRecord):
    """A new account: its login name too (the password is checked by the service)."""

    username: Annotated[str, _rule(rules.username)]
