"""Blob storage (content-addressed by SHA-256) and text extraction for GovCounsel.

A plain library: no Flask, no knowledge of the web application or the index.

Storage::

    store = open_store("/srv/govcounsel/blobs")      # or "file:///...", or "s3://bucket/prefix?..."
    ref = store.put(stream, max_bytes=limits.max_upload_bytes)
    with store.open(ref.sha256) as f: ...
    report = copy_all(old_store, new_store)          # migrate blobs between backends

``S3BlobStore`` needs ``boto3`` (the ``s3`` extra) and is imported lazily, so
the rest of the package works without it.

Files::

    info = validate(upload_stream)                    # at upload: refuse bad files early
    extraction = extract(path)                        # text, in a time-limited child process
    with Extractor() as extractor: extractor.extract(path)   # the same, for a worker loop

Every error is a ``DocumentStoreError`` with a stable ``code`` and a ``status``
hint; ``errors.py`` lists them.
"""

from .backend import BlobRef, BlobStore, check_key, open_store
from .detect import MEDIA_TYPES, Detected, Kind, detect
from .errors import (
    ERRORS_BY_CODE,
    BadEncoding,
    BlobNotFound,
    CorruptDocx,
    CorruptPdf,
    DocumentStoreError,
    EmptyFile,
    EncryptedDocx,
    EncryptedPdf,
    ExtractionFailed,
    ExtractionTimeout,
    FileRejected,
    InvalidKey,
    LegacyDoc,
    StoreError,
    TooLarge,
    TooManyPages,
    UnsupportedStore,
    UnsupportedType,
    ZeroPages,
    ZipBomb,
)
from .extract import Extraction, FileInfo, Source, extract, extract_bytes, validate
from .isolate import Extractor
from .limits import DEFAULT_LIMITS, Limits
from .local import LocalBlobStore
from .migrate import CopyReport, copy_all
from .textnorm import join_visual_lines

__all__ = [
    "DEFAULT_LIMITS",
    "ERRORS_BY_CODE",
    "MEDIA_TYPES",
    "BadEncoding",
    "BlobNotFound",
    "BlobRef",
    "BlobStore",
    "CopyReport",
    "CorruptDocx",
    "CorruptPdf",
    "Detected",
    "DocumentStoreError",
    "EmptyFile",
    "EncryptedDocx",
    "EncryptedPdf",
    "Extraction",
    "ExtractionFailed",
    "ExtractionTimeout",
    "Extractor",
    "FileInfo",
    "FileRejected",
    "InvalidKey",
    "Kind",
    "LegacyDoc",
    "Limits",
    "LocalBlobStore",
    "Source",
    "StoreError",
    "TooLarge",
    "TooManyPages",
    "UnsupportedStore",
    "UnsupportedType",
    "ZeroPages",
    "ZipBomb",
    "check_key",
    "copy_all",
    "detect",
    "extract",
    "extract_bytes",
    "join_visual_lines",
    "open_store",
    "validate",
]


def __getattr__(name: str) -> object:
    """Import ``S3BlobStore`` on first use only (it needs the optional ``boto3``)."""
    if name == "S3BlobStore":
        from .s3 import S3BlobStore

        return S3BlobStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
