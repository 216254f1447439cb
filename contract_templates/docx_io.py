"""Opening, walking and saving .docx packages safely and reproducibly.

* :func:`open_docx` refuses what is not a usable Word document with a
  :class:`~contract_templates.errors.TemplateFileError` whose code says why
  (``template_not_docx``, ``template_encrypted``, ``template_corrupt``,
  ``template_too_large``).
* :func:`story_paragraphs` walks every paragraph where text can sit: body,
  tables (nested too), text boxes, headers and footers.
* :func:`save_docx` writes a package whose bytes depend only on its content
  (zip timestamps and attributes fixed).
* :func:`may_hold_markup` is a cheap filter so only paragraphs with braces are
  examined run by run.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from lxml import etree

from .errors import (
    TEMPLATE_CORRUPT,
    TEMPLATE_ENCRYPTED,
    TEMPLATE_NOT_DOCX,
    TEMPLATE_TOO_LARGE,
    TemplateFileError,
)

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
"""OLE compound file: legacy .doc, or an encrypted OOXML package."""
MAX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_MEMBERS = 5000
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
"""Zip members' timestamp: 1980-01-01 00:00, the earliest a zip can hold."""
_MADE_BY_UNIX = (3 << 8) | 20
_UNIX_0644 = 0o100644 << 16
_W_T = qn("w:t")

_STORIES = {
    CT.WML_DOCUMENT_MAIN: "正文",
    CT.WML_HEADER: "页眉",
    CT.WML_FOOTER: "页脚",
    CT.WML_FOOTNOTES: "脚注",
    CT.WML_ENDNOTES: "尾注",
}
_RUN = qn("w:r")
_RUN_WRAPPERS = frozenset(qn(tag) for tag in ("w:hyperlink", "w:ins", "w:smartTag",
                                              "w:customXml"))


def read_source(source: str | Path | bytes) -> bytes:
    """The bytes of a template given as a path or as bytes."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    return Path(source).read_bytes()


def _sniff(data: bytes) -> None:
    """Refuse by magic bytes and zip directory before any XML is parsed."""
    if data.startswith(CFB_MAGIC):
        encrypted = "EncryptedPackage".encode("utf-16-le") in data
        raise TemplateFileError(TEMPLATE_ENCRYPTED if encrypted else TEMPLATE_NOT_DOCX)
    if not data.startswith(b"PK\x03\x04"):
        raise TemplateFileError(TEMPLATE_NOT_DOCX)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TemplateFileError(TEMPLATE_CORRUPT, detail=_describe(exc)) from exc
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise TemplateFileError(TEMPLATE_NOT_DOCX)
    size = sum(info.file_size for info in infos)
    if size > MAX_UNCOMPRESSED or len(infos) > MAX_MEMBERS:
        raise TemplateFileError(TEMPLATE_TOO_LARGE, size=size)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


def open_docx(data: bytes) -> Document:
    """Parse ``data`` as a .docx, or raise :class:`TemplateFileError` with a stable code."""
    _sniff(data)
    try:
        return docx.Document(BytesIO(data))
    except ValueError as exc:
        if "is not a Word file" in str(exc):
            raise TemplateFileError(TEMPLATE_NOT_DOCX) from exc
        raise TemplateFileError(TEMPLATE_CORRUPT, detail=_describe(exc)) from exc
    except (zipfile.BadZipFile, zlib.error, KeyError, etree.LxmlError, OSError,
            AttributeError, TypeError, EOFError) as exc:
        raise TemplateFileError(TEMPLATE_CORRUPT, detail=_describe(exc)) from exc


def story_parts(document: Document) -> Iterator[tuple[str, XmlPart]]:
    """Each XML part that holds document text, with its Chinese name (正文, 页眉, …)."""
    for part in document.part.package.iter_parts():
        name = _STORIES.get(part.content_type)
        if name is not None and isinstance(part, XmlPart):
            yield name, part


def story_paragraphs(document: Document) -> Iterator[tuple[str, etree._Element]]:
    """Every ``w:p`` of every story, with a human location such as ``页脚 第1段``."""
    for name, part in story_parts(document):
        for index, paragraph in enumerate(part.element.iter(qn("w:p")), start=1):
            yield f"{name} 第{index}段", paragraph


def paragraph_runs(paragraph: etree._Element) -> list:
    """The text runs of a paragraph in reading order (also inside links and insertions)."""
    runs = []
    for child in paragraph:
        if child.tag == _RUN:
            runs.append(child)
        elif child.tag in _RUN_WRAPPERS:
            runs.extend(inner for inner in child if inner.tag == _RUN)
    return runs


def paragraph_text(paragraph: etree._Element) -> str:
    """The visible text of a paragraph, joined across its runs."""
    return "".join(run.text for run in paragraph_runs(paragraph))


def may_hold_markup(paragraph: etree._Element) -> bool:
    """Cheap pre-check: could this paragraph (or one nested in it) hold ``{{``/``{%``?"""
    return "{" in "".join(paragraph.itertext(_W_T))


def save_docx(document: Document) -> bytes:
    """Serialise ``document`` with fixed zip metadata, so equal content gives equal bytes."""
    raw = BytesIO()
    document.save(raw)
    return fix_zip_metadata(raw.getvalue())


def fix_zip_metadata(data: bytes) -> bytes:
    """Set every member's timestamp to 1980-01-01 and its attributes to ``0644`` (Unix).

    Patches the local and central headers in place; the compressed data, which
    depends only on the content, is left as it is.
    """
    buf = bytearray(data)
    end = buf.rfind(b"PK\x05\x06")
    if end < 0:
        raise ValueError("not a zip archive")
    count, _size, position = struct.unpack_from("<HII", buf, end + 10)
    for _ in range(count):
        if buf[position:position + 4] != b"PK\x01\x02":
            raise ValueError("unexpected zip central directory layout")
        struct.pack_into("<H", buf, position + 4, _MADE_BY_UNIX)
        struct.pack_into("<HH", buf, position + 12, _DOS_TIME, _DOS_DATE)
        struct.pack_into("<I", buf, position + 38, _UNIX_0644)
        name, extra, comment = struct.unpack_from("<HHH", buf, position + 28)
        local = struct.unpack_from("<I", buf, position + 42)[0]
        if buf[local:local + 4] != b"PK\x03\x04":
            raise ValueError("unexpected zip local header layout")
        struct.pack_into("<HH", buf, local + 10, _DOS_TIME, _DOS_DATE)
        position += 46 + name + extra + comment
    return bytes(buf)
