"""The same file registered twice (issue #15, UI finding 1).

A new upload whose bytes (SHA-256) equal the current version of a live document of
the same agency is a *duplicate*: the upload is refused with a 409 that names the
existing document, unless the uploader says to register it anyway and gives a
reason (``DuplicateChoice``); the reason is audited with the new document.

Only documents the uploader may view are compared (an advisor learns nothing of a
classified document or another advisor's work), so counts cannot rely on the
refusal alone: :func:`counted` is the SQL condition the indicators and the
statistics use to count each file of an agency once, whoever registered it.
"""

from __future__ import annotations

from typing import Annotated

from flask import url_for
from pydantic import BaseModel, BeforeValidator, Field
from sqlalchemy import ColumnElement, and_, exists, not_, select
from sqlalchemy.orm import aliased

from .. import policy
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import Document, User
from ..validation import parse
from .schemas import clean_text


def _checkbox(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    return bool(value)


class DuplicateChoice(BaseModel):
    """The uploader's answer when the file is already registered."""

    allow_duplicate: Annotated[bool, BeforeValidator(_checkbox)] = False
    duplicate_reason: Annotated[str | None, BeforeValidator(clean_text)] = Field(
        default=None, max_length=500, title="重复登记的理由")


class DuplicateDocument(DomainError):
    """The file is already registered as ``existing`` (409)."""

    status = 409

    def __init__(self, existing: Document) -> None:
        super().__init__("duplicate_document", registration_no=existing.registration_no,
                         title=existing.title)
        self.existing = existing


def choice_from(form: dict) -> DuplicateChoice:
    """Take the duplicate answer out of a form (the keys are removed from ``form``)."""
    data = {k: form.pop(k) for k in ("allow_duplicate", "duplicate_reason") if k in form}
    return parse(DuplicateChoice, data)


def find(user: User, agency_id: int, sha256: str) -> Document | None:
    """The oldest live document of ``agency_id`` with this file that ``user`` may view."""
    stmt = (select(Document).where(Document.agency_id == agency_id,
                                   Document.sha256 == sha256, policy.document_scope(user))
            .order_by(Document.id).limit(1))
    return db.session.execute(stmt).scalars().first()


def check(user: User, agency_id: int, sha256: str, choice: DuplicateChoice | None
          ) -> Document | None:
    """Refuse a duplicate unless ``choice`` allows it with a reason; returns the document
    it duplicates (None when the file is new)."""
    existing = find(user, agency_id, sha256)
    if existing is None:
        return None
    if choice is None or not choice.allow_duplicate:
        raise DuplicateDocument(existing)
    if not choice.duplicate_reason:
        raise ValidationFailed({"duplicate_reason": error_text("duplicate_reason_required")})
    return existing


def counted() -> ColumnElement[bool]:
    """SQL: the document counts in indicators and statistics — it is the first live one
    of its agency with its file, and (a contract of an engagement: the generated draft
    and the signed scan are two documents of one contract) the engagement's first."""
    earlier = aliased(Document)
    before = and_(earlier.deleted_at.is_(None), earlier.id < Document.id)
    same_file = and_(earlier.agency_id == Document.agency_id,
                     earlier.sha256 == Document.sha256)
    same_contract = and_(Document.doc_type == "contract", Document.engagement_id.isnot(None),
                         earlier.doc_type == "contract",
                         earlier.engagement_id == Document.engagement_id)
    return not_(exists().where(before, same_file | same_contract))


def summary(doc: Document) -> dict:
    """What a duplicate refusal tells about the existing document (the uploader may view
    it): id, registration number, title and its page."""
    return {"id": doc.id, "registration_no": doc.registration_no, "title": doc.title,
            "url": url_for("documents.detail", doc_id=doc.id)}
