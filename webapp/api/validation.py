"""Request parsing with pydantic, turning its errors into Chinese per-field messages."""

from __future__ import annotations

from typing import TypeVar

from flask import request
from pydantic import BaseModel, ValidationError

from ..errors import DomainError, ValidationFailed
from ..messages import error_text

M = TypeVar("M", bound=BaseModel)

_TYPE_CODES = {
    "missing": "required", "int_parsing": "invalid_integer", "int_type": "invalid_integer",
    "int_from_float": "invalid_integer", "date_parsing": "invalid_date",
    "date_from_datetime_parsing": "invalid_date", "date_type": "invalid_date",
    "date_from_datetime_inexact": "invalid_date", "extra_forbidden": "unknown_field",
    "literal_error": "invalid_choice", "enum": "invalid_choice",
    "greater_than_equal": "negative", "greater_than": "negative",
}


def _message(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "string_too_long":
        return error_text("too_long", max=err.get("ctx", {}).get("max_length", ""))
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err.get("msg", "")))
    code = _TYPE_CODES.get(kind)
    return error_text(code) if code else error_text("validation")


def errors_to_fields(exc: ValidationError) -> dict[str, str]:
    """``{field: Chinese message}`` from a pydantic ValidationError."""
    fields: dict[str, str] = {}
    for err in exc.errors():
        name = ".".join(str(p) for p in err.get("loc", ())) or "_"
        fields.setdefault(name, _message(err))
    return fields


def parse(model: type[M], data: dict) -> M:
    """Validate ``data`` against ``model`` or raise ValidationFailed (422)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(errors_to_fields(exc)) from exc


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
        raise DomainError("bad_request", "请求体必须是 JSON 对象。")
    return parse(model, body)
