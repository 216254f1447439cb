"""Versioned scoring criteria (考评标准) and how a computed item turns a value into points.

A version applies from its ``valid_from`` quarter until a later version takes over;
among versions with the same ``valid_from`` the highest number wins. A finalised
record keeps the version it was scored under (``criteria_id``), so past periods
keep their criteria. A new version may not take effect in a quarter that already
has a finalised record: it would silently change a closed period.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select

from ..audit.services import record as audit
from ..errors import ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import AssessmentCriteria, AssessmentItem, AssessmentRecord, User
from . import rules
from .indicators import BY_CODE
from .linking import parse_period
from .periods import next_period, period_label

CODE = re.compile(r"^[A-Za-z0-9_]{1,32}$")
RULE_KEYS = {"full_at", "per", "none"}
CENT = Decimal("0.01")


def parse_points(raw: Any, maximum: Decimal | None = None) -> Decimal:
    """A score or a maximum as Decimal with at most two decimals; ValueError(code) if bad."""
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ValueError("score_invalid") from exc
    if not value.is_finite() or value != value.quantize(CENT):
        raise ValueError("score_invalid")
    if value < 0:
        raise ValueError("score_negative")
    if maximum is not None and value > maximum:
        raise ValueError("score_above_max")
    return value.quantize(CENT)


def criteria_for(period: str) -> AssessmentCriteria | None:
    """The version that applies to ``period`` (None when no version covers it)."""
    parse_period(period)
    return db.session.execute(
        select(AssessmentCriteria).where(AssessmentCriteria.valid_from <= period)
        .order_by(AssessmentCriteria.valid_from.desc(), AssessmentCriteria.version.desc())
        .limit(1)).scalar_one_or_none()


def criteria_of(record: AssessmentRecord) -> AssessmentCriteria | None:
    """The version a record is scored under: fixed once finalised, else the applicable one."""
    if record.status == "finalised" and record.criteria is not None:
        return record.criteria
    return criteria_for(record.period)


def last_finalised_period() -> str | None:
    """The latest quarter with a finalised record."""
    return db.session.execute(select(func.max(AssessmentRecord.period)).where(
        AssessmentRecord.status == "finalised")).scalar_one()


def parse_rule(raw: Any) -> dict[str, Any] | None:
    """The rule of a computed item from JSON text or a dict; ValueError when malformed."""
    if raw in (None, "", {}):
        return None
    rule = json.loads(raw) if isinstance(raw, str) else raw
    if not isinstance(rule, dict) or not set(rule) <= RULE_KEYS:
        raise ValueError("criteria_bad_rule")
    for key in ("full_at", "per"):
        if key in rule and (not isinstance(rule[key], int | float) or rule[key] <= 0):
            raise ValueError("criteria_bad_rule")
    if rule.get("none", "full") not in ("full", "zero"):
        raise ValueError("criteria_bad_rule")
    return rule


def computed_points(item: AssessmentItem, value: Any) -> Decimal:
    """Points of a computed item for an indicator value.

    flag: full marks when true. ratio: maximum × ratio (no cases: full marks, or zero
    with ``{"none": "zero"}``). count: ``per`` points each up to the maximum, or
    maximum × value / ``full_at`` capped at the maximum (default ``full_at`` 1).
    """
    maximum = Decimal(item.max_points)
    rule = item.rule or {}
    kind = BY_CODE[item.indicator].kind
    if kind == "flag":
        points = maximum if value else Decimal(0)
    elif kind == "ratio" or value is None:  # None: no cases (a ratio, a median)
        if value is None:
            points = maximum if rule.get("none", "full") == "full" else Decimal(0)
        else:
            points = maximum * Decimal(str(value))
    elif "per" in rule:
        points = min(maximum, Decimal(str(rule["per"])) * Decimal(value))
    else:
        full_at = Decimal(str(rule.get("full_at", 1)))
        points = maximum * min(Decimal(value), full_at) / full_at
    return points.quantize(CENT)


def _item(index: int, row: dict[str, Any], errors: dict[str, str]) -> AssessmentItem | None:
    key = f"items-{index}-"
    code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
    method = row.get("method") or "manual"
    indicator = (row.get("indicator") or "").strip() or None
    if not CODE.match(code):
        errors[key + "code"] = error_text("criteria_bad_code")
    if not name or len(name) > 128:
        errors[key + "name"] = error_text("required" if not name else "too_long", max=128)
    try:
        max_points = parse_points(row.get("max_points"), Decimal(100))
        if max_points == 0:
            raise ValueError("criteria_max_points")
    except ValueError:
        errors[key + "max_points"] = error_text("criteria_max_points")
        max_points = Decimal(0)
    if method not in ("manual", "computed"):
        errors[key + "method"] = error_text("invalid_choice")
    elif method == "computed" and indicator not in BY_CODE:
        errors[key + "indicator"] = error_text("criteria_indicator_required")
    elif method == "manual" and indicator:
        errors[key + "indicator"] = error_text("criteria_indicator_manual")
    rule = _rule(row, method, indicator, key, errors)
    return AssessmentItem(position=index, code=code, name=name, max_points=max_points,
                          method=method, indicator=indicator, rule=rule)


def _rule(row: dict[str, Any], method: str, indicator: str | None, key: str,
          errors: dict[str, str]) -> dict[str, Any] | None:
    """A form row's rule inputs (``rules.FORM_FIELDS``), else a given stored ``rule``."""
    if any(name in row for name in rules.FORM_FIELDS):
        if method != "computed" or indicator not in BY_CODE:
            return None
        return rules.rule_from_form(row, BY_CODE[indicator], key, errors)
    try:
        return parse_rule(row.get("rule"))
    except ValueError:
        errors[key + "rule"] = error_text("criteria_bad_rule")
        return None


