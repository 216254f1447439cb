"""The field manifest of a contract template: which values it takes and their rules.

A manifest is a JSON file beside the template (``manifest.json``)::

    {"template": "standard", "version": "v1", "title": "…",
     "fields": [{"name": "annual_fee", "label": "年度顾问费", "type": "money",
                 "required": true, "minimum": 0, "maximum": 10000000}, …],
     "rules": [{"kind": "after", "field": "end_date", "other": "start_date"}]}

Field types: ``text`` (``max_length``, ``min_length``, ``pattern``, ``multiline``),
``boolean`` (是/否; a condition for paragraph blocks; unset counts as false),
``date`` (ISO ``YYYY-MM-DD``; ``minimum``/``maximum`` as ISO dates), ``money``
(yuan, at most two decimals, never negative), ``integer``, ``choice``
(``choices``: value, Chinese label, optional clause ``text`` printed in the
contract) and ``list`` (either scalar ``items`` or objects with ``item_fields``;
``min_items``, ``max_items``, ``unique``; a list of objects may say
``"first_match": {"item": "name", "field": "advisor_name"}``: the item whose
``name`` equals the value of ``advisor_name`` is printed first). An optional
field may declare a ``default`` that the contract prints when no value is given.

Besides ``fields`` and ``rules`` (:mod:`contract_templates.rules`) a manifest has
``kind`` (:mod:`contract_templates.kinds`; default ``standard``), optional
``document_title`` (the generated file's title property; default ``title``),
``clauses`` (the optional clauses the template offers, each
``{"name": …, "label": …}``, placed with ``{% clause name %}``; see
:mod:`contract_templates.clauses`) and ``sample`` (values an admin preview
renders before the version is activated; see :mod:`contract_templates.preview`).

:func:`validate_values` (from :mod:`contract_templates.values`) checks user
input against a manifest.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ManifestError
from .kinds import DEFAULT_KIND, kind_codes
from .messages import text
from .rules import Rule, rule_error
from .values import dump_values, validate_values

__all__ = ["Choice", "ClauseSlot", "FieldSpec", "FirstMatch", "Manifest", "Rule",
           "RESERVED_ITEM_KEYS", "dump_values", "load_manifest", "parse_manifest",
           "validate_values"]

FieldType = Literal["text", "boolean", "date", "money", "integer", "choice", "list"]
NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
RESERVED_ITEM_KEYS = frozenset({"index", "index_cn", "label", "text", "value"})
"""Names a list item field may not take: the renderer uses them (``{{ lawyers.index }}``)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Choice(_Frozen):
    """One allowed value of a ``choice`` field or of a list of choices."""

    value: str = Field(pattern=NAME_PATTERN)
    label: str = Field(min_length=1)
    text: str | None = None

    @property
    def printed(self) -> str:
        """What the contract prints for this choice: its clause ``text`` or its label."""
        return self.text or self.label


class FirstMatch(_Frozen):
    """List ordering: the item whose ``item`` attribute equals field ``field`` comes first."""

    item: str = Field(pattern=NAME_PATTERN)
    field: str = Field(pattern=NAME_PATTERN)


class ClauseSlot(_Frozen):
    """An optional clause a template offers: its library ``name`` and a Chinese ``label``."""

    name: str = Field(pattern=NAME_PATTERN)
    label: str = Field(min_length=1)
    help: str | None = None


