"""Exceptions raised by ``document_store``.

Every exception carries a stable machine ``code``, an HTTP-ish ``status`` hint
an English ``detail`` and a Simplified Chinese ``message`` for users. Codes are
part of the public contract and must not change.

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
unsupported_type   415    content is not of an accepted kind (``Options.kinds``)
legacy_doc         415    an OLE2 Word file (.doc/.wps) and ``doc`` is not accepted
office_unavailable 415    .doc/.wps accepted but LibreOffice (``Options.soffice``) missing
bad_encoding       422    looks like text but no encoding decodes it
corrupt_pdf        422    PDF that does not open or is truncated
encrypted_pdf      422    PDF that needs a password to open
zero_pages         422    PDF without pages
too_many_pages     422    more pages than ``Limits.max_pdf_pages``
corrupt_docx       422    .docx whose package or XML is broken
zip_bomb           422    .docx/.ofd over the size, ratio or member limits
corrupt_image      422    JPEG/PNG/TIFF that does not decode or is truncated
image_too_large    422    an image frame over ``Limits.max_image_pixels``
corrupt_ofd        422    .ofd whose package or XML is broken
ofd_missing_part   422    .ofd without a part its structure requires
ofd_too_complex    422    .ofd drawing more than ``Limits.max_ofd_objects``
conversion_failed  422    LibreOffice could not convert this .doc/.wps/.docx
encrypted_docx     422    password-protected Office file (OLE2 container)
extraction_timeout 422    extraction ran past ``Limits.extraction_timeout_s``
extraction_failed  422    the extraction process crashed on this file
page_not_found     404    a page number outside the document (rendering)
================== ====== ==============================================

Not about a file (``DocumentStoreError`` directly):

================== ====== ==============================================
code               status meaning
================== ====== ==============================================
ocr_unavailable    503    the OCR engine (``Options.ocr_engine``) is not installed
================== ====== ==============================================

Every class also has ``message``: the Simplified Chinese text to show a user
(``error.message``); the web application may use it as is or map ``code`` to
its own wording.
"""

from __future__ import annotations

from typing import ClassVar


class DocumentStoreError(Exception):
    """Base of every error this package raises on purpose."""

    code: ClassVar[str] = "document_store_error"
    status: ClassVar[int] = 500
    default_detail: ClassVar[str] = "document store error"
    message: ClassVar[str] = "文件处理失败。"

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail or self.default_detail
        super().__init__(self.detail)

    def to_dict(self) -> dict[str, str | int]:
        """The error as plain data (``code``, ``status``, ``detail``)."""
        return {"code": self.code, "status": self.status, "detail": self.detail}


def _error(
    name: str, base: type[DocumentStoreError], code: str, status: int, detail: str, message: str
) -> type[DocumentStoreError]:
    attributes = {"code": code, "status": status, "default_detail": detail, "message": message,
                  "__doc__": f"``{code}``: {detail}.", "__module__": __name__}
    return type(name, (base,), attributes)


class StoreError(DocumentStoreError):
    """The blob store failed to read, write or find something."""

    code = "store_error"
    status = 500
    default_detail = "blob store failure"
    message = "文件库读写失败。"


class FileRejected(DocumentStoreError):
    """A file that cannot be accepted or whose text cannot be extracted."""

    code = "file_rejected"
    status = 422
    default_detail = "file rejected"
    message = "文件无法接受。"


class UnsupportedType(FileRejected):
    """``unsupported_type``: the content is not of an accepted kind."""

    code = "unsupported_type"
    status = 415
    default_detail = "only PDF, .docx and plain text files are accepted"
    message = "不支持的文件类型（按内容识别，与扩展名无关）。"


class LegacyDoc(UnsupportedType):
    """``legacy_doc``: an OLE2 Word file (.doc, or a .wps WPS saved Word-compatible)."""

    code = "legacy_doc"
    default_detail = "old binary Word (.doc) files are not accepted; save as .docx"
    message = "不支持旧版 Word（.doc/.wps）文件，请另存为 .docx 后上传。"


InvalidKey = _error("InvalidKey", StoreError, "invalid_key", 400,
                    "blob key must be 64 lowercase hexadecimal digits", "文件标识无效。")
BlobNotFound = _error("BlobNotFound", StoreError, "blob_not_found", 404,
                      "no blob with that key", "文件库中没有该文件。")
UnsupportedStore = _error("UnsupportedStore", StoreError, "unsupported_store", 500,
                          "this blob store backend is not supported", "不支持该文件库类型。")
