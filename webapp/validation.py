"""The one way to validate input: pydantic models, errors as Chinese per-field messages.

Every page form (``webapp.forms``), query string and API body is checked by a
pydantic model through :func:`parse` (``parse_query`` and ``parse_json`` for the
API); a ``ValidationFailed`` carries ``{field: message}``, which the API answers as
422 JSON and a page shows on its inputs. Flask-WTF only guards CSRF.

Before a model sees the input, text that no database column can hold is refused
per field: NUL characters (PostgreSQL text cannot contain them) and lone UTF-16
surrogates (a JSON ``"\\udb35"`` escape; not encodable as UTF-8). After
validation, every integer must fit the database's INTEGER. Whatever reaches the
database unchecked meets ``refuse_nul_in_sql``; ``<int:...>`` URL parts are
bounded by ``DbIntConverter``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TypeVar

from flask import request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticUseDefault
from sqlalchemy import Engine, event
from werkzeug.routing import IntegerConverter

from .errors import DomainError, ValidationFailed
from .messages import error_text

M = TypeVar("M", bound=BaseModel)

# PostgreSQL's INTEGER is 32 bits (SQLite's 64): the smaller range holds on both.
MIN_DB_INT, MAX_DB_INT = -(2**31), 2**31 - 1
SURROGATE = re.compile("[\ud800-\udfff]")
_BIND_SUFFIX = re.compile(r"_\d+$")  # "name_1" (a WHERE clause's bind) -> "name"

_TYPE_CODES = {
    "missing": "required", "int_parsing": "invalid_integer", "int_type": "invalid_integer",
    "int_from_float": "invalid_integer", "date_parsing": "invalid_date",
    "date_from_datetime_parsing": "invalid_date", "date_type": "invalid_date",
    "date_from_datetime_inexact": "invalid_date", "extra_forbidden": "unknown_field",
    "literal_error": "invalid_choice", "enum": "invalid_choice",
    "greater_than_equal": "negative", "greater_than": "negative",
    "float_parsing": "invalid_number", "float_type": "invalid_number",
    "finite_number": "invalid_number", "bool_parsing": "invalid_bool",
}


class DbIntConverter(IntegerConverter):
    """``<int:...>`` limited to the database's INTEGER: a larger id matches no route (404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MAX_DB_INT, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _message(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "string_too_long":
        return error_text("too_long", max=err.get("ctx", {}).get("max_length", ""))
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err.get("msg", "")))
    code = _TYPE_CODES.get(kind)
    return error_text(code) if code else error_text("validation")


def _printable(name: str) -> str:
    """A field name safe to echo in a JSON error (no NUL, no lone surrogate)."""
    return SURROGATE.sub("\ufffd", name.replace("\x00", "\ufffd"))


def errors_to_fields(exc: ValidationError) -> dict[str, str]:
    """``{field: Chinese message}`` from a pydantic ValidationError."""
    fields: dict[str, str] = {}
    for err in exc.errors():
        name = ".".join(_printable(str(p)) for p in err.get("loc", ())) or "_"
        fields.setdefault(name, _message(err))
    return fields


def _leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every key and scalar in nested dicts, lists and models."""
    if isinstance(node, BaseModel):
        node = {name: getattr(node, name) for name in type(node).model_fields}
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, key
            yield from _leaves(value, where)
    elif isinstance(node, list | tuple | set):
        for i, value in enumerate(node):
            yield from _leaves(value, f"{path}.{i}" if path else str(i))
    else:
        yield path or "_", node


def unstorable_text(data: Any) -> dict[str, str]:
    """Fields of ``data`` holding a NUL character or a lone surrogate, with the reason."""
    fields: dict[str, str] = {}
    for where, value in _leaves(data):
        if isinstance(value, str):
            if "\x00" in value:
                fields.setdefault(_printable(where), error_text("control_chars"))
            elif SURROGATE.search(value):
                fields.setdefault(_printable(where), error_text("invalid_text"))
    return fields


def _out_of_range(model: BaseModel) -> dict[str, str]:
    message = error_text("integer_out_of_range", min=MIN_DB_INT, max=MAX_DB_INT)
    return {where: message for where, value in _leaves(model)
            if isinstance(value, int) and not isinstance(value, bool)
            and not MIN_DB_INT <= value <= MAX_DB_INT}


def parse(model: type[M], data: dict) -> M:
    """Validate ``data`` against ``model`` or raise ValidationFailed (422)."""
    if fields := unstorable_text(data):
        raise ValidationFailed(fields)
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(errors_to_fields(exc)) from exc
    if fields := _out_of_range(parsed):
        raise ValidationFailed(fields)
    return parsed


def parse_query(model: type[M]) -> M:
    """Validate the query string (single values; repeated keys become lists)."""
    data = {}
    for key in request.args:
        values = request.args.getlist(key)
        data[key] = values if len(values) > 1 else values[0]
    return parse(model, data)


def parse_json(model: type[M]) -> M:
    """Validate a JSON body (400 when the body is not a JSON object)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise DomainError("bad_request", error_text("json_object_required"))
    return parse(model, body)


class EmptyBody(BaseModel):
    """The body of a step that takes no fields: nothing, or ``{}`` (any key is refused)."""

    model_config = ConfigDict(extra="forbid")


def parse_json_optional(model: type[M]) -> M:
    """As :func:`parse_json`, but an empty body is the model's defaults."""
    return parse_json(model) if request.get_data() else model()


def refuse_nul_in_sql(engine: Engine) -> None:
    """Refuse (422) any statement that would send a NUL character to ``engine``.

    PostgreSQL text cannot hold NUL (SQLite can, so both refuse it alike). Inputs
    are checked where they are parsed, with the field named (``parse``, the forms);
    this catches whatever reaches the database without such a check, naming the
    column (which is usually the form field) when the statement binds it by name.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _no_nul(conn, cursor, statement, parameters, context, executemany) -> None:
        if not any("\x00" in value for value in _bound_strings(parameters)):
            return
        named = getattr(context, "compiled_parameters", None) or []
        columns = {_BIND_SUFFIX.sub("", key) for row in named for key, value in row.items()
                   if isinstance(value, str) and "\x00" in value}
        raise ValidationFailed({c: error_text("control_chars") for c in sorted(columns)}
                               or {"_": error_text("control_chars")}, error_text("nul_refused"))


def _bound_strings(parameters: Any) -> Iterator[str]:
    """The strings among bound parameters: one row or many, positional or named."""
    if isinstance(parameters, dict):
        parameters = parameters.values()
    for value in parameters or ():
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict | list | tuple):
            yield from _bound_strings(value)


def blank_to_none(value: Any) -> Any:
    """A blank form or query value (empty or whitespace) read as absent."""
    return None if isinstance(value, str) and not value.strip() else value


class ListQuery(BaseModel):
    """The shared tail of a list's filters (page and API): unknown keys ignored, blanks
    absent, bounded paging. A list adds its own filters by subclassing."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    page: int = Field(default=1, ge=1, le=100000)
    per_page: int = Field(default=20, ge=1, le=200)

    @field_validator("*", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        if blank_to_none(value) is None:
            raise PydanticUseDefault()  # a blank filter is no filter: ``?sort=`` sorts as usual
        return value