class FieldSpec(_Frozen):
    """One field: name, Chinese label, type and validation settings."""

    name: str = Field(pattern=NAME_PATTERN)
    label: str = Field(min_length=1)
    type: FieldType
    required: bool = True
    default: str | None = None
    help: str | None = None
    max_length: int | None = Field(default=None, gt=0)
    min_length: int | None = Field(default=None, ge=0)
    multiline: bool = False
    pattern: str | None = None
    pattern_message: str | None = None
    minimum: int | float | str | None = None
    maximum: int | float | str | None = None
    choices: tuple[Choice, ...] = ()
    items: FieldSpec | None = None
    item_fields: tuple[FieldSpec, ...] = ()
    min_items: int | None = Field(default=None, ge=0)
    max_items: int | None = Field(default=None, gt=0)
    unique: bool = False
    first_match: FirstMatch | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FieldSpec:
        if self.type == "choice" and not self.choices:
            raise ValueError(f"{self.name}: a choice field needs choices")
        if self.type == "list" and (self.items is None) == (not self.item_fields):
            raise ValueError(f"{self.name}: a list needs either items or item_fields")
        if self.default is not None and self.required:
            raise ValueError(f"{self.name}: only an optional field may have a default")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"{self.name}: bad pattern: {exc}") from exc
        if self.first_match is not None and self.item_field(self.first_match.item) is None:
            raise ValueError(f"{self.name}: first_match.item must be one of its item fields")
        names = [f.name for f in self.item_fields]
        if len(set(names)) != len(names) or RESERVED_ITEM_KEYS & set(names):
            raise ValueError(f"{self.name}: item field names must be unique and not reserved")
        self.bound("minimum")
        self.bound("maximum")
        return self

    def bound(self, which: Literal["minimum", "maximum"]) -> Any:
        """``minimum``/``maximum`` converted to the field's type (``None`` when unset)."""
        raw = getattr(self, which)
        if raw is None:
            return None
        try:
            if self.type == "date":
                return date.fromisoformat(str(raw))
            if self.type == "money":
                return Decimal(str(raw))
            if self.type == "integer" and not isinstance(raw, float):
                return int(raw)
        except (ValueError, InvalidOperation):
            pass
        raise ValueError(f"{self.name}: {which} {raw!r} does not fit type {self.type}")

    def choice(self, value: str) -> Choice | None:
        """The choice with this ``value``, if any (also for a list of choices)."""
        options = self.items.choices if self.items is not None else self.choices
        return next((c for c in options if c.value == value), None)

    def item_field(self, name: str) -> FieldSpec | None:
        """The item field ``name`` of a list of objects."""
        return next((f for f in self.item_fields if f.name == name), None)


class Manifest(_Frozen):
    """All fields of one template version, the rules between them, its kind and clauses."""

    template: str = Field(pattern=NAME_PATTERN)
    version: str = Field(pattern=r"^v[1-9][0-9]{0,5}$")
    title: str = Field(min_length=1)
    kind: str = DEFAULT_KIND
    document_title: str | None = None
    fields: tuple[FieldSpec, ...]
    rules: tuple[Rule, ...] = ()
    clauses: tuple[ClauseSlot, ...] = ()
    sample: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Manifest:
        if self.kind not in kind_codes():
            raise ValueError(text("kind_unknown", kind=self.kind, kinds="、".join(kind_codes())))
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("field names must be unique")
        clause_names = [c.name for c in self.clauses]
        if len(set(clause_names)) != len(clause_names):
            raise ValueError("clause names must be unique")
        by_name = {f.name: f for f in self.fields}
        for rule in self.rules:
            problem = rule_error(rule, by_name)
            if problem is not None:
                raise ValueError(problem)
        for spec in self.fields:
            match = spec.first_match
            if match is not None and getattr(by_name.get(match.field), "type", None) != "text":
                raise ValueError(f"{spec.name}: first_match.field must be a text field")
        return self

    @cached_property
    def by_name(self) -> dict[str, FieldSpec]:
        """Fields keyed by name."""
        return {f.name: f for f in self.fields}

    def field(self, name: str) -> FieldSpec | None:
        """The field called ``name``, if the manifest declares it."""
        return self.by_name.get(name)

    def clause_slot(self, name: str) -> ClauseSlot | None:
        """The optional clause called ``name``, if the template offers it."""
        return next((slot for slot in self.clauses if slot.name == name), None)

    @property
    def labels(self) -> dict[str, str]:
        """Chinese label of every field, keyed by name."""
        return {f.name: f.label for f in self.fields}

    def to_dict(self) -> dict[str, Any]:
        """The manifest as JSON-ready data (defaults left out), e.g. for a JSON column."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def to_json(self) -> str:
        """The manifest as stable, pretty JSON (UTF-8 text, Chinese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def parse_manifest(data: str | bytes | dict[str, Any]) -> Manifest:
    """Build a :class:`Manifest` from JSON text or a dict; raise :class:`ManifestError`."""
    try:
        if isinstance(data, str | bytes):
            data = json.loads(data)
        return Manifest.model_validate(data)
    except (ValueError, ValidationError) as exc:
        detail = str(exc)
        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            detail = ".".join(map(str, first["loc"])) + ": " + first["msg"]
        raise ManifestError(detail) from exc


def load_manifest(path: str | Path) -> Manifest:
    """Read and check the manifest at ``path``."""
    return parse_manifest(Path(path).read_bytes())
