"""Exceptions raised by ``document_store``.

Every exception carries a stable machine ``code``, an HTTP-ish ``status`` hint
and an English ``detail``. The web application maps ``code`` to the Chinese
message it shows; codes are part of the public contract and must not change.

Storage failures (``StoreError`` and subclasses):

================== ====== ==============================================
code               status meaning
================== ====== ==============================================
store_error        500    the blob store could not read or write
invalid_key        400    a key is not 64 lowercase hex digits
blob_not_found     404    no blob with that key
unsupported_store  500    the store URL names a backend not available
================== ====== ==============================================

Rejected files (``FileRejected`` and subclasses), raised by ``validate`` and
``extract``:

================== ====== ==============================================
code               status meaning
================== ====== ==============================================
empty_file         400    zero bytes
too_large          413    more bytes than ``Limits.max_upload_bytes``
unsupported_type   415    content is not PDF, .docx or decodable text
legacy_doc         415    an old binary Word .doc (OLE2), not .docx
bad_encoding       422    looks like text but no encoding decodes it
corrupt_pdf        422    PDF that does not open or is truncated
encrypted_pdf      422    PDF that needs a password to open
zero_pages         422    PDF without pages
too_many_pages     422    more pages than ``Limits.max_pdf_pages``
corrupt_docx       422    .docx whose package or XML is broken
zip_bomb           422    .docx over the size, ratio or member limits
encrypted_docx     422    password-protected Office file (OLE2 container)
extraction_timeout 422    extraction ran past ``Limits.extraction_timeout_s``
extraction_failed  422    the extraction process crashed on this file
================== ====== ==============================================
"""

from __future__ import annotations

from typing import ClassVar


class DocumentStoreError(Exception):
    """Base of every error this package raises on purpose."""

    code: ClassVar[str] = "document_store_error"
    status: ClassVar[int] = 500
    default_detail: ClassVar[str] = "document store error"

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail or self.default_detail
        super().__init__(self.detail)

    def to_dict(self) -> dict[str, str | int]:
        """The error as plain data (``code``, ``status``, ``detail``)."""
        return {"code": self.code, "status": self.status, "detail": self.detail}


class StoreError(DocumentStoreError):
    """The blob store failed to read, write or find something."""

    code = "store_error"
    status = 500
    default_detail = "blob store failure"


class InvalidKey(StoreError):
    code = "invalid_key"
    status = 400
    default_detail = "blob key must be 64 lowercase hexadecimal digits"


class BlobNotFound(StoreError):
    code = "blob_not_found"
    status = 404
    default_detail = "no blob with that key"


class UnsupportedStore(StoreError):
    code = "unsupported_store"
    status = 500
    default_detail = "this blob store backend is not supported"


class FileRejected(DocumentStoreError):
    """A file that cannot be accepted or whose text cannot be extracted."""

    code = "file_rejected"
    status = 422
    default_detail = "file rejected"


class EmptyFile(FileRejected):
    code = "empty_file"
    status = 400
    default_detail = "the file is empty"


class TooLarge(FileRejected):
    code = "too_large"
    status = 413
    default_detail = "the file is larger than allowed"


class UnsupportedType(FileRejected):
    code = "unsupported_type"
    status = 415
    default_detail = "only PDF, .docx and plain text files are accepted"


class LegacyDoc(UnsupportedType):
    code = "legacy_doc"
    default_detail = "old binary Word (.doc) files are not accepted; save as .docx"


class BadEncoding(FileRejected):
    code = "bad_encoding"
    default_detail = "the text file is not in a recognised encoding"


class CorruptPdf(FileRejected):
    code = "corrupt_pdf"
    default_detail = "the PDF file is damaged or truncated"


class EncryptedPdf(FileRejected):
    code = "encrypted_pdf"
    default_detail = "the PDF file is password-protected"


class ZeroPages(FileRejected):
    code = "zero_pages"
    default_detail = "the PDF file has no pages"


class TooManyPages(FileRejected):
    code = "too_many_pages"
    default_detail = "the PDF file has more pages than allowed"


class CorruptDocx(FileRejected):
    code = "corrupt_docx"
    default_detail = "the .docx file is damaged"


class ZipBomb(FileRejected):
    code = "zip_bomb"
    default_detail = "the .docx file expands beyond the allowed size"


class EncryptedDocx(FileRejected):
    code = "encrypted_docx"
    default_detail = "the Word file is password-protected"


class ExtractionTimeout(FileRejected):
    code = "extraction_timeout"
    default_detail = "text extraction took too long"


class ExtractionFailed(FileRejected):
    code = "extraction_failed"
    default_detail = "text extraction failed"


def _all_subclasses(cls: type[DocumentStoreError]) -> list[type[DocumentStoreError]]:
    found = [cls]
    for sub in cls.__subclasses__():
        found.extend(_all_subclasses(sub))
    return found


ERRORS_BY_CODE: dict[str, type[DocumentStoreError]] = {
    cls.code: cls for cls in _all_subclasses(DocumentStoreError)
}
"""Every error class by its ``code``."""


def error_from_code(code: str, detail: str | None = None) -> DocumentStoreError:
    """Rebuild an error from its code (used across the process boundary)."""
    return ERRORS_BY_CODE.get(code, ExtractionFailed)(detail)
