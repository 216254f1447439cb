"""Check user-supplied values against a manifest and turn them into typed values.

:func:`validate_values` never raises for bad input: it returns the cleaned values
(``str``, ``bool``, ``datetime.date``, ``decimal.Decimal``, ``int``, lists) and a dict of
Chinese messages keyed by field path (``annual_fee``, ``lawyers[0].licence_no``).
HTML is ordinary text here (the renderer writes it literally); control characters,
bidirectional overrides and template markup are refused.
"""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from .messages import text
from .rules import check_rules

if TYPE_CHECKING:
    from .manifest import FieldSpec, Manifest

_CENT = Decimal("0.01")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONEY = re.compile(r"^-?\d+(\.\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_MARKUP = ("{{", "}}", "{%", "%}")
_FORBIDDEN = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFFFE, 0xFFFF)}


class _Invalid(Exception):
    """One field's value is wrong; ``args[0]`` is the Chinese message."""


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _bad_char(char: str, multiline: bool) -> bool:
    if char == "\n" and multiline:
        return False
    return unicodedata.category(char) in ("Cc", "Cs") or char in _FORBIDDEN


def _text(spec: FieldSpec, raw: Any, label: str) -> str:
    if not isinstance(raw, str):
        raise _Invalid(text("not_text", label=label))
    value = unicodedata.normalize("NFC", raw.replace("\r\n", "\n")).strip()
    if any(_bad_char(char, spec.multiline) for char in value):
        raise _Invalid(text("control_chars", label=label))
    if any(mark in value for mark in _MARKUP):
        raise _Invalid(text("template_markup", label=label))
    if spec.max_length is not None and len(value) > spec.max_length:
        raise _Invalid(text("too_long", label=label, max_length=spec.max_length))
    if spec.min_length is not None and len(value) < spec.min_length:
        raise _Invalid(text("too_short", label=label, min_length=spec.min_length))
    if spec.pattern is not None and not re.fullmatch(spec.pattern, value):
        raise _Invalid(spec.pattern_message or text("pattern", label=label))
    return value


def _date(spec: FieldSpec, raw: Any, label: str) -> date:
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, str) and _ISO_DATE.match(raw.strip()):
        with contextlib.suppress(ValueError):
            raw = date.fromisoformat(raw.strip())
    if not isinstance(raw, date):
        raise _Invalid(text("not_date", label=label))
    _check_range(spec, raw, label, "date_range")
    return raw


def _money(spec: FieldSpec, raw: Any, label: str) -> Decimal:
    if isinstance(raw, float) and math.isfinite(raw):
        raw = repr(raw)
    if isinstance(raw, str):
        raw = raw.strip().lstrip("¥￥").replace(",", "")
        raw = Decimal(raw) if _MONEY.match(raw) else None
    elif isinstance(raw, int) and not isinstance(raw, bool):
        raw = Decimal(raw)
    if not isinstance(raw, Decimal) or not raw.is_finite():
        raise _Invalid(text("not_money", label=label))
    if raw < 0:
        raise _Invalid(text("money_negative", label=label))
    _check_range(spec, raw, label, "money_range")
    try:
        cents = raw.quantize(_CENT)
    except InvalidOperation:
        raise _Invalid(text("not_money", label=label)) from None
    if raw != cents:
        raise _Invalid(text("money_decimals", label=label))
    return cents


def _integer(spec: FieldSpec, raw: Any, label: str) -> int:
    if isinstance(raw, str) and _INTEGER.match(raw.strip()):
        raw = int(raw.strip())
    elif isinstance(raw, float | Decimal) and math.isfinite(raw) and raw == int(raw):
        raw = int(raw)
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise _Invalid(text("not_integer", label=label))
    _check_range(spec, raw, label, "integer_range")
    return raw


_TRUE = frozenset({"true", "1", "on", "yes", "y", "是"})
_FALSE = frozenset({"false", "0", "off", "no", "n", "否"})


