"""Document types and their fields, declared once.

Everything that knows a document's metadata asks this registry: the upload and edit
forms (``templates/documents/_meta_fields.html``), the pydantic input, filter and
output models of the pages and the API (``schemas``; hence the OpenAPI document),
the list filters (``queries``), the exports, the audit snapshot and its history
lines (``services``, ``audit.present``) and what is sent to the search index
(``indexing.backend``).

- **A type** is one entry in ``LABELS["doc_type"]`` (``webapp/messages.py``): code and
  Chinese name. A field may apply to some types only (``doc_types``).
- **A field** is one :class:`FieldSpec` in :data:`FIELDS`. With ``column=True`` it is
  a real column of ``documents`` (the existing ones: add a column and a migration
  only when SQL must index or sum it); otherwise its value lives in the JSON column
  ``documents.extra`` under its name, and no migration is needed.
- **Custom fields** are the same specs, defined by an admin in 系统设置
  (``webapp.documents.custom``, table ``document_fields``); :func:`all_fields` is the
  registry plus the active custom fields.

Kinds: ``text``, ``textarea``, ``integer``, ``number``, ``date``, ``bool``, ``choice``
(``choices`` or a ``vocabulary`` of ``LABELS``), ``agency`` and ``advisor`` (links by
id). Flags: ``filterable`` (a list filter, by name), ``searchable`` (its text is
appended to the indexed text; fields the index knows by name are ``indexed``),
``audited`` (in the before/after of the audit trail), ``exported`` (a column of the
list export), ``sortable`` (column fields only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..messages import LABELS

KINDS = ("text", "textarea", "integer", "number", "date", "bool", "choice", "agency",
         "advisor")
TEXT_KINDS = ("text", "textarea")


@dataclass(frozen=True)
class FieldSpec:
    """One metadata field of documents (see the module docstring for the flags)."""

    name: str
    label: str
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()
    vocabulary: str | None = None
    required: bool = False
    filterable: bool = False
    searchable: bool = False
    audited: bool = True
    exported: bool = True
    sortable: bool = False
    column: bool = False
    indexed: bool = False
    doc_types: tuple[str, ...] = ()
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    placeholder: str = ""
    hidden_for: tuple[str, ...] = ()  # roles that do not set it (the advisor is themselves)
    custom: bool = False

    def options(self) -> tuple[tuple[str, str], ...]:
        """(code, label) pairs of a choice field."""
        if self.vocabulary:
            return tuple(LABELS[self.vocabulary].items())
        return self.choices

    def applies_to(self, doc_type: str | None) -> bool:
        """True when documents of ``doc_type`` have this field."""
        return not self.doc_types or doc_type is None or doc_type in self.doc_types


def doc_types() -> tuple[str, ...]:
    """Every document type code, in order."""
    return tuple(LABELS["doc_type"])


FIELDS: list[FieldSpec] = [
    FieldSpec("title", "标题", max_length=200, column=True, sortable=True,
              placeholder="留空则使用文件名"),
    FieldSpec("advisor_id", "法律顾问", "advisor", filterable=True, column=True, indexed=True,
              hidden_for=("advisor",)),
    FieldSpec("issued_on", "出具日期", "date", column=True, sortable=True, indexed=True),
    FieldSpec("service_type", "法律服务类型", "choice", vocabulary="service_type",
              filterable=True, column=True, indexed=True, exported=False),
    FieldSpec("matter_area", "重点领域", "choice", vocabulary="matter_area", filterable=True,
              column=True, indexed=True),
    FieldSpec("meeting_type", "会议类型", "choice", vocabulary="meeting_type", filterable=True,
              column=True, indexed=True),
    FieldSpec("recommendations", "意见建议条数", "integer", column=True, sortable=True,
              minimum=0, maximum=100000, default=0),
    FieldSpec("classified", "涉密文书", "bool", column=True, indexed=True, default=False),
    FieldSpec("notes", "备注", "textarea", max_length=2000, column=True, exported=False),
]


def core_fields() -> tuple[FieldSpec, ...]:
    """The fields declared here (no custom ones)."""
    return tuple(FIELDS)


def all_fields(doc_type: str | None = None) -> tuple[FieldSpec, ...]:
    """The registry plus the active custom fields (of ``doc_type`` when given)."""
    from .custom import custom_fields

    every = (*FIELDS, *custom_fields())
    return tuple(f for f in every if f.applies_to(doc_type))


def find(name: str) -> FieldSpec | None:
    """The field called ``name`` (registry or custom), if any."""
    return next((f for f in all_fields() if f.name == name), None)


def read(doc: Any, spec: FieldSpec) -> Any:
    """The value of ``spec`` on ``doc`` (typed: dates as ``date``)."""
    if spec.column:
        return getattr(doc, spec.name)
    value = (doc.extra or {}).get(spec.name)
    if spec.kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def write(doc: Any, spec: FieldSpec, value: Any) -> None:
    """Set the value of ``spec`` on ``doc`` (a new dict for ``extra``, so it is saved)."""
    if spec.column:
        setattr(doc, spec.name, value)
        return
    extra = dict(doc.extra or {})
    if value is None:
        extra.pop(spec.name, None)
    else:
        extra[spec.name] = value.isoformat() if isinstance(value, date) else value
    doc.extra = extra


def values(doc: Any, fields: tuple[FieldSpec, ...] | None = None) -> dict[str, Any]:
    """Every field's value on ``doc``, by name."""
    return {f.name: read(doc, f) for f in (fields if fields is not None else all_fields())}



def text(spec: FieldSpec, value: Any) -> str:
    """A value in words, as pages and exports show it: labels, names, 2022年3月31日."""
    from ..models import Advisor, Agency
    from ..ui import date_cn

    if value is None or value == "":
        return ""
    if spec.kind == "bool":
        return "是" if value else "否"
    if spec.kind == "choice":
        return dict(spec.options()).get(value, str(value))
    if spec.kind == "date":
        return date_cn(date.fromisoformat(value) if isinstance(value, str) else value)
    if spec.kind in ("agency", "advisor"):
        from ..extensions import db

        obj = db.session.get(Agency if spec.kind == "agency" else Advisor, value)
        return obj.name if obj is not None else f"#{value}"
    return str(value)