EmptyFile = _error("EmptyFile", FileRejected, "empty_file", 400, "the file is empty", "文件为空。")
TooLarge = _error("TooLarge", FileRejected, "too_large", 413,
                  "the file is larger than allowed", "文件超过大小上限。")
OfficeUnavailable = _error(
    "OfficeUnavailable", LegacyDoc, "office_unavailable", 415,
    "LibreOffice is needed for .doc/.wps files and is not installed",
    "服务器未安装 LibreOffice，无法处理 .doc/.wps 文件：请管理员安装 LibreOffice"
    "（Debian/统信/麒麟：apt-get install libreoffice-writer-nogui）并设置 soffice 路径，"
    "或将文件另存为 .docx 后上传。")
BadEncoding = _error("BadEncoding", FileRejected, "bad_encoding", 422,
                     "the text file is not in a recognised encoding",
                     "无法识别文本文件的编码（支持 UTF-8、UTF-8 BOM、GB18030/GBK）。")
CorruptPdf = _error("CorruptPdf", FileRejected, "corrupt_pdf", 422,
                    "the PDF file is damaged or truncated", "PDF 文件已损坏，无法打开。")
EncryptedPdf = _error("EncryptedPdf", FileRejected, "encrypted_pdf", 422,
                      "the PDF file is password-protected",
                      "PDF 文件已加密，请上传未加密的版本。")
ZeroPages = _error("ZeroPages", FileRejected, "zero_pages", 422, "the PDF file has no pages",
                   "文件没有任何页面。")
TooManyPages = _error("TooManyPages", FileRejected, "too_many_pages", 422,
                      "the PDF file has more pages than allowed", "文件页数超过上限。")
CorruptDocx = _error("CorruptDocx", FileRejected, "corrupt_docx", 422,
                     "the .docx file is damaged", ".docx 文件已损坏，无法打开。")
ZipBomb = _error("ZipBomb", FileRejected, "zip_bomb", 422,
                 "the .docx file expands beyond the allowed size",
                 "文件解压后过大或压缩比异常，已拒绝（疑似压缩炸弹）。")
EncryptedDocx = _error("EncryptedDocx", FileRejected, "encrypted_docx", 422,
                       "the Word file is password-protected",
                       "Word 文件已加密，请上传未加密的版本。")
CorruptImage = _error("CorruptImage", FileRejected, "corrupt_image", 422,
                      "the image is damaged or truncated", "图像文件已损坏或不完整，无法打开。")
ImageTooLarge = _error("ImageTooLarge", FileRejected, "image_too_large", 422,
                       "the image has more pixels than allowed",
                       "图像像素数超过上限（疑似像素炸弹），已拒绝。")
CorruptOfd = _error("CorruptOfd", FileRejected, "corrupt_ofd", 422,
                    "the OFD package or its XML is damaged",
                    "OFD 文件已损坏（压缩包或其中的 XML 无法读取）。")
OfdMissingPart = _error("OfdMissingPart", FileRejected, "ofd_missing_part", 422,
                        "the OFD package lacks a part its structure requires",
                        "OFD 文件不完整：缺少必需的组成部分。")
OfdTooComplex = _error("OfdTooComplex", FileRejected, "ofd_too_complex", 422,
                       "the OFD file draws more objects than allowed",
                       "OFD 文件的页面对象过多（疑似恶意构造的文件），已拒绝。")
ConversionFailed = _error("ConversionFailed", FileRejected, "conversion_failed", 422,
                          "LibreOffice could not convert the file",
                          "LibreOffice 无法转换该文件（文件可能已损坏）。")
ExtractionTimeout = _error("ExtractionTimeout", FileRejected, "extraction_timeout", 422,
                           "text extraction took too long", "文件处理超时。")
ExtractionFailed = _error("ExtractionFailed", FileRejected, "extraction_failed", 422,
                          "text extraction failed", "无法提取文件中的文字。")
PageNotFound = _error("PageNotFound", FileRejected, "page_not_found", 404,
                      "no such page in the document", "文件中没有该页。")
OcrUnavailable = _error("OcrUnavailable", DocumentStoreError, "ocr_unavailable", 503,
                        "the OCR engine is not installed",
                        "服务器未安装文字识别（OCR）组件：请运行 pip install rapidocr-onnxruntime，"
                        "或安装 tesseract-ocr 与 tesseract-ocr-chi-sim。")


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
