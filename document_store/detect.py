"""Decide what a file really is from its bytes; the file name is never consulted.

Kinds (``Options.kinds`` says which are accepted; the default is the first three):

- ``pdf``: ``%PDF-`` within the first 1024 bytes (where PDF readers look);
- ``docx``: a zip holding ``[Content_Types].xml`` and ``word/document.xml``;
- ``text``: bytes that decode strictly as UTF-8 (with or without BOM),
  UTF-16/32 with a BOM, GB18030 (a superset of GBK and GB2312), or, failing
  those, what charset-normalizer proposes (Big5 is preferred to GB18030 when
  proposed; an unusual code page, say EBCDIC, is replaced by cp1252), as long
  as the decoded text looks like text (almost no control characters);
- ``image``: JPEG, PNG or TIFF by their magic bytes (``Detected.subtype``);
- ``ofd``: a zip holding ``OFD.xml`` at its root (GB/T 33190);
- ``doc``: an OLE2 compound file with a ``WordDocument`` stream: Word 97-2003
  ``.doc``, and the ``.wps`` files WPS Office writes in the same format.

Everything else is refused with a specific error: ``EmptyFile``,
``EncryptedDocx`` (an OLE2 container holding an encrypted OOXML package),
``LegacyDoc`` (an OLE2 ``.doc`` when ``doc`` is not accepted),
``OfficeUnavailable`` (``doc`` accepted but no LibreOffice), ``CorruptDocx`` (zip magic, unreadable
directory), ``UnsupportedType`` (binary content: executables, images, other
zips, raw NUL bytes) or ``BadEncoding`` (text-like but undecodable).
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass

from charset_normalizer import from_bytes

from . import ole
from .errors import (
    BadEncoding,
    CorruptDocx,
    CorruptOfd,
    EmptyFile,
    EncryptedDocx,
    LegacyDoc,
    OfficeUnavailable,
    UnsupportedType,
)
from .options import DEFAULT_OPTIONS, Kind, Options

MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text": "text/plain",
}
"""Media type to serve each of the classic kinds with (add ``; charset=<encoding>`` for
text); the other kinds' are in ``MORE_MEDIA_TYPES`` and ``IMAGE_MEDIA_TYPES``."""
MORE_MEDIA_TYPES: dict[str, str] = {"ofd": "application/ofd", "doc": "application/msword"}
IMAGE_MEDIA_TYPES: dict[str, str] = {"jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff"}
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"II*\x00",
    b"MM\x00*",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\xca\xfe\xba\xbe",
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OFD_MARKERS = (b"OFD.xml", b"Doc_0/", b"/Content.xml")
_DOCX_MARKERS = (b"[Content_Types]", b"word/")
_DOCX_MEMBERS = frozenset({"[Content_Types].xml", "word/document.xml"})
_CHINESE_ENCODINGS = frozenset({"gb18030", "gbk", "gb2312", "hz"})
_TRADITIONAL_ENCODINGS = frozenset({"big5", "big5hkscs", "cp950"})
_OTHER_ENCODINGS = frozenset(
    {"cp1252", "iso8859-1", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949"}
)
"""Guesses of charset-normalizer we trust; any other single-byte guess is tried as cp1252."""
_MAX_CONTROL_RATIO = 0.005
_CONTROLS = re.compile("[\x00-\x08\x0e-\x19\x1c-\x1f\x7f-\x9f\ue000-\uf8ff]")
"""C0/C1 controls other than whitespace, SUB and ESC, plus the private use area."""


@dataclass(frozen=True)
class Detected:
    """A file's real kind; for text the codec that decodes it, for images the format."""

    kind: Kind
    encoding: str | None = None
    subtype: str | None = None

    @property
    def media_type(self) -> str:
        """The media type to serve the original file with."""
        if self.kind == "image":
            return IMAGE_MEDIA_TYPES.get(self.subtype or "", "application/octet-stream")
        base = MEDIA_TYPES.get(self.kind) or MORE_MEDIA_TYPES[self.kind]
        return f"{base}; charset={self.encoding}" if self.encoding else base


def detect(data: bytes, options: Options = DEFAULT_OPTIONS) -> Detected:
    """Classify ``data`` (the whole file) or raise the ``FileRejected`` that explains why not."""
    if not data:
        raise EmptyFile()
    if data.startswith(ole.OLE2_MAGIC):
        return _detect_ole(data, options)
    if b"%PDF-" in data[:1024]:
        return Detected("pdf")
    if data.startswith(_ZIP_MAGIC):
        return _detect_zip(data, options)
    for magic, subtype in _IMAGE_MAGIC:
        if data.startswith(magic):
            if not options.accepts("image"):
                raise UnsupportedType(f"a {subtype.upper()} image; images are not accepted")
            return Detected("image", subtype=subtype)
    return Detected("text", detect_text_encoding(data))


def detect_text_encoding(data: bytes) -> str:
    """The codec name that decodes ``data`` as text, or raise why it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if _decode_or_none(data, encoding) is None:
                raise BadEncoding(f"invalid {encoding} text after its byte-order mark")
            return encoding
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data:
        raise UnsupportedType("binary content")
    if _decode_or_none(data, "utf-8") is not None:
        return "utf-8"
    guess = from_bytes(data).best()
    guessed = codecs.lookup(guess.encoding).name if guess is not None else None
    candidates = ["gb18030"]
    if guessed in _TRADITIONAL_ENCODINGS:
        candidates.insert(0, guessed)
    elif guessed in _OTHER_ENCODINGS:
        candidates.append(guessed)
    elif guessed is not None and guessed not in _CHINESE_ENCODINGS:
        candidates.append("cp1252")
    for encoding in candidates:
        text = _decode_or_none(data, encoding)
        if text is not None and _looks_like_text(text):
            return encoding
    raise BadEncoding("no supported encoding decodes this text")


def _detect_zip(data: bytes, options: Options) -> Detected:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        # the directory is lost; the local headers of the members tell what it was
        if options.accepts("ofd") and _looks_like_ofd(data):
            raise CorruptOfd(f"unreadable zip directory: {exc}") from None
        raise CorruptDocx(f"unreadable zip directory: {exc}") from None
    if _DOCX_MEMBERS.issubset(names):
        return Detected("docx")
    if "OFD.xml" in names and options.accepts("ofd"):
        return Detected("ofd")
    raise UnsupportedType("a zip archive that is not a Word .docx document")


def _looks_like_ofd(data: bytes) -> bool:
    """Local headers name OFD parts and no Word parts (for a zip whose directory is lost)."""
    return any(marker in data for marker in _OFD_MARKERS) and not any(
        marker in data for marker in _DOCX_MARKERS)


def _detect_ole(data: bytes, options: Options) -> Detected:
    try:
        names = {name.lower() for name in ole.stream_names(data)}
    except ole.OleError as exc:
        raise UnsupportedType(f"unreadable OLE2 compound file: {exc}") from None
    if "encryptedpackage" in names:
        raise EncryptedDocx()
    if "worddocument" not in names:
        raise UnsupportedType("an OLE2 compound file that is not a Word document")
    if not options.accepts("doc"):
        raise LegacyDoc()
    if not options.soffice:
        raise OfficeUnavailable()
    return Detected("doc")


def _decode_or_none(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    return len(_CONTROLS.findall(text)) <= _MAX_CONTROL_RATIO * len(text)
