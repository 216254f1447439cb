"""Cross-field rules of a manifest, declared as data and checked on clean values.

``{"kind": "after", "field": "end_date", "other": "start_date"}``
    ``field`` must come after ``other`` (dates, money, integers);
``{"kind": "after_or_equal", …}``
    ``field`` must not come before ``other``;
``{"kind": "required_if", "field": "new_annual_fee", "other": "change_fee"}``
    ``field`` must be filled when the boolean ``other`` is true, or, with
    ``"equals": "replace"``, when the choice ``other`` has that value;
``{"kind": "any_true", "fields": ["change_fee", "extend_term"]}``
    at least one of these boolean fields must be true.

Each rule may carry its own Chinese ``message``. Nothing is evaluated: a rule
is a fixed comparison between named values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from .messages import text

if TYPE_CHECKING:
    from .manifest import Manifest

COMPARABLE = ("date", "money", "integer")


class Rule(BaseModel):
    """One cross-field rule (see the module docstring for the kinds)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["after", "after_or_equal", "required_if", "any_true"]
    field: str | None = None
    other: str | None = None
    equals: str | None = None
    fields: tuple[str, ...] = ()
    message: str | None = None


def rule_error(rule: Rule, types: Mapping[str, Any]) -> str | None:
    """Why ``rule`` does not fit the manifest's fields (``types``: name -> FieldSpec)."""
    if rule.kind == "any_true":
        if len(rule.fields) < 2 or rule.field or rule.other:
            return "any_true needs two or more 'fields' and nothing else"
        bad = [name for name in rule.fields if getattr(types.get(name), "type", None)
               != "boolean"]
        return f"any_true: not boolean fields: {bad}" if bad else None
    if rule.field not in types or rule.other not in types or rule.fields:
        return f"rule {rule.kind}: {rule.field}/{rule.other} must be declared fields"
    other = types[rule.other]
    if rule.kind == "required_if":
        if rule.equals is None and other.type != "boolean":
            return f"required_if: {rule.other} is not boolean (give 'equals' for a choice)"
        if rule.equals is not None and (other.type != "choice" or other.choice(rule.equals)
                                        is None):
            return f"required_if: {rule.equals!r} is not a choice of {rule.other}"
        if types[rule.field].required:
            return f"required_if: {rule.field} must be optional"
        return None
    if rule.equals is not None or {types[rule.field].type, other.type} - set(COMPARABLE):
        return f"rule {rule.kind}: {rule.field}/{rule.other} not comparable"
    return None


def _blank(value: Any) -> bool:
    return value is None or value == [] or value == ""


def check_rules(manifest: Manifest, clean: Mapping[str, Any], errors: dict[str, str]) -> None:
    """Add a Chinese message to ``errors`` (keyed by field) for each rule ``clean`` breaks."""
    spec = manifest.by_name
    for rule in manifest.rules:
        if rule.kind == "any_true":
            if not any(clean.get(name) is True for name in rule.fields):
                labels = "、".join(spec[name].label for name in rule.fields)
                errors.setdefault(rule.fields[0], rule.message or text("any_true", labels=labels))
            continue
        assert rule.field is not None and rule.other is not None
        if rule.field in errors or rule.other in errors:
            continue
        value, other = clean.get(rule.field), clean.get(rule.other)
        if rule.kind == "required_if":
            wanted = True if rule.equals is None else rule.equals
            if other == wanted and _blank(value):
                errors[rule.field] = rule.message or text(
                    "required_if", label=spec[rule.field].label,
                    other_label=_other_label(manifest, rule))
            continue
        if value is None or other is None:
            continue
        if value < other or (rule.kind == "after" and value == other):
            errors[rule.field] = rule.message or text(
                rule.kind, label=spec[rule.field].label, other_label=spec[rule.other].label)


def _other_label(manifest: Manifest, rule: Rule) -> str:
    other = manifest.by_name[rule.other or ""]
    if rule.equals is None:
        return other.label
    choice = other.choice(rule.equals)
    return f"{other.label}：{choice.label if choice else rule.equals}"
