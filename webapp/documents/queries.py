"""Listing documents: the filters shared by the list page, the API and search."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import Select, select

from .. import policy
from ..messages import error_text
from ..models import Document, User
from .schemas import DocType, MatterArea, MeetingType, ServiceType

SORTS = {"issued_on": Document.issued_on, "created_at": Document.created_at,
         "title": Document.title, "registration_no": Document.registration_no,
         "recommendations": Document.recommendations}


class DocumentFilters(BaseModel):
    """Filters of document lists and search; blank query-string values count as absent."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    agency_id: int | None = Field(default=None, ge=1)
    doc_type: DocType | None = None
    date_from: date | None = None
    date_to: date | None = None
    advisor_id: int | None = Field(default=None, ge=1)
    matter_area: MatterArea | None = None
    meeting_type: MeetingType | None = None
    service_type: ServiceType | None = None
    year: int | None = Field(default=None, ge=1949, le=2100)

    @field_validator("*", mode="before")
    @classmethod
    def _blank(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _range(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(error_text("invalid_date"))
        return self


class DocumentListQuery(DocumentFilters):
    """The document list: filters, a title search, sort and paging."""

    q: str | None = Field(default=None, max_length=100)
    sort: Literal[tuple(SORTS) + tuple(f"-{k}" for k in SORTS)] = "-created_at"  # type: ignore
    page: int = Field(default=1, ge=1, le=100000)
    per_page: int = Field(default=20, ge=1, le=200)


def apply_filters(stmt: Select, f: DocumentFilters) -> Select:
    """Add the filter conditions of ``f`` to ``stmt``."""
    for name in ("agency_id", "doc_type", "advisor_id", "matter_area", "meeting_type",
                 "service_type"):
        value = getattr(f, name)
        if value is not None:
            stmt = stmt.where(getattr(Document, name) == value)
    if f.date_from:
        stmt = stmt.where(Document.issued_on >= f.date_from)
    if f.date_to:
        stmt = stmt.where(Document.issued_on <= f.date_to)
    if f.year:
        stmt = stmt.where(Document.issued_on >= date(f.year, 1, 1),
                          Document.issued_on <= date(f.year, 12, 31))
    return stmt


def list_statement(user: User, q: DocumentListQuery) -> Select:
    """Visible, filtered, sorted documents (not yet paged)."""
    stmt = apply_filters(select(Document).where(policy.document_scope(user)), q)
    if q.q:
        stmt = stmt.where(Document.title.contains(q.q, autoescape=True)
                          | Document.registration_no.contains(q.q, autoescape=True))
    column = SORTS[q.sort.lstrip("-")]
    order = column.desc() if q.sort.startswith("-") else column.asc()
    return stmt.order_by(order, Document.id.desc())
