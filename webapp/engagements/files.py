"""Contract files as documents, inside the engagement's own transaction.

``documents.services.create_document`` commits, but a generated contract must be
registered in the same transaction as its engagement row and its contract
number. So this module composes :class:`~webapp.documents.intake.Intake`
(validate, store the blob) with a flush-only registration, and
:func:`unit_of_work` commits once at the end or rolls back and removes the blobs
this attempt created.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from io import BytesIO
from typing import BinaryIO

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..assessments.linking import record_for
from ..audit import services as audit
from ..documents.intake import Intake, Received
from ..documents.services import enqueue_index
from ..errors import DomainError
from ..extensions import db
from ..models import Agency, Document, DocumentVersion, User
from ..numbering import format_number, next_seq

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class NewBlobs:
    """Files received and stored during one unit of work."""

    def __init__(self) -> None:
        self._intakes: list[Intake] = []

    def receive(self, stream: BinaryIO, filename: str | None, *,
                kinds: tuple[str, ...] | None = None, refusal: str = "unsupported_file_type"
                ) -> Received:
        """Validate a file (size, real type, one of ``kinds``) and put it into the blob store."""
        intake = Intake()
        self._intakes.append(intake)
        received = intake.receive(stream, filename)
        if kinds is not None and received.kind not in kinds:
            raise DomainError(refusal, status=415)
        intake.store()
        return received

    def discard(self) -> None:
        """Remove blobs created here that no committed version references."""
        for intake in reversed(self._intakes):
            intake.discard()

    def confirm(self) -> None:
        """After the commit: every stored blob is still there (see ``Intake.confirm``)."""
        for intake in self._intakes:
            intake.confirm()

    def close(self) -> None:
        """Delete the temporary upload files."""
        for intake in self._intakes:
            intake.__exit__(None, None, None)


@contextmanager
def unit_of_work() -> Iterator[NewBlobs]:
    """One request's transaction: commit at the end, or roll back and discard new blobs."""
    blobs = NewBlobs()
    try:
        yield blobs
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        blobs.discard()
        raise DomainError("conflict", status=409) from exc
    except BaseException:
        db.session.rollback()
        blobs.discard()
        raise
    else:
        blobs.confirm()
    finally:
        blobs.close()


def register(user: User, received: Received, *, agency: Agency, title: str,
             engagement_id: int, advisor_id: int | None, issued_on: date,
             is_demo: bool = False) -> Document:
    """Register a stored file as a ``contract`` document of ``agency`` (flush only).

    Same registration as an upload: registration number, SHA-256, first version,
    assessment-quarter link, audit event and index job.
    """
    year = date.today().year
    seq = next_seq("registration", year)
    number = format_number(current_app.config["GOVCOUNSEL_REGISTRATION_PATTERN"], year, seq)
    doc = Document(registration_no=number, reg_year=year, reg_seq=seq, agency_id=agency.id,
                   doc_type="contract", title=title[:200], advisor_id=advisor_id,
                   engagement_id=engagement_id, issued_on=issued_on,
                   sha256=received.sha256, created_by_id=user.id, is_demo=is_demo)
    doc.assessment_record_id = record_for(agency.id, issued_on).id
    db.session.add(doc)
    db.session.flush()
    db.session.add(_version(doc, received, user, 1))
    audit.record("document_created", object_type="document", object_id=doc.id, actor=user,
                 detail={"registration_no": number, "sha256": received.sha256,
                         "size": received.size, "filename": received.filename,
                         "engagement_id": engagement_id, "doc_type": "contract"})
    enqueue_index(doc)
    return doc


def add_version(user: User, doc: Document, received: Received, comment: str) -> None:
    """Make ``received`` the next version of ``doc`` (a regenerated draft; flush only)."""
    number = doc.current_version_no + 1
    db.session.add(_version(doc, received, user, number, comment))
    doc.current_version_no, doc.sha256 = number, received.sha256
    doc.meta_version += 1
    audit.record("document_version_added", object_type="document", object_id=doc.id,
                 actor=user, detail={"version": number, "sha256": received.sha256,
                                     "size": received.size, "filename": received.filename,
                                     "comment": comment})
    enqueue_index(doc)


def _version(doc: Document, received: Received, user: User, number: int,
             comment: str | None = None) -> DocumentVersion:
    return DocumentVersion(document_id=doc.id, version_no=number, sha256=received.sha256,
                           size=received.size, filename=received.filename,
                           kind=received.kind, pages=received.pages,
                           needs_ocr=received.needs_ocr, uploaded_by_id=user.id,
                           comment=comment, text_status="pending")


def receive_bytes(blobs: NewBlobs, data: bytes, filename: str) -> Received:
    """Store generated bytes through the same gate as an upload."""
    return blobs.receive(BytesIO(data), filename)
