"""Error codes are stable, unique, documented and survive the process boundary."""

from __future__ import annotations

import document_store.errors as errors
from document_store import ERRORS_BY_CODE, DocumentStoreError, FileRejected, StoreError

EXPECTED_STATUS = {
    "store_error": 500,
    "invalid_key": 400,
    "blob_not_found": 404,
    "unsupported_store": 500,
    "empty_file": 400,
    "too_large": 413,
    "unsupported_type": 415,
    "legacy_doc": 415,
    "bad_encoding": 422,
    "corrupt_pdf": 422,
    "encrypted_pdf": 422,
    "zero_pages": 422,
    "too_many_pages": 422,
    "corrupt_docx": 422,
    "zip_bomb": 422,
    "encrypted_docx": 422,
    "extraction_timeout": 422,
    "extraction_failed": 422,
    "office_unavailable": 415,
    "corrupt_image": 422,
    "image_too_large": 422,
    "corrupt_ofd": 422,
    "ofd_missing_part": 422,
    "ofd_too_complex": 422,
    "conversion_failed": 422,
    "page_not_found": 404,
    "ocr_unavailable": 503,
}


def test_every_code_has_its_documented_status():
    concrete = {
        code: cls.status
        for code, cls in ERRORS_BY_CODE.items()
        if cls not in (DocumentStoreError, FileRejected)
    }
    assert concrete == EXPECTED_STATUS


def test_every_code_is_listed_in_the_module_docstring():
    for code, status in EXPECTED_STATUS.items():
        assert f"{code} " in errors.__doc__ and str(status) in errors.__doc__


def test_storage_and_file_errors_are_separate_families():
    for code in ("invalid_key", "blob_not_found", "unsupported_store"):
        assert issubclass(ERRORS_BY_CODE[code], StoreError)
    for code in ("too_large", "zip_bomb", "extraction_timeout", "legacy_doc"):
        assert issubclass(ERRORS_BY_CODE[code], FileRejected)
        assert not issubclass(ERRORS_BY_CODE[code], StoreError)


def test_errors_rebuild_from_code_and_detail():
    error = errors.error_from_code("zip_bomb", "ratio 900")
    assert type(error) is errors.ZipBomb
    assert error.to_dict() == {"code": "zip_bomb", "status": 422, "detail": "ratio 900"}
    assert type(errors.error_from_code("no_such_code")) is errors.ExtractionFailed


def test_default_detail_is_english_text():
    assert str(errors.EncryptedPdf()) == "the PDF file is password-protected"


def test_every_error_has_a_chinese_message():
    for code, cls in ERRORS_BY_CODE.items():
        assert any("\u4e00" <= char <= "\u9fff" for char in cls.message), code
    assert "LibreOffice" in errors.OfficeUnavailable.message
    assert "apt-get install" in errors.OfficeUnavailable.message
