"""Scoring rules of computed criteria items (计分规则), in the bureau's words.

The stored rule is unchanged JSON (see ``criteria.computed_points``): ``{"full_at": N}``,
``{"per": N}``, ``{"none": "full"|"zero"}`` or none. Bureau staff never type it: the
criteria form offers a rule *kind* per row — only the kinds that fit the chosen
indicator's type — a number N where the kind needs one, and for indicators that can
have no cases what they score then. :class:`RuleForm` (pydantic, through
``webapp.validation.parse``) turns those inputs into the stored rule; :func:`form_values`
shows a stored rule in the same inputs; :func:`describe` says a rule in Chinese.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from ..errors import ValidationFailed
from ..messages import LABELS, error_text
from ..validation import blank_to_none, parse
from .indicators import BY_CODE, Indicator

RuleKind = Literal["full_at", "per", "ratio", "flag"]
# which rule kinds fit which indicator type (``Indicator.kind``)
KINDS_FOR: dict[str, tuple[str, ...]] = {
    "count": ("full_at", "per"), "sum": ("full_at", "per"), "number": ("full_at", "per"),
    "ratio": ("ratio",), "flag": ("flag",),
}
NEEDS_N = ("full_at", "per")
NO_CASES = ("ratio", "number")  # indicator types whose value may be "no cases" (None)
MAX_N = Decimal(10000)
PLAIN_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
FORM_FIELDS = ("rule_kind", "rule_n", "rule_none")


def _number(value: Decimal) -> int | float:
    """N as stored in the JSON rule: an int when whole."""
    return int(value) if value == value.to_integral_value() else float(value)


class RuleForm(BaseModel):
    """One row's rule inputs, checked against the type of the row's indicator."""

    model_config = ConfigDict(extra="forbid")

    indicator_kind: str
    rule_kind: RuleKind | None = None
    rule_n: Decimal | None = None
    rule_none: Literal["full", "zero"] | None = None

    @field_validator("rule_kind", "rule_none", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return blank_to_none(value)

    @field_validator("rule_n", mode="before")
    @classmethod
    def _n(cls, value: Any) -> Decimal | None:
        value = blank_to_none(value)
        if value is None:
            return None
        text = str(value).strip()
        if not PLAIN_DECIMAL.fullmatch(text):  # no 1e3, NaN, +5 or 1_000: digits as written
            raise ValueError(error_text("criteria_rule_n"))
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(error_text("criteria_rule_n")) from exc
        if (not number.is_finite() or number <= 0 or number > MAX_N
                or number != number.quantize(Decimal("0.01"))):
            raise ValueError(error_text("criteria_rule_n"))
        return number

    @model_validator(mode="after")
    def _fits(self) -> RuleForm:
        """The kind fits the indicator and N is there when the kind needs it.

        Raises ``ValidationFailed`` (not a ValueError, so pydantic lets it through) to
        name the input the message belongs on.
        """
        allowed = KINDS_FOR.get(self.indicator_kind, ())
        if self.rule_kind is None and len(allowed) == 1:
            self.rule_kind = allowed[0]  # type: ignore[assignment]
        if self.rule_kind is None:
            raise ValidationFailed({"rule_kind": error_text("criteria_rule_kind_required")})
        if self.rule_kind not in allowed:
            raise ValidationFailed({"rule_kind": error_text("criteria_rule_kind_invalid")})
        if self.rule_kind in NEEDS_N and self.rule_n is None:
            raise ValidationFailed({"rule_n": error_text("criteria_rule_n")})
        return self

    def stored(self) -> dict[str, Any] | None:
        """The rule as stored (the JSON ``criteria.computed_points`` reads)."""
        rule: dict[str, Any] = {}
        if self.rule_kind in NEEDS_N and self.rule_n is not None:
            rule[self.rule_kind] = _number(self.rule_n)
        if self.indicator_kind in NO_CASES:
            rule["none"] = self.rule_none or "full"
        return rule or None


def rule_from_form(row: dict[str, Any], indicator: Indicator, prefix: str,
                   errors: dict[str, str]) -> dict[str, Any] | None:
    """The stored rule of a form row; a message in ``errors[prefix + field]`` when invalid."""
    data = {"indicator_kind": indicator.kind,
            **{name: row.get(name) for name in FORM_FIELDS if row.get(name) is not None}}
    allowed = KINDS_FOR.get(indicator.kind, ())
    kind = str(data.get("rule_kind") or "").strip() or (allowed[0] if len(allowed) == 1 else "")
    if kind and kind not in NEEDS_N:
        data.pop("rule_n", None)  # an N left beside a rule that takes none (seen without JS)
    try:
        return parse(RuleForm, data).stored()
    except ValidationFailed as exc:
        for name, message in exc.fields.items():
            field = name if name in FORM_FIELDS[1:] else "rule_kind"
            errors.setdefault(prefix + field, message)
        return None


def form_values(rule: dict[str, Any] | None, indicator_code: str | None) -> dict[str, str]:
    """The rule inputs showing a stored rule (an edited or copied version)."""
    indicator = BY_CODE.get(indicator_code or "")
    rule = rule or {}
    if indicator is None:  # a manual item
        return {"rule_kind": "", "rule_n": "", "rule_none": "full"}
    kind = indicator.kind
    if "per" in rule:
        chosen, n = "per", rule["per"]
    elif kind in ("ratio", "flag"):
        chosen, n = kind, None
    else:
        chosen, n = "full_at", rule.get("full_at", 1)
    return {"rule_kind": chosen, "rule_n": "" if n is None else f"{n:g}",
            "rule_none": rule.get("none", "full")}


def describe(rule: dict[str, Any] | None, indicator_code: str | None) -> str:
    """The rule in Chinese, e.g. 达到 5 件得满分，不足按比例 (empty for a manual item)."""
    indicator = BY_CODE.get(indicator_code or "")
    if indicator is None:
        return ""
    values = form_values(rule, indicator_code)
    texts = LABELS["criteria_rule_text"]
    unit = texts["unit_number"] if indicator.kind == "number" else texts["unit"]
    text = texts[values["rule_kind"]].format(n=values["rule_n"], unit=unit)
    if indicator.kind in NO_CASES:
        text += "；" + LABELS["criteria_rule_none"][values["rule_none"]]
    return text


def choices() -> list[dict[str, str]]:
    """Every rule kind with its label and the indicator types it fits (for the form)."""
    return [{"value": kind, "label": LABELS["criteria_rule_kind"][kind],
             "fits": " ".join(t for t, kinds in KINDS_FOR.items() if kind in kinds)}
            for kind in ("full_at", "per", "ratio", "flag")]
