"""Field rules shared by the register forms and the imports.

Each rule takes a raw value (form string, spreadsheet cell, bool, date) and returns
the cleaned value or raises ``FieldError`` with a Chinese message. ``Checker``
applies rules to a record and collects one message per field, so a bad record
reports every problem at once and nothing is written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect

from ..errors import ValidationFailed
from ..messages import LABELS, error_text

CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
LAWYER_LICENCE = re.compile(r"^\d{17}$")
MOBILE = re.compile(r"^1\d{10}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
AGENCY_CODE = re.compile(r"^[A-Za-z0-9_-]{2,32}$")
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,64}$")
CN_DATE = re.compile(r"^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")
EDGE_SPACE = " \t\r\n\u3000"
INVISIBLE = frozenset("\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                      "\u2066\u2067\u2068\u2069\ufeff")
TRUE_WORDS = {"1", "true", "yes", "y", LABELS["yes_no"]["yes"], LABELS["active_state"]["active"]}
FALSE_WORDS = {"0", "false", "no", "n", LABELS["yes_no"]["no"],
               LABELS["active_state"]["inactive"]}


class FieldError(ValueError):
    """A field value is unacceptable; ``str(exc)`` is the Chinese message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(error_text(code, **params))


def column_length(model: type, name: str) -> int:
    """The declared length of a string column, so limits always match the schema."""
    length = getattr(sa_inspect(model).columns[name].type, "length", None)
    return int(length) if length else 10_000


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def text(value: Any, max_len: int, *, required: bool = False,
         multiline: bool = False) -> str | None:
    """Trimmed text, refusing control characters, HTML brackets and over-long input."""
    raw = _as_text(value).strip(EDGE_SPACE)
    if not raw:
        if required:
            raise FieldError("required")
        return None
    allowed = "\n\r\t" if multiline else ""
    for ch in raw:
        if ch in INVISIBLE or (unicodedata.category(ch) == "Cc" and ch not in allowed):
            raise FieldError("control_chars")
    if "<" in raw or ">" in raw:
        raise FieldError("html_not_allowed")
    if len(raw) > max_len:
        raise FieldError("too_long", max=max_len)
    return raw


def identifier(value: Any, max_len: int, *, required: bool = False) -> str | None:
    """Text for codes and numbers: full-width digits and letters become half-width."""
    return text(unicodedata.normalize("NFKC", _as_text(value)), max_len, required=required)


def agency_code(value: Any) -> str | None:
    """An agency code: letters, digits, ``-`` and ``_``, 2–32 characters."""
    code = identifier(value, 32, required=True)
    if not AGENCY_CODE.match(code or ""):
        raise FieldError("invalid_code")
    return code


def username(value: Any) -> str | None:
    """A login name: letters, digits and ``. _ @ -``, 2–64 characters."""
    name = identifier(value, 64, required=True)
    if not USERNAME.match(name or ""):
        raise FieldError("invalid_username")
    return name


def phone(value: Any, max_len: int = 32) -> str | None:
    """A mobile (1xxxxxxxxxx) or landline (0371-12345678) number, or nothing."""
    number = identifier(value, max_len)
    if number is None:
        return None
    if not (MOBILE.match(number) or LANDLINE.match(number)):
        raise FieldError("invalid_phone")
    return number


def email(value: Any, max_len: int = 120) -> str | None:
    """An e-mail address, or nothing."""
    address = identifier(value, max_len)
    if address is not None and not EMAIL.match(address):
        raise FieldError("invalid_email")
    return address


def lawyer_licence(value: Any, *, required: bool = False) -> str | None:
    """A lawyer's practising certificate number (执业证号): 17 digits."""
    number = identifier(value, 32, required=required)
    if number is not None and not LAWYER_LICENCE.match(number):
        raise FieldError("invalid_licence")
    return number


def credit_code(value: Any, *, required: bool = False) -> str | None:
    """A unified social credit code (统一社会信用代码): 18 characters, GB 32100."""
    code = identifier(value, 32, required=required)
    if code is not None:
        code = code.upper()
        if not CREDIT_CODE.match(code):
            raise FieldError("invalid_credit_code")
    return code


def choice(value: Any, labels: Mapping[str, str], *, required: bool = True) -> str | None:
    """A vocabulary code, given as the code or its Chinese label."""
    raw = text(value, 64, required=required)
    if raw is None:
        return None
    if raw in labels:
        return raw
    for code, label in labels.items():
        if raw == label:
            return code
    raise FieldError("invalid_choice_value", value=raw, choices="、".join(labels.values()))


def boolean(value: Any, *, default: bool | None = None) -> bool | None:
    """``是/否``, ``启用/停用``, ``1/0`` or a real bool; empty gives ``default``."""
    if isinstance(value, bool):
        return value
    raw = text(value, 16)
    if raw is None:
        return default
    if raw.lower() in TRUE_WORDS:
        return True
    if raw.lower() in FALSE_WORDS:
        return False
    raise FieldError("invalid_bool")


def parse_date(value: Any, *, required: bool = False) -> date | None:
    """A date from a date cell, ``2022-03-31``, ``2022/3/31`` or ``2022年3月31日``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = identifier(value, 32, required=required)
    if raw is None:
        return None
    match = CN_DATE.match(raw)
    try:
        if match:
            return date(*(int(part) for part in match.groups()))
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise FieldError("invalid_date") from exc


def integer(value: Any, *, required: bool = False) -> int | None:
    """A whole number (spreadsheets may give ``2022.0``)."""
    if isinstance(value, bool):
        raise FieldError("invalid_integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raw = identifier(value, 16, required=required)
    if raw is None:
        return None
    if raw.endswith(".0"):
        raw = raw[:-2]
    if not raw.isdigit():
        raise FieldError("invalid_integer")
    return int(raw)


class Checker:
    """Runs rules over one record, keeping the first Chinese message per field."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def run(self, field: str, rule: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """The rule's result, or ``None`` after recording its message under ``field``."""
        try:
            return rule(*args, **kwargs)
        except FieldError as exc:
            self.errors.setdefault(field, str(exc))
            return None

    def fail(self, field: str, code: str, **params: Any) -> None:
        """Record an error found by a rule outside this module (duplicates, references)."""
        self.errors.setdefault(field, error_text(code, **params))

    def ok(self, *fields: str) -> bool:
        """True while none of ``fields`` has an error."""
        return not any(name in self.errors for name in fields)

    def raise_if_any(self) -> None:
        """Refuse the record when any field failed."""
        if self.errors:
            raise ValidationFailed(dict(self.errors))
