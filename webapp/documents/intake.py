"""Receiving an uploaded file: safe name, size limit, real type, then the blob store.

This is the synchronous gate of the data flow: a bad file is refused here, before
anything is stored. ``Intake`` streams the upload to a temp file while hashing it,
asks ``document_store`` to validate it, and puts it into the store. If the unit of
work fails afterwards, ``discard`` removes a blob that this upload created and
nothing references, so a refused upload leaves no orphan.

Services take files through :func:`incoming` — the current unit of work's
:class:`NewBlobs` (see ``webapp.transaction``) — and never delete blobs themselves.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

import document_store
from document_store import Limits

from .. import transaction
from ..errors import DomainError
from ..extensions import db
from ..models import ContractTemplate, DocumentVersion
from .tools import options

CHUNK = 1024 * 1024
BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def limits() -> Limits:
    """Extraction and validation limits from the app settings."""
    cfg = current_app.config
    return Limits(max_upload_bytes=cfg["GOVCOUNSEL_MAX_UPLOAD_MB"] * 1024 * 1024,
                  max_pdf_pages=cfg["GOVCOUNSEL_MAX_PDF_PAGES"],
                  max_docx_uncompressed=cfg["GOVCOUNSEL_MAX_DOCX_UNCOMPRESSED_MB"] * 1024 * 1024,
                  max_docx_ratio=cfg["GOVCOUNSEL_MAX_DOCX_RATIO"],
                  extraction_timeout_s=cfg["GOVCOUNSEL_EXTRACT_TIMEOUT"])


def blob_store() -> document_store.BlobStore:
    """The app's blob store (opened once per app)."""
    ext = current_app.extensions["govcounsel"]
    if "store" not in ext:
        ext["store"] = document_store.open_store(current_app.config["GOVCOUNSEL_STORE"])
    return ext["store"]


def hash_file(path: Path) -> str:
    """SHA-256 of a file on disk, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def safe_filename(name: str | None) -> str:
    """The client's filename if it is a plain name; otherwise a ``bad_filename`` error."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name or BAD_NAME.search(name) or name in (".", "..") \
            or len(name.encode("utf-8")) > 240:
        raise DomainError("bad_filename", status=422)
    return name


def to_domain_error(exc: Exception) -> DomainError:
    """Map a document_store error (stable code, status hint) to a Chinese DomainError."""
    code = getattr(exc, "code", "unsupported_type")
    status = getattr(exc, "status", 422)
    mapping = {"too_large": "file_too_large", "unsupported_type": "unsupported_file_type"}
    code = mapping.get(code, code)
    limit = current_app.config["GOVCOUNSEL_MAX_UPLOAD_MB"]
    return DomainError(code, status=status, limit=limit)


@dataclass
class Received:
    """An upload on local disk, validated, with its hash and what it is."""

    path: Path
    filename: str
    sha256: str
    size: int
    kind: str
    pages: int | None
    needs_ocr: bool