def _blank(row: dict[str, Any]) -> bool:
    return not any((row.get(k) or "").strip() for k in ("code", "name", "max_points"))


def create_criteria(name: str, valid_from: str, rows: list[dict[str, Any]],
                    user: User) -> AssessmentCriteria:
    """Add a new version (flush only); 422 with per-field messages when anything is wrong."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name or len(name) > 128:
        errors["name"] = error_text("required" if not name else "too_long", max=128)
    try:
        parse_period(valid_from, "valid_from")
        locked = last_finalised_period()
        if locked is not None and valid_from <= locked:
            errors["valid_from"] = error_text("criteria_locked_period",
                                              period=period_label(locked),
                                              next=period_label(next_period(locked)))
    except ValidationFailed as exc:
        errors.update(exc.fields)
    items = [(i, row) for i, row in enumerate(rows) if not _blank(row)]
    built = [_item(i, row, errors) for i, row in items]
    if not built:
        errors["items"] = error_text("criteria_no_items")
    codes = [item.code for item in built]
    for (i, _row), item in zip(items, built, strict=True):
        if codes.count(item.code) > 1:
            errors.setdefault(f"items-{i}-code",
                              error_text("criteria_duplicate_code", value=item.code))
    if errors:
        raise ValidationFailed(errors)
    version = (db.session.execute(select(func.max(AssessmentCriteria.version))).scalar_one()
               or 0) + 1
    criteria = AssessmentCriteria(version=version, name=name, valid_from=valid_from,
                                  created_by_id=user.id, items=built)
    db.session.add(criteria)
    db.session.flush()
    audit("assessment_criteria_created", object_type="assessment_criteria",
          object_id=criteria.id, actor=user, detail={"version": version, "valid_from": valid_from,
                                         "items": [_item_json(i) for i in built]})
    return criteria


def _item_json(item: AssessmentItem) -> dict[str, Any]:
    return {"code": item.code, "name": item.name, "max_points": str(item.max_points),
            "method": item.method, "indicator": item.indicator, "rule": item.rule}


def all_versions() -> list[AssessmentCriteria]:
    """Every version, newest first."""
    return list(db.session.execute(select(AssessmentCriteria).order_by(
        AssessmentCriteria.version.desc())).scalars())


def usage_counts() -> dict[int, int]:
    """How many finalised records were scored under each version."""
    rows = db.session.execute(select(AssessmentRecord.criteria_id, func.count()).where(
        AssessmentRecord.status == "finalised").group_by(AssessmentRecord.criteria_id))
    return {cid: n for cid, n in rows if cid is not None}
