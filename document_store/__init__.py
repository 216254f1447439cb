"""Blob storage (content-addressed by SHA-256) and text extraction for GovCounsel.

A plain library: no Flask, no knowledge of the web application or the index.

Storage::

    store = open_store("/srv/govcounsel/blobs")      # or "file:///...", or "s3://bucket/prefix?..."
    ref = store.put(stream, max_bytes=limits.max_upload_bytes)
    with store.open(ref.sha256) as f: ...
    report = copy_all(old_store, new_store)          # migrate blobs between backends

``S3BlobStore`` needs ``boto3`` (the ``s3`` extra) and is imported lazily, so
the rest of the package works without it.

Files (every parse of untrusted bytes runs in a time-limited child process)::

    options = Options(kinds=ALL_KINDS, soffice=find_soffice())   # scans, OFD, .doc/.wps
    info = validate(upload_stream, limits, options)   # at upload: refuse bad files early
    with Extractor(limits, options) as extractor:     # the worker keeps one
        extraction = extractor.extract(path, ocr=True, progress=on_page)
        page = extractor.render(path, 1, 900, watermark="张三 2026-12-05 14:03")
        pdf = extractor.convert(docx_path, "pdf")     # safe LibreOffice (no network)

See README "Documents and registration" for the interface the web application uses.

Every error is a ``DocumentStoreError`` with a stable ``code`` and a ``status``
hint; ``errors.py`` lists them.
"""

from .backend import BlobRef, BlobStore, check_key, open_store
from .detect import IMAGE_MEDIA_TYPES, MEDIA_TYPES, MORE_MEDIA_TYPES, Detected, detect
from .errors import (
    ERRORS_BY_CODE,
    BadEncoding,
    BlobNotFound,
    ConversionFailed,
    CorruptDocx,
    CorruptImage,
    CorruptOfd,
    CorruptPdf,
    DocumentStoreError,
    EmptyFile,
    EncryptedDocx,
    EncryptedPdf,
    ExtractionFailed,
    ExtractionTimeout,
    FileRejected,
    ImageTooLarge,
    InvalidKey,
    LegacyDoc,
    OcrUnavailable,
    OfdMissingPart,
    OfdTooComplex,
    OfficeUnavailable,
    PageNotFound,
    StoreError,
    TooLarge,
    TooManyPages,
    UnsupportedStore,
    UnsupportedType,
    ZeroPages,
    ZipBomb,
)
from .extract import (
    Extraction,
    FileInfo,
    PageText,
    Source,
    extract,
    extract_bytes,
    validate,
    validate_bytes,
)
from .isolate import Extractor, Progress
from .limits import DEFAULT_LIMITS, Limits
from .local import LocalBlobStore
from .migrate import CopyReport, copy_all
from .options import ALL_KINDS, CLASSIC_KINDS, DEFAULT_OPTIONS, Kind, Options, find_soffice
from .render import RenderedPage
from .textnorm import join_visual_lines

__all__ = [
    "ALL_KINDS",
    "CLASSIC_KINDS",
    "DEFAULT_LIMITS",
    "DEFAULT_OPTIONS",
    "ERRORS_BY_CODE",
    "IMAGE_MEDIA_TYPES",
    "MEDIA_TYPES",
    "MORE_MEDIA_TYPES",
    "BadEncoding",
    "BlobNotFound",
    "BlobRef",
    "BlobStore",
    "ConversionFailed",
    "CopyReport",
    "CorruptDocx",
    "CorruptImage",
    "CorruptOfd",
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
    "ImageTooLarge",
    "InvalidKey",
    "Kind",
    "LegacyDoc",
    "Limits",
    "LocalBlobStore",
    "OcrUnavailable",
    "OfdMissingPart",
    "OfdTooComplex",
    "OfficeUnavailable",
    "Options",
    "PageNotFound",
    "PageText",
    "Progress",
    "RenderedPage",
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
    "find_soffice",
    "join_visual_lines",
    "open_store",
    "validate",
    "validate_bytes",
]


def __getattr__(name: str) -> object:
    """Import ``S3BlobStore`` on first use only (it needs the optional ``boto3``)."""
    if name == "S3BlobStore":
        from .s3 import S3BlobStore

        return S3BlobStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