def _boolean(spec: FieldSpec, raw: Any, label: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    raise _Invalid(text("not_boolean", label=label))


def _choice(spec: FieldSpec, raw: Any, label: str) -> str:
    if not isinstance(raw, str) or spec.choice(raw.strip()) is None:
        raise _Invalid(text("not_choice", label=label))
    return raw.strip()


def _check_range(spec: FieldSpec, value: Any, label: str, code: str) -> None:
    low, high = spec.bound("minimum"), spec.bound("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        raise _Invalid(text(code, label=label, min=_shown(low), max=_shown(high)))


def _shown(bound: Any) -> str:
    if bound is None:
        return "不限"
    return f"{bound:,}" if isinstance(bound, int | Decimal) else str(bound)


_SCALARS = {"text": _text, "boolean": _boolean, "date": _date, "money": _money, "integer": _integer,
            "choice": _choice}


def _list(spec: FieldSpec, raw: Any, label: str, path: str, errors: dict[str, str],
          missing: list[str]) -> list:
    if not isinstance(raw, list | tuple):
        raise _Invalid(text("not_list", label=label))
    if spec.min_items is not None and len(raw) < spec.min_items:
        raise _Invalid(text("list_too_short", label=label, min_items=spec.min_items))
    if spec.max_items is not None and len(raw) > spec.max_items:
        raise _Invalid(text("list_too_long", label=label, max_items=spec.max_items))
    before = len(errors)
    if spec.items is not None:
        checker = _SCALARS[spec.items.type]
        cleaned: list = []
        for index, item in enumerate(raw):
            try:
                cleaned.append(checker(spec.items, item, f"{label}第{index + 1}项"))
            except _Invalid as exc:
                errors[f"{path}[{index}]"] = exc.args[0]
        if spec.unique and len(set(cleaned)) != len(cleaned):
            errors[path] = text("list_duplicate", label=label)
    else:
        cleaned = [_object(spec, item, f"{label}第{index + 1}项", f"{path}[{index}]", errors,
                           missing) for index, item in enumerate(raw)]
        for sub in spec.item_fields:
            seen = [item.get(sub.name) for item in cleaned if item.get(sub.name) is not None]
            if sub.unique and len(set(seen)) != len(seen):
                errors[f"{path}.{sub.name}"] = text("list_duplicate", label=label + sub.label)
    if len(errors) > before:
        raise _Invalid(None)
    return cleaned


def _object(spec: FieldSpec, raw: Any, label: str, path: str, errors: dict[str, str],
            missing: list[str]) -> dict:
    keys = "、".join(sub.label for sub in spec.item_fields)
    if not isinstance(raw, Mapping):
        errors[path] = text("not_object", label=spec.label, keys=keys)
        return {}
    return _fields(spec.item_fields, raw, errors, missing, prefix=f"{path}.", label_prefix=label)


def _fields(specs: tuple[FieldSpec, ...], values: Mapping[str, Any], errors: dict[str, str],
            missing: list[str], prefix: str = "", label_prefix: str = "") -> dict[str, Any]:
    known = {spec.name for spec in specs}
    for name in values:
        if name not in known:
            errors[f"{prefix}{name}"] = text("unknown_field", name=name)
    clean: dict[str, Any] = {}
    for spec in specs:
        path, label, raw = prefix + spec.name, label_prefix + spec.label, values.get(spec.name)
        if _is_blank(raw):
            if spec.required:
                errors[path] = text("required", label=label)
                missing.append(path)
            elif spec.type == "list":
                clean[spec.name] = []
            continue
        try:
            if spec.type == "list":
                clean[spec.name] = _list(spec, raw, label, path, errors, missing)
            else:
                clean[spec.name] = _SCALARS[spec.type](spec, raw, label)
        except _Invalid as exc:
            if exc.args[0] is not None:
                errors[path] = exc.args[0]
    return clean


@dataclass
class ValueReport:
    """Outcome of checking values: typed ``clean`` values, ``errors`` by field path, and
    ``missing``, the paths of required fields left blank (also listed in ``errors``)."""

    clean: dict[str, Any]
    errors: dict[str, str]
    missing: list[str] = field(default_factory=list)


def validate_values(manifest: Manifest, values: Mapping[str, Any]
                    ) -> tuple[dict[str, Any], dict[str, str]]:
    """Check ``values`` against ``manifest``: ``(clean_values, errors)``.

    ``errors`` maps a field path to a Chinese message and is empty when every value
    is acceptable; ``clean_values`` then holds exactly the manifest's fields that
    have a value (an optional list without items is ``[]``).
    """
    report = check_values(manifest, values)
    return report.clean, report.errors


def check_values(manifest: Manifest, values: Mapping[str, Any]) -> ValueReport:
    """Like :func:`validate_values`, also naming the required fields left blank."""
    errors: dict[str, str] = {}
    if not isinstance(values, Mapping):
        return ValueReport({}, {"": text("not_object", label="取值", keys="字段")})
    missing: list[str] = []
    clean = _fields(manifest.fields, values, errors, missing)
    check_rules(manifest, clean, errors)
    return ValueReport(clean, errors, missing)


def dump_values(manifest: Manifest, clean: Mapping[str, Any]) -> dict[str, Any]:
    """Clean values as JSON-safe data (ISO dates, money as ``"68000.00"``), for storing."""

    def dump(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        if isinstance(value, list):
            return [dump(item) for item in value]
        if isinstance(value, Mapping):
            return {key: dump(item) for key, item in value.items()}
        return value

    return {spec.name: dump(clean[spec.name]) for spec in manifest.fields if spec.name in clean}