class Intake:
    """One upload's journey from request stream to blob store (use as a context manager)."""

    def __init__(self) -> None:
        self.received: Received | None = None
        self.created_blob = False
        self._tmp: Path | None = None

    def __enter__(self) -> Intake:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._tmp is not None and self._tmp.exists():
            self._tmp.unlink()

    def receive(self, stream: BinaryIO, filename: str | None) -> Received:
        """Stream to a temp file (size-limited), then validate the content."""
        name = safe_filename(filename)
        lim = limits()
        tmp_dir = Path(current_app.config["GOVCOUNSEL_DATA_DIR"]) / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        self._tmp = Path(tmp)
        digest, size = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > lim.max_upload_bytes:
                    raise DomainError("file_too_large", status=413,
                                      limit=current_app.config["GOVCOUNSEL_MAX_UPLOAD_MB"])
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise DomainError("empty_file", status=400)
        try:
            info = document_store.validate(self._tmp, lim, options())
        except document_store.DocumentStoreError as exc:
            raise to_domain_error(exc) from exc
        self.received = Received(path=self._tmp, filename=name, sha256=digest.hexdigest(),
                                 size=size, kind=info.kind, pages=info.pages,
                                 needs_ocr=False)
        return self.received

    def store(self) -> str:
        """Put the received file into the blob store; returns its SHA-256."""
        assert self.received is not None
        store = blob_store()
        existed = store.exists(self.received.sha256)
        try:
            with self.received.path.open("rb") as fh:
                ref = store.put(fh)
        except document_store.StoreError as exc:
            raise DomainError("storage_failed", status=500) from exc
        self.created_blob = not existed
        return ref.sha256

    def confirm(self) -> None:
        """After the caller's transaction committed: make sure the blob it references is
        in the store.  A concurrent upload of the same bytes whose transaction failed may
        have deleted it (see :meth:`discard`); it is then put back from this upload's
        temp file."""
        if self.received is not None and not blob_store().exists(self.received.sha256):
            self._put_again()

    def discard(self) -> None:
        """After a failed transaction: delete the blob if this upload created it and no
        committed version references it.

        Another upload of the same bytes may have found the blob present, relied on it
        and be committing right now.  So: delete, *then* look for a reference again and
        put the blob back if one appeared.  Together with :meth:`confirm` (the other
        upload commits, *then* checks the blob exists) one of the two always sees the
        other's step, and the blob survives."""
        if not (self.created_blob and self.received):
            return
        sha = self.received.sha256
        if self._referenced(sha):
            return
        blob_store().delete(sha)
        if self._referenced(sha):
            self._put_again()

    @staticmethod
    def _referenced(sha: str) -> bool:
        return referenced(sha)

    def _put_again(self) -> None:
        assert self.received is not None
        with self.received.path.open("rb") as fh:
            blob_store().put(fh)


def referenced(sha256: str) -> bool:
    """True when a committed document version or contract template uses the blob (read
    in a fresh snapshot, so it sees what other requests committed meanwhile)."""
    db.session.rollback()
    for column in (DocumentVersion.sha256, ContractTemplate.sha256):
        if db.session.execute(select(column).where(column == sha256).limit(1)).first():
            return True
    return False


class _StoredBytes:
    """Generated bytes (a template) put into the store during a unit of work."""

    def __init__(self, data: bytes) -> None:
        store = blob_store()
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.created = not store.exists(self.sha256)
        try:
            store.put(io.BytesIO(data))
        except document_store.StoreError as exc:
            raise DomainError("storage_failed", status=500) from exc

    def discard(self) -> None:
        if self.created and not referenced(self.sha256):
            blob_store().delete(self.sha256)


class NewBlobs:
    """The files stored during one unit of work: confirmed after its commit, deleted
    again after a rollback when nothing committed references them."""

    def __init__(self) -> None:
        self._intakes: list[Intake] = []
        self._generated: list[_StoredBytes] = []

    def receive(self, stream: BinaryIO, filename: str | None, *,
                kinds: tuple[str, ...] | None = None, refusal: str = "unsupported_file_type"
                ) -> Received:
        """Validate a file (size, real type, one of ``kinds``) and put it into the store."""
        intake = Intake()
        self._intakes.append(intake)
        received = intake.receive(stream, filename)
        if kinds is not None and received.kind not in kinds:
            raise DomainError(refusal, status=415)
        intake.store()
        return received

    def put_bytes(self, data: bytes) -> str:
        """Store bytes the service made itself (no upload checks); returns the SHA-256."""
        stored = _StoredBytes(data)
        self._generated.append(stored)
        return stored.sha256

    def confirm(self) -> None:
        """After the commit: every stored upload is still there (see ``Intake.confirm``)."""
        for intake in self._intakes:
            intake.confirm()

    def discard(self) -> None:
        """After a rollback: remove blobs created here that nothing committed references."""
        for intake in reversed(self._intakes):
            intake.discard()
        for stored in self._generated:
            stored.discard()

    def close(self) -> None:
        """Delete the temporary upload files."""
        for intake in self._intakes:
            intake.__exit__(None, None, None)


def incoming() -> NewBlobs:
    """The files of the current unit of work (a request, or ``with unit_of_work()``)."""
    return transaction.resource("blobs", NewBlobs)
