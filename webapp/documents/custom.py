"""Custom document fields: what an admin adds in 系统设置 (table ``document_fields``).

A custom field becomes a :class:`~webapp.documents.registry.FieldSpec` like the
declared ones, so forms, API schemas, filters, exports, audit and the index treat it
alike; its values live in ``documents.extra`` under its ``name``. Fields are never
deleted (documents keep their values): an admin deactivates and reactivates them.
Flush only; every change is audited.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from flask import g, has_app_context
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import func, select

from ..audit import services as audit
from ..errors import NotFound, ValidationFailed
from ..extensions import db
from ..messages import LABELS, error_text
from ..models import Document, DocumentField
from .registry import FIELDS, FieldSpec, doc_types
from .schemas import clean_text

NAME = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
RESERVED = {"q", "sort", "page", "per_page", "format", "file", "csrf_token", "comment",
            "reason", "version", "date_from", "date_to", "year", "agency", "advisor"}
CUSTOM_KINDS = ("text", "integer", "number", "date", "choice", "agency", "advisor")
MAX_CHOICES = 50


def custom_fields() -> tuple[FieldSpec, ...]:
    """The active custom fields as specs (read once per app context)."""
    if not has_app_context():
        return ()
    cached = g.get("custom_document_fields")
    if cached is None:
        rows = db.session.execute(select(DocumentField).where(DocumentField.active.is_(True))
                                  .order_by(DocumentField.position, DocumentField.id)).scalars()
        cached = tuple(spec_of(row) for row in rows)
        g.custom_document_fields = cached
    return cached


def spec_of(row: DocumentField) -> FieldSpec:
    """The spec of a stored custom field."""
    return FieldSpec(row.name, row.label, row.kind,
                     choices=tuple((c, c) for c in row.choices or ()),
                     required=row.required, filterable=row.filterable,
                     searchable=row.searchable and row.kind == "text", exported=row.exported,
                     doc_types=tuple(row.doc_types or ()), max_length=200, custom=True)


def all_rows() -> list[DocumentField]:
    """Every custom field, active or not, in order."""
    return list(db.session.execute(select(DocumentField).order_by(
        DocumentField.position, DocumentField.id)).scalars())


class CustomFieldIn(BaseModel):
    """A new custom field as the 系统设置 form (or a script) submits it."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=32)
    label: str = Field(min_length=1, max_length=64)
    kind: Literal[CUSTOM_KINDS]  # type: ignore[valid-type]
    doc_types: list[str] = Field(default_factory=list)
    choices: list[str] = Field(default_factory=list, max_length=MAX_CHOICES)
    required: bool = False
    filterable: bool = False
    searchable: bool = False
    exported: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        taken = {f.name for f in FIELDS} | set(Document.__table__.columns.keys()) | RESERVED
        if not NAME.match(value):
            raise ValueError(error_text("custom_field_name"))
        if value in taken:
            raise ValueError(error_text("custom_field_reserved", value=value))
        return value

    @field_validator("label")
    @classmethod
    def _label(cls, value: str) -> str:
        return clean_text(value) or ""

    @field_validator("doc_types")
    @classmethod
    def _types(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in doc_types()]
        if unknown:
            raise ValueError(error_text("invalid_choice"))
        return list(dict.fromkeys(value))

    @field_validator("choices", mode="before")
    @classmethod
    def _lines(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [line.strip() for line in value.splitlines() if line.strip()]
        return value

    @field_validator("choices")
    @classmethod
    def _choices(cls, value: list[str]) -> list[str]:
        for choice in value:
            if len(choice) > 64:
                raise ValueError(error_text("too_long", max=64))
            clean_text(choice)
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _choice_list(self) -> CustomFieldIn:
        if self.kind == "choice" and not self.choices:
            raise ValueError(error_text("custom_field_choices"))
        if self.kind != "choice":
            self.choices = []
        self.searchable = self.searchable and self.kind == "text"
        return self


def create(data: CustomFieldIn) -> DocumentField:
    """Add a custom field (flush only); a taken name is a field error."""
    if db.session.execute(select(DocumentField.id).where(DocumentField.name == data.name)
                          ).first():
        raise ValidationFailed({"name": error_text("custom_field_reserved", value=data.name)})
    position = (db.session.execute(select(func.max(DocumentField.position))).scalar_one()
                or 0) + 1
    row = DocumentField(**data.model_dump(), position=position, active=True)
    db.session.add(row)
    db.session.flush()
    audit.record("document_field_created", object_type="document_field", object_id=row.id,
                 detail={"field_code": row.name, "field_label": row.label,
                         "field_kind": LABELS["field_kind"].get(row.kind, row.kind)})
    g.pop("custom_document_fields", None)
    return row


def set_active(field_id: int, active: bool) -> DocumentField:
    """Deactivate (hidden everywhere, values kept) or reactivate a custom field."""
    row = db.session.get(DocumentField, field_id)
    if row is None:
        raise NotFound()
    if row.active != active:
        row.active = active
        audit.record("document_field_reactivated" if active else "document_field_deactivated",
                     object_type="document_field", object_id=row.id,
                     detail={"field_code": row.name, "field_label": row.label})
    g.pop("custom_document_fields", None)
    return row
