"""Serving a stored version as a download: its real type, a safe name, always an attachment.

The name comes from the uploader, so it may not speak for the file. Control and
format characters are dropped (a bidi override turns ``x\\u202excod.exe`` into
what looks like ``xexe.docx``), and the extension is the one of the type detected
from the content at upload (a .docx named ``report.exe`` downloads as
``report.docx``). The header carries the name as RFC 5987 ``filename*`` with an
ASCII ``filename`` fallback for old clients. Text files declare the charset they
are really in, once.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import BinaryIO
from urllib.parse import quote

from flask import Response, send_file
from pydantic import BaseModel, ConfigDict, Field, field_validator

import document_store

from ..models import DocumentVersion
from ..validation import blank_to_none

EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "text": ".txt", "ofd": ".ofd", "doc": ".doc",
              "image": ".jpg"}
# kinds with several file extensions: the uploader's one is kept when it is one of these
OWN_EXTENSIONS = {"image": {".jpg", ".jpeg", ".png", ".tif", ".tiff"}, "doc": {".doc", ".wps"}}
IMAGE_EXTENSIONS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".tif": "tiff",
                    ".tiff": "tiff"}
# Python codec names (what detection returns) -> IANA charset names (what HTTP says).
CHARSETS = {"utf-8-sig": "utf-8", "cp1252": "windows-1252", "iso8859-1": "iso-8859-1",
            "euc_jp": "euc-jp", "euc_kr": "euc-kr", "cp932": "windows-31j", "cp950": "big5",
            "big5hkscs": "big5-hkscs", "hz": "hz-gb-2312", "cp949": "ks_c_5601-1987"}
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")
_NOT_PORTABLE = re.compile(r"[^A-Za-z0-9 ._()+-]")
_RFC5987_SAFE = "!#$&+-.^_`|~"


class FileQuery(BaseModel):
    """The query of a download: which version (the current one when absent)."""

    model_config = ConfigDict(extra="ignore")

    version: int | None = Field(default=None, ge=1, description="版本号；缺省为当前版本")

    @field_validator("version", mode="before")
    @classmethod
    def _blank(cls, value):
        return blank_to_none(value)


def _visible(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] != "C" and category not in ("Zl", "Zp")


def download_name(filename: str, kind: str) -> str:
    """The name to serve a version under: visible characters only, the kind's extension."""
    name = "".join(c if _visible(c) else "" for c in unicodedata.normalize("NFC", filename))
    name = name.replace("/", "_").replace("\\", "_")
    stem = _EXTENSION.sub("", name)
    own = _EXTENSION.search(name)
    extension = EXTENSIONS.get(kind, "")
    if own and own.group(0).lower() in OWN_EXTENSIONS.get(kind, ()):
        extension = own.group(0).lower()
    return (stem if stem.strip(" .") else "document") + extension


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the exact name as ``filename*``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = _NOT_PORTABLE.sub("_", ascii_name)
    suffix = _EXTENSION.search(name)
    if not _EXTENSION.sub("", fallback).strip(" ._"):
        fallback = "document" + (suffix.group(0) if suffix else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, _RFC5987_SAFE)}"


def media_type(kind: str, data: bytes | None = None) -> str:
    """The Content-Type of a version: PDF, .docx, or plain text in its detected charset."""
    base = {**document_store.MEDIA_TYPES, **document_store.MORE_MEDIA_TYPES}.get(
        kind, "application/octet-stream")
    if kind != "text" or data is None:
        return base
    try:
        encoding = document_store.detect(data).encoding or "utf-8"
    except document_store.DocumentStoreError:  # validated at upload: not expected
        return base
    return f"{base}; charset={CHARSETS.get(encoding, encoding)}"


def _image_subtype(stream: BinaryIO, name: str) -> str:
    """JPEG, PNG or TIFF, by the magic bytes (from the name when the stream cannot rewind)."""
    if stream.seekable():
        head = stream.read(8)
        stream.seek(0)
        for magic, subtype in ((b"\xff\xd8\xff", "jpeg"), (b"\x89PNG", "png"),
                               (b"II*\x00", "tiff"), (b"MM\x00*", "tiff")):
            if head.startswith(magic):
                return subtype
    return IMAGE_EXTENSIONS.get(name[name.rfind("."):].lower(), "jpeg")


def file_response(version: DocumentVersion, stream: BinaryIO) -> Response:
    """The response that downloads ``version`` (``stream`` is its blob)."""
    data = None
    if version.kind == "text":
        with stream:
            data = stream.read()
        stream = io.BytesIO(data)
    resp = send_file(stream, mimetype="application/octet-stream", max_age=0,
                     etag=version.sha256)
    name = download_name(version.filename, version.kind)
    resp.headers["Content-Type"] = media_type(version.kind, data)
    if version.kind == "image":
        subtype = _image_subtype(stream, name)
        resp.headers["Content-Type"] = document_store.IMAGE_MEDIA_TYPES[subtype]
        if IMAGE_EXTENSIONS.get(name[name.rfind("."):].lower()) != subtype:
            name = name[:name.rfind(".")] + "." + {"jpeg": "jpg", "tiff": "tif"}.get(subtype,
                                                                                    subtype)
    resp.headers["Content-Disposition"] = content_disposition(name)
    return resp
