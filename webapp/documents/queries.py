"""Listing documents: the filters of the list page and the API, from the field registry.

A filterable field filters by its name: choices, links, flags, numbers and dates by
equality, text by a literal substring. Fields with a column are compared in SQL on
the column; the others on their key of the JSON column ``documents.extra``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, select

from .. import policy
from ..models import Document, User
from .registry import FieldSpec, all_fields
from .schemas import DocumentFilters, DocumentListQuery  # noqa: F401  (re-exported)


def _column(spec: FieldSpec) -> Any:
    if spec.column:
        return getattr(Document, spec.name)
    item = Document.extra[spec.name]
    if spec.kind in ("integer", "agency", "advisor"):
        return item.as_integer()
    if spec.kind == "number":
        return item.as_float()
    if spec.kind == "bool":
        return item.as_boolean()
    return item.as_string()


def condition(spec: FieldSpec, value: Any) -> ColumnElement[bool]:
    """SQL for "``spec`` is ``value``" (text: contains it, wildcards literal)."""
    column = _column(spec)
    if spec.kind in ("text", "textarea"):
        return column.contains(value, autoescape=True)
    if spec.kind == "date" and not spec.column:
        return column == value.isoformat()
    return column == value


def apply_filters(stmt: Select, f: BaseModel, fields: tuple[FieldSpec, ...] | None = None
                  ) -> Select:
    """Add the conditions of ``f`` (agency, type, dates, every filterable field)."""
    if f.agency_id is not None:
        stmt = stmt.where(Document.agency_id == f.agency_id)
    if f.doc_type is not None:
        stmt = stmt.where(Document.doc_type == f.doc_type)
    for spec in fields if fields is not None else all_fields():
        value = getattr(f, spec.name, None) if spec.filterable else None
        if value is not None:
            stmt = stmt.where(condition(spec, value))
    if f.date_from:
        stmt = stmt.where(Document.issued_on >= f.date_from)
    if f.date_to:
        stmt = stmt.where(Document.issued_on <= f.date_to)
    if f.year:
        stmt = stmt.where(Document.issued_on >= date(f.year, 1, 1),
                          Document.issued_on <= date(f.year, 12, 31))
    return stmt


def list_statement(user: User, q: BaseModel) -> Select:
    """Visible, filtered, sorted documents (not yet paged)."""
    stmt = apply_filters(select(Document).where(policy.document_scope(user)), q)
    if q.q:
        stmt = stmt.where(Document.title.contains(q.q, autoescape=True)
                          | Document.registration_no.contains(q.q, autoescape=True))
    column = getattr(Document, q.sort.lstrip("-"))
    order = column.desc() if q.sort.startswith("-") else column.asc()
    return stmt.order_by(order, Document.id.desc())
