"""Audit events in words, for the history tables of the detail pages.

An event's ``detail`` is machine data (JSON). :func:`describe` turns it into
plain Chinese lines: "字段：旧值 → 新值" for a change (``changes``,
``before``/``after``, ``from``/``to``), "字段：值" for a fact. Field names come
from ``LABELS["history_field"]`` (or the contract template's manifest), values
from the vocabularies (document fields: from their registry, ``webapp.documents.registry``);
the lines are plain text, escaped by the template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from ..assessments.linking import PERIOD
from ..assessments.periods import period_label
from ..documents import registry
from ..extensions import db
from ..messages import LABELS, label
from ..models import Advisor, Agency, LawFirm

VOCABULARY = {"doc_type": "doc_type", "from": "engagement_status", "to": "engagement_status",
              "role": "role", "action": "policy_action"}
REFERENCES = {"agency_id": Agency, "advisor_id": Advisor, "firm_id": LawFirm}
HIDDEN = {"document_id", "signed_document_id", "renewed_by_id", "renewed_from_id",
          "engagement_id", "record", "to"}
MONEY = {"annual_fee"}
VERSIONS = {"version", "template_version", "criteria_version"}
PERIODS = {"period", "valid_from"}
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
ARROW = " → "


def _text(key: str, **params: object) -> str:
    return LABELS["history_value"][key].format(**params)


def _document_field(key: str, manifest: Any) -> Any:
    """The document field ``key`` (registry or custom), when no manifest names fields."""
    return registry.find(key) if manifest is None else None


def _name(key: str, manifest: Any = None) -> str:
    spec = manifest.field(key) if manifest is not None else None
    if spec is not None:
        return spec.label
    field = _document_field(key, manifest)
    return (LABELS["history_field"].get(key) or (field.label if field else None)
            or LABELS.get("engagement_field", {}).get(key) or key)


def _choice(spec: Any, value: Any) -> str | None:
    choices = spec.choices or (spec.items.choices if getattr(spec, "items", None) else None)
    for choice in choices or ():
        if choice.value == value:
            return choice.label
    return None


def _reference(key: str, value: Any) -> str:
    obj = db.session.get(REFERENCES[key], value) if isinstance(value, int) else None
    return obj.name if obj is not None else _text("ref", id=value)


def _scalar(key: str, value: Any, manifest: Any) -> str:
    field = _document_field(key, manifest) if key not in REFERENCES else None
    if field is not None and field.kind in ("choice", "agency", "advisor"):
        return registry.text(field, value)
    spec = manifest.field(key) if manifest is not None else None
    choice = _choice(spec, value) if spec is not None else None
    if choice is not None:
        return choice
    if isinstance(value, bool):
        return _text("yes" if value else "no")
    if key in REFERENCES:
        return _reference(key, value)
    if key in VOCABULARY:
        return label(VOCABULARY[key], value)
    if key in MONEY or (spec is not None and spec.type == "money"):
        return f"¥{float(value):,.2f}" if _is_number(value) else str(value)
    if key in PERIODS and isinstance(value, str) and PERIOD.match(value):
        return period_label(value)
    if key in VERSIONS and isinstance(value, int):
        return _text("version", n=value)
    if key == "size" and isinstance(value, int):
        return f"{value / 1024:.1f} KB" if value >= 1024 else f"{value} B"
    if isinstance(value, date | datetime):
        value = value.isoformat()[:10]
    match = ISO_DATE.match(value) if isinstance(value, str) else None
    if match:
        year, month, day = (int(g) for g in match.groups())
        return f"{year}年{month}月{day}日"
    return str(value)


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def value_text(key: str, value: Any, manifest: Any = None) -> str:
    """One value in words: labels, names, dates, money; lists joined with "、"."""
    if value is None or value == "" or value == [] or value == {}:
        return _text("empty")
    if isinstance(value, list):
        if all(isinstance(v, Mapping) for v in value):
            names = [str(v["name"]) for v in value if v.get("name")]
            return "、".join(names) if len(names) == len(value) else _text("count",
                                                                          count=len(value))
        return "、".join(value_text(key, v, manifest) for v in value)
    if isinstance(value, Mapping):
        return "；".join(f"{_name(k, manifest)} {value_text(k, v, manifest)}"
                        for k, v in value.items())
    return _scalar(key, value, manifest)


def _change(key: str, before: Any, after: Any, manifest: Any) -> str:
    return (f"{_name(key, manifest)}：{value_text(key, before, manifest)}{ARROW}"
            f"{value_text(key, after, manifest)}")


def _changes(detail: Mapping[str, Any], manifest: Any) -> list[str]:
    lines = []
    for key, change in (detail.get("changes") or {}).items():
        if isinstance(change, Mapping):
            lines.append(_change(key, change.get("before"), change.get("after"), manifest))
    before, after = detail.get("before"), detail.get("after")
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        lines += [_change(k, before.get(k), after.get(k), manifest)
                  for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    elif isinstance(after, Mapping):
        lines += [f"{_name(k, manifest)}：{value_text(k, v, manifest)}"
                  for k, v in after.items() if v not in (None, "", [], {})]
    if "from" in detail and "to" in detail:
        lines.insert(0, _change("from", detail["from"], detail["to"], manifest))
    return lines


def describe(detail: Mapping[str, Any] | None, manifest: Any = None) -> list[str]:
    """The lines shown for one event's ``detail`` (``manifest`` names contract fields)."""
    if not isinstance(detail, Mapping):
        return [] if detail in (None, "") else [str(detail)]
    lines = _changes(detail, manifest)
    skip = HIDDEN | {"changes", "before", "after", "from"}
    if "changes" in detail:
        skip.add("changed")
    for key, value in detail.items():
        if key in skip or value is None:
            continue
        if key == "changed" and isinstance(value, list):
            lines.append(f"{_name(key)}：" + "、".join(_name(k, manifest) for k in value))
        else:
            lines.append(f"{_name(key, manifest)}：{value_text(key, value, manifest)}")
    return lines
