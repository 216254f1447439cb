"""``govcounsel import DIR``: register every file of a folder as documents of one agency.

Each file goes through the same path as an upload (validation, store, one unit
of work with its audit event and index job). A bad file is reported and
skipped, never half-stored; a file whose bytes are already registered for the
agency is counted as a duplicate and skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ..documents.intake import hash_file
from ..documents.schemas import DocumentMeta
from ..documents.services import create_document
from ..errors import DomainError
from ..extensions import db
from ..models import Agency, Document, User
from ..transaction import unit_of_work


@dataclass
class ImportSummary:
    """Counts and the reason of every refusal."""

    imported: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def files_in(folder: Path) -> list[Path]:
    """Regular files under ``folder`` (recursively, hidden files skipped), sorted."""
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def run_import(folder: Path, agency_code: str, doc_type: str, actor: User,
               progress: Callable[[Path], None] | None = None) -> ImportSummary:
    """Import every file of ``folder``; inside an app context."""
    agency = db.session.execute(select(Agency).where(Agency.code == agency_code)
                                ).scalar_one_or_none()
    if agency is None:
        raise DomainError("unknown_agency", status=422, value=agency_code)
    summary = ImportSummary()
    for path in files_in(folder):
        name = str(path.relative_to(folder))
        sha = hash_file(path)
        known = db.session.execute(select(Document.id).where(
            Document.sha256 == sha, Document.agency_id == agency.id,
            Document.deleted_at.is_(None))).first()
        if known:
            summary.duplicates.append(name)
        else:
            try:
                meta = DocumentMeta(agency_id=agency.id, doc_type=doc_type)
                with path.open("rb") as fh, unit_of_work():
                    create_document(actor, meta, fh, path.name)
                summary.imported.append(name)
            except DomainError as exc:
                summary.refused.append((name, exc.message))
        if progress:
            progress(path)
    return summary
