"""Reading stored versions back from the blob store."""

from __future__ import annotations

import io
from typing import BinaryIO

from sqlalchemy import select

from ..errors import NotFound
from ..extensions import db
from ..models import Document, DocumentVersion
from .intake import blob_store

IN_MEMORY = 8 * 1024 * 1024


def open_version(doc: Document, version_no: int | None = None
                 ) -> tuple[DocumentVersion, BinaryIO]:
    """The version row and a stream of its blob (current version by default).

    Files up to 8 MB are read into memory (no file handle outlives the request);
    larger ones are streamed from the store.
    """
    number = version_no or doc.current_version_no
    version = db.session.execute(select(DocumentVersion).where(
        DocumentVersion.document_id == doc.id, DocumentVersion.version_no == number)
    ).scalar_one_or_none()
    if version is None:
        raise NotFound()
    stream = blob_store().open(version.sha256)
    if version.size <= IN_MEMORY:
        with stream:
            return version, io.BytesIO(stream.read())
    return version, stream
